/**
 * Cases 6 and 7: `POST /token` (password grant through the oauth2 layer's token endpoint, argon2id
 * through the passwords layer, users in the SQLite store) next to the protected route with every
 * check on (HS256, revocation, user status), in one server, as the reference server serves them.
 */
import formbody from '@fastify/formbody'
import { createTokenEndpoint, type ResourceOwnerDirectory } from '../../src/oauth2/index.js'
import type { Store } from '../../src/store/index.js'
import { BENCH_PASSWORD, createBearerSetup } from './bearer-setup.js'
import { BENCH_SCOPES, buildProtectedApp } from './gatehouse-app.js'
import {
  BENCH_USER,
  announce,
  closeOnSignal,
  getRequest,
  listenFastify,
} from './protocol.js'
import { ScopeRegistry } from '../../src/scopes/index.js'

const setup = await createBearerSetup({ algorithm: 'HS256', checks: true })
const { hasher } = setup

function owners(store: Store): ResourceOwnerDirectory {
  return {
    async findByUsername(username) {
      const user = await store.users.findByUsername(username)
      return user && { subject: user.id, ...user }
    },
    async updatePasswordHash(owner, passwordHash) {
      await store.users.rehashPassword(owner.username, owner.passwordHash, passwordHash)
    },
  }
}

const endpoint = createTokenEndpoint({
  owners: owners(setup.store),
  hasher,
  issuer: setup.issuer,
  scopes: new ScopeRegistry(BENCH_SCOPES),
})

const app = await buildProtectedApp(setup.currentUser, async (instance) => {
  await instance.register(formbody)
  instance.post('/token', async (request, reply) => {
    const body = await endpoint.handle({
      contentType: request.headers['content-type'],
      authorization: request.headers.authorization,
      body: request.body,
    })
    return reply.header('cache-control', 'no-store').send(body)
  })
})
const port = await listenFastify(app)
closeOnSignal(async () => {
  await app.close()
  await setup.close()
})
const token = await setup.issueToken()
announce({
  port,
  request: getRequest({ authorization: `Bearer ${token}` }),
  extra: {
    login: {
      method: 'POST',
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${BENCH_USER}&password=${BENCH_PASSWORD}&scope=read`,
    },
  },
})

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { Security, dependency, type DependencyContext } from '../deps/index.js'
import { APIKeyHeader, InvalidToken } from '../security/index.js'
import { gatehouse } from './plugin.js'

const apiKey = new APIKeyHeader({ name: 'x-api-key' })
const SERVER_ERROR = { error: 'server_error', error_description: 'Internal server error' }

async function build(setup: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  await app.register(gatehouse, { scopes: { read: 'Read' } })
  setup(app)
  await app.ready()
  return app
}

describe('gatehouse plugin: the resolve hook', () => {
  /** route → Security(user, ['read']) → principal → API key; `async[i]` makes level i async. */
  function routeDeps(async: readonly boolean[]) {
    const principalOf = ({ key }: { key: string }) => {
      if (key !== 'k' && key !== 'no-scopes') throw new InvalidToken()
      return { name: 'alice', scopes: key === 'k' ? ['read'] : [] }
    }
    const principal = async[0]
      ? dependency({ key: apiKey }, async (values) => principalOf(values))
      : dependency({ key: apiKey }, principalOf)
    const userOf = (
      { principal }: { principal: { name: string; scopes: string[] } },
      { securityScopes }: DependencyContext,
    ) => {
      securityScopes.require(principal.scopes)
      return principal.name
    }
    const user = async[1]
      ? dependency({ principal }, async (values, context) => userOf(values, context))
      : dependency({ principal }, userOf)
    return { user: Security(user, ['read']), key: apiKey }
  }

  test('sync, async and mixed graphs answer alike: 200, 401, 401 invalid_token, 403', async () => {
    for (const async of [[false, false], [true, false], [false, true], [true, true]]) {
      const app = await build((app) => {
        app.get('/me', { config: { deps: routeDeps(async) } }, async (request) => request.deps)
      })
      const ok = await app.inject({ url: '/me', headers: { 'x-api-key': 'k' } })
      assert.equal(ok.statusCode, 200, `${async}`)
      assert.deepEqual(ok.json(), { user: 'alice', key: 'k' })
      const missing = await app.inject('/me')
      assert.equal(missing.statusCode, 401, `${async}`)
      assert.equal(missing.headers['www-authenticate'], 'APIKey')
      const wrong = await app.inject({ url: '/me', headers: { 'x-api-key': 'x' } })
      assert.equal(wrong.statusCode, 401, `${async}`)
      assert.deepEqual(wrong.json(), {
        error: 'invalid_token',
        error_description: 'The access token is invalid',
      })
      const narrow = await app.inject({ url: '/me', headers: { 'x-api-key': 'no-scopes' } })
      assert.equal(narrow.statusCode, 403, `${async}`)
      assert.equal(narrow.json().error, 'insufficient_scope')
    }
  })

  test('a generator after an async step is rolled back when the handler throws', async () => {
    const log: string[] = []
    let closed: () => void = () => undefined
    const whenClosed = new Promise<void>((resolve) => (closed = resolve))
    const session = dependency(async () => 'session')
    const tx = dependency({ session }, function* tx({ session }) {
      log.push(`begin:${session}`)
      try {
        yield 'tx'
      } catch (error) {
        log.push(`rollback:${(error as Error).message}`)
      } finally {
        closed()
      }
    })
    const app = await build((app) => {
      app.get('/write', { config: { deps: { tx } } }, async (request) => {
        log.push(`handler:${request.deps.tx}`)
        throw new Error('write failed')
      })
    })
    const response = await app.inject('/write')
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), SERVER_ERROR)
    await whenClosed
    assert.deepEqual(log, ['begin:session', 'handler:tx', 'rollback:write failed'])
  })

  for (const [name, thrown] of [
    ['undefined', undefined],
    ['null', null],
    ['0', 0],
    ["''", ''],
    ['false', false],
  ] as const) {
    for (const async of [false, true]) {
      const kind = async ? 'an async' : 'a sync'
      test(`${kind} dependency that throws ${name}: 500, the handler never runs`, async () => {
        let handled = 0
        const guard = async
          ? dependency(async () => Promise.reject(thrown))
          : dependency(() => {
              throw thrown
            })
        const app = await build((app) => {
          app.get('/guarded', { config: { deps: { guard } } }, async () => ++handled)
        })
        const response = await app.inject('/guarded')
        assert.equal(response.statusCode, 500)
        assert.deepEqual(response.json(), SERVER_ERROR)
        assert.equal(handled, 0)
      })
    }
  }
})

/**
 * Context case: the plugin and the three-level dependency graph with no credential work at all
 * (the API key is compared to a constant), so the cost of Gatehouse's own machinery shows apart
 * from cryptography and storage. Option `sync: true` makes every dependency synchronous.
 */
import { randomBytes } from 'node:crypto'
import { dependency } from '../../src/deps/index.js'
import { APIKeyHeader, InvalidCredentials } from '../../src/security/index.js'
import { buildProtectedApp, type BenchUser } from './gatehouse-app.js'
import {
  BENCH_USER,
  announce,
  closeOnSignal,
  getRequest,
  listenFastify,
  readCaseOptions,
} from './protocol.js'

const sync = readCaseOptions()['sync'] === true
const key = randomBytes(32).toString('base64url')
const apiKey = new APIKeyHeader({ name: 'X-API-Key' })
const principal = { username: BENCH_USER, scopes: ['read'] } as const

const check = ({ key: presented }: { key: string }): typeof principal => {
  if (presented !== key) throw new InvalidCredentials({ schemes: [apiKey] })
  return principal
}
const keyPrincipal = sync
  ? dependency({ key: apiKey }, check, { name: 'keyPrincipal' })
  : dependency({ key: apiKey }, async (values) => check(values), { name: 'keyPrincipal' })

const authorize = (
  { principal: p }: { principal: typeof principal },
  { securityScopes }: { securityScopes: { require(granted: readonly string[]): void } },
): BenchUser => {
  securityScopes.require(p.scopes)
  return { username: p.username }
}
const currentUser = sync
  ? dependency({ principal: keyPrincipal }, authorize, { name: 'currentUser' })
  : dependency({ principal: keyPrincipal }, async (v, c) => authorize(v, c), { name: 'currentUser' })

const app = await buildProtectedApp(currentUser)
const port = await listenFastify(app)
closeOnSignal(() => app.close())
announce({ port, request: getRequest({ 'x-api-key': key }) })

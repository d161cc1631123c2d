/**
 * Case 3: the protected route behind an API key in the `X-API-Key` header. Keys are kept as
 * SHA-256 digests (a leaked table does not leak keys) and looked up by digest; the key's scopes go
 * through the same `Security(currentUser, ['read'])` check as tokens do.
 */
import { createHash, randomBytes } from 'node:crypto'
import { dependency } from '../../src/deps/index.js'
import { APIKeyHeader, InvalidCredentials } from '../../src/security/index.js'
import { buildProtectedApp, type BenchUser } from './gatehouse-app.js'
import { BENCH_USER, announce, closeOnSignal, getRequest, listenFastify } from './protocol.js'

interface KeyPrincipal {
  readonly username: string
  readonly scopes: readonly string[]
}

const digest = (key: string): string => createHash('sha256').update(key).digest('base64url')

const key = randomBytes(32).toString('base64url')
const keys = new Map<string, KeyPrincipal>([[digest(key), { username: BENCH_USER, scopes: ['read'] }]])

const apiKey = new APIKeyHeader({ name: 'X-API-Key' })
const keyPrincipal = dependency(
  { key: apiKey },
  ({ key: presented }): KeyPrincipal => {
    const principal = keys.get(digest(presented))
    if (principal === undefined) throw new InvalidCredentials({ description: 'The API key is not valid', schemes: [apiKey] })
    return principal
  },
  { name: 'keyPrincipal' },
)
const currentUser = dependency(
  { principal: keyPrincipal },
  ({ principal }, { securityScopes }): BenchUser => {
    securityScopes.require(principal.scopes)
    return { username: principal.username }
  },
  { name: 'currentUser' },
)

const app = await buildProtectedApp(currentUser)
const port = await listenFastify(app)
closeOnSignal(() => app.close())
announce({ port, request: getRequest({ 'x-api-key': key }) })

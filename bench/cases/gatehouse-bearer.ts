/**
 * Cases 2, 4 and 5: the protected route behind an OAuth2 bearer token verified by the tokens
 * layer. Options:
 * - `algorithm`: `HS256` (default), `ES256` or `EdDSA`;
 * - `checks`: when true, every request also consults the revocation list and the user's current
 *   status (disabled, tokens cut off, existence) in the SQLite store, as the reference server does.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dependency } from '../../src/deps/index.js'
import { createArgon2Hasher } from '../../src/passwords/index.js'
import { InvalidToken, OAuth2PasswordBearer } from '../../src/security/index.js'
import { openStore, type Store } from '../../src/store/index.js'
import {
  KeyRing,
  createTokenIssuer,
  createTokenVerifier,
  type AccessTokenClaims,
  type SigningAlgorithm,
} from '../../src/tokens/index.js'
import { BENCH_SCOPES, buildProtectedApp, type BenchUser } from './gatehouse-app.js'
import { BENCH_USER, announce, closeOnSignal, getRequest, listenFastify, readCaseOptions } from './protocol.js'

const ISSUER = 'https://gatehouse.bench'
const AUDIENCE = 'bench-api'

const options = readCaseOptions()
const algorithm = String(options['algorithm'] ?? 'HS256') as SigningAlgorithm // checked by KeyRing
const checks = options['checks'] === true

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
const store = openStore({ url: `sqlite:${join(dataDir, 'gatehouse.sqlite')}` })
await store.migrate()
const user = await store.users.create({ username: BENCH_USER, passwordHash: await createArgon2Hasher().hash('secret'), scopes: ['read'] })

const keyRing = await KeyRing.generate(algorithm)
const issuer = createTokenIssuer({ keyRing, issuer: ISSUER, audience: AUDIENCE })
const verifier = createTokenVerifier({
  keyRing,
  issuer: ISSUER,
  audience: AUDIENCE,
  ...(checks ? { revocation: store.revocations } : {}),
})

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: '/token', scopes: BENCH_SCOPES })
const verifiedClaims = dependency({ token: oauth2 }, ({ token }) => verifier.verify(token), {
  name: 'verifiedClaims',
})
const currentUser = dependency(
  { claims: verifiedClaims },
  async ({ claims }, { securityScopes }): Promise<BenchUser> => {
    if (checks) await assertActive(store, claims)
    securityScopes.require(claims.scope)
    return { username: BENCH_USER }
  },
  { name: 'currentUser' },
)

async function assertActive(db: Store, claims: AccessTokenClaims): Promise<void> {
  const status = await db.users.findStatusById(claims.sub)
  if (status === undefined || status.disabled || claims.iat < status.tokensValidAfter) {
    throw new InvalidToken({ description: 'The access token is no longer valid' })
  }
}

const app = await buildProtectedApp(currentUser)
const port = await listenFastify(app)
closeOnSignal(async () => {
  await app.close()
  await store.close()
  rmSync(dataDir, { recursive: true, force: true })
})
const { token } = await issuer.issueAccessToken({ subject: user.id, scope: ['read'] })
announce({ port, request: getRequest({ authorization: `Bearer ${token}` }) })

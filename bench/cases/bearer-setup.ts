/**
 * The bearer-token side of the typical app, shared by the bearer and login cases: a SQLite store
 * with one user, a key ring, an issuer, a verifier and the three-level `currentUser` graph.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dependency, type Dependency } from '../../src/deps/index.js'
import { createArgon2Hasher, type Argon2Hasher } from '../../src/passwords/index.js'
import { OAuth2PasswordBearer } from '../../src/security/index.js'
import { openStore, type Store, type User } from '../../src/store/index.js'
import {
  KeyRing,
  assertPrincipalActive,
  createTokenIssuer,
  createTokenVerifier,
  type SigningAlgorithm,
  type TokenIssuer,
} from '../../src/tokens/index.js'
import { BENCH_SCOPES, type BenchUser } from './gatehouse-app.js'
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_USER } from './protocol.js'

/** The password of {@link BENCH_USER} in every bench store. */
export const BENCH_PASSWORD = 'secret'


/** Options of {@link createBearerSetup}. */
export interface BearerSetupOptions {
  readonly algorithm: SigningAlgorithm
  /** Consult the revocation list and the user's status on every request. */
  readonly checks: boolean
}

/** Everything a bearer case needs. */
export interface BearerSetup {
  readonly store: Store
  readonly user: User
  readonly hasher: Argon2Hasher
  readonly issuer: TokenIssuer
  readonly scheme: OAuth2PasswordBearer
  readonly currentUser: Dependency<BenchUser>
  /** An access token for the user with scope `read`. */
  issueToken(): Promise<string>
  close(): Promise<void>
}

/** Builds the store, keys and dependency graph of a bearer case. */
export async function createBearerSetup(options: BearerSetupOptions): Promise<BearerSetup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'))
  const store = openStore({ url: `sqlite:${join(dataDir, 'gatehouse.sqlite')}` })
  await store.migrate()
  const hasher = createArgon2Hasher()
  const passwordHash = await hasher.hash(BENCH_PASSWORD)
  const user = await store.users.create({ username: BENCH_USER, passwordHash, scopes: ['read'] })
  const keyRing = await KeyRing.generate(options.algorithm)
  const issuer = createTokenIssuer({ keyRing, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE })
  const verifier = createTokenVerifier({
    keyRing,
    issuer: BENCH_ISSUER,
    audience: BENCH_AUDIENCE,
    ...(options.checks ? { revocation: store.revocations } : {}),
  })
  const findStatus = (id: string) => store.users.findStatusById(id)
  const scheme = new OAuth2PasswordBearer({ tokenUrl: '/token', scopes: BENCH_SCOPES })
  const verifiedClaims = dependency({ token: scheme }, ({ token }) => verifier.verify(token), {
    name: 'verifiedClaims',
  })
  const currentUser = dependency(
    { claims: verifiedClaims },
    async ({ claims }, { securityScopes }): Promise<BenchUser> => {
      if (options.checks) assertPrincipalActive(claims, await findStatus(claims.sub))
      securityScopes.require(claims.scope)
      return { username: BENCH_USER }
    },
    { name: 'currentUser' },
  )
  return {
    store,
    user,
    hasher,
    issuer,
    scheme,
    currentUser,
    issueToken: async () =>
      (await issuer.issueAccessToken({ subject: user.id, scope: ['read'] })).token,
    close: async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

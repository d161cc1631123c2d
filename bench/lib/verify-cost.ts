/**
 * The CPU cost of one access-token verification, per algorithm, through the tokens layer's
 * verifier, and of jose's `jwtVerify` with an HS256 key passed as bytes. Run as a child process
 * pinned to the server core; prints `RESULT {"HS256": µs, ...}`.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT, jwtVerify } from 'jose'
import { KeyRing, createTokenIssuer, createTokenVerifier } from '../../src/tokens/index.js'
import type { SigningAlgorithm } from '../../src/tokens/index.js'

const ISSUER = 'https://gatehouse.bench'
const AUDIENCE = 'bench-api'

async function timeIt(iterations: number, body: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(2000, iterations); i += 1) await body()
  const started = performance.now()
  for (let i = 0; i < iterations; i += 1) await body()
  return ((performance.now() - started) * 1000) / iterations
}

/** `cacheMaxEntries: 0` measures full verification; the default measures a cache hit. */
async function tokensLayerCost(
  alg: SigningAlgorithm,
  iterations: number,
  cacheMaxEntries?: number,
): Promise<number> {
  const keyRing = await KeyRing.generate(alg)
  const issuer = createTokenIssuer({ keyRing, issuer: ISSUER, audience: AUDIENCE })
  const verifier = createTokenVerifier({
    keyRing,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...(cacheMaxEntries === undefined ? {} : { cacheMaxEntries }),
  })
  const { token } = await issuer.issueAccessToken({ subject: 'user1', scope: ['read'] })
  return timeIt(iterations, () => verifier.verify(token))
}

async function joseBytesCost(iterations: number): Promise<number> {
  const secret = new Uint8Array(randomBytes(32))
  const token = await new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user1')
    .setExpirationTime('1h')
    .sign(secret)
  return timeIt(iterations, () => jwtVerify(token, secret, { algorithms: ['HS256'] }))
}

const iterations = Number(process.argv[2] ?? 20_000)
const result: Record<string, number> = { 'jose HS256, key as bytes': await joseBytesCost(iterations) }
for (const alg of ['HS256', 'ES256', 'EdDSA'] as const) {
  result[`tokens layer ${alg}, full verification (cache off)`] = await tokensLayerCost(alg, iterations, 0)
  result[`tokens layer ${alg}, verified-token cache hit`] = await tokensLayerCost(alg, iterations)
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)

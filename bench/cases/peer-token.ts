/**
 * The HS256 token and secret shared by the peer cases (plain jose, @fastify/jwt): the same claims
 * Gatehouse issues (`sub`, `scope`, `iat`, `exp`), signed with a random 32-byte secret per run.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { BENCH_USER } from './protocol.js'

/** A fresh 256-bit secret: HS256's minimum (RFC 7518 §3.2). */
export function peerSecret(): Uint8Array {
  return new Uint8Array(randomBytes(32))
}

/** An HS256 access token for {@link BENCH_USER} with scope `read`, valid for an hour. */
export function signPeerToken(secret: Uint8Array): Promise<string> {
  return new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(BENCH_USER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secret)
}

/** True when a space-separated scope claim grants `read` (RFC 6749 §3.3). */
export function grantsRead(scope: unknown): boolean {
  return typeof scope === 'string' && scope.split(' ').includes('read')
}

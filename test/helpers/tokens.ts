/** Hand-made JWTs for verification tests: forged, tampered and misconfigured tokens. */
import { SignJWT, type JWTPayload } from 'jose'
import type { KeyRing } from '../../src/tokens/index.js'

/** Claims and header overrides for {@link signTestToken}. */
export interface TestTokenOptions {
  readonly keyRing: KeyRing
  readonly subject: string
  readonly claims?: JWTPayload
  readonly header?: Record<string, unknown>
  /** Sign with this secret instead of the ring's key (keeps the ring's kid). */
  readonly secret?: Uint8Array
  readonly alg?: string
  /** `iat` in unix seconds; default now. */
  readonly issuedAt?: number
}

/**
 * Signs an access token the way the server does (HS256, typ at+jwt, the server's iss and aud),
 * with any part overridden.
 *
 * @example
 * await signTestToken({ keyRing, subject, claims: { aud: 'other' } })
 */
export async function signTestToken(options: TestTokenOptions): Promise<string> {
  const { kid, key } = options.keyRing.signingKey
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000)
  const payload: JWTPayload = {
    iss: 'http://127.0.0.1:8000',
    aud: 'gatehouse',
    sub: options.subject,
    scope: 'read',
    iat,
    exp: iat + 300,
    jti: 'test-jti-0123456789abcd',
    ...options.claims,
  }
  const header = { alg: options.alg ?? 'HS256', kid, typ: 'at+jwt', ...options.header }
  return new SignJWT(payload)
    .setProtectedHeader(header as { alg: string })
    .sign(options.secret ?? key)
}

/** An unsigned `alg: none` token with the given payload. */
export function unsecuredToken(payload: JWTPayload): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(payload)}.`
}

/** The token with its payload replaced and the original signature kept. */
export function tamperPayload(token: string, change: (payload: JWTPayload) => JWTPayload): string {
  const [header, payload, signature] = token.split('.')
  const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as JWTPayload
  const changed = Buffer.from(JSON.stringify(change(decoded))).toString('base64url')
  return `${header}.${changed}.${signature}`
}

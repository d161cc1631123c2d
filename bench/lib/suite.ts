/**
 * What `npm run bench` measures: the throughput cases (one server variant each, the same route and
 * body), and the cases the later stages use.
 */
import { HELLO } from './check.js'
import type { ThroughputCase } from './throughput.js'

const PROTECTED = { ...HELLO, protected: true }

/** Every throughput case, in report order. */
export const THROUGHPUT_CASES: readonly ThroughputCase[] = [
  { id: 'bare-http', label: 'bare node:http', script: 'bare-http', expect: HELLO },
  { id: 'bare-fastify', label: '(1) bare Fastify route', script: 'bare-fastify', expect: HELLO },
  {
    id: 'bare-fastify-bearer',
    label: '(1) bare Fastify route, sent the bearer request (header not read)',
    script: 'bare-fastify',
    options: { bearer: true },
    expect: HELLO,
  },
  {
    id: 'jose-bytes',
    label: 'Fastify + jose jwtVerify, HS256 key as bytes',
    script: 'jose-plain',
    expect: PROTECTED,
  },
  {
    id: 'jose-cryptokey',
    label: 'Fastify + jose jwtVerify, HS256 CryptoKey imported once',
    script: 'jose-plain',
    options: { cryptoKey: true },
    expect: PROTECTED,
  },
  {
    id: 'fastify-jwt',
    label: '(8) @fastify/jwt peer, HS256',
    script: 'fastify-jwt',
    expect: PROTECTED,
  },
  {
    id: 'gh-hs256',
    label: '(2) Gatehouse bearer + scope, 3-level deps, HS256',
    script: 'gatehouse-bearer',
    options: { algorithm: 'HS256', checks: false },
    expect: PROTECTED,
  },
  {
    id: 'gh-floor',
    label: 'Gatehouse plugin + 3-level deps, no credential work (floor)',
    script: 'gatehouse-floor',
    expect: PROTECTED,
  },
  {
    id: 'gh-api-key',
    label: '(3) Gatehouse API key + scope, 3-level deps',
    script: 'gatehouse-api-key',
    expect: PROTECTED,
  },
  {
    id: 'gh-hs256-checked',
    label: '(5) Gatehouse HS256 + revocation + user status',
    script: 'gatehouse-bearer',
    options: { algorithm: 'HS256', checks: true },
    expect: PROTECTED,
  },
  {
    id: 'gh-es256-checked',
    label: '(4) Gatehouse ES256 + revocation + user status',
    script: 'gatehouse-bearer',
    options: { algorithm: 'ES256', checks: true },
    expect: PROTECTED,
  },
  {
    id: 'gh-eddsa-checked',
    label: '(4) Gatehouse EdDSA + revocation + user status',
    script: 'gatehouse-bearer',
    options: { algorithm: 'EdDSA', checks: true },
    expect: PROTECTED,
  },
]

/** The case whose memory is watched across a long run: every check on, as in production. */
export const MEMORY_CASE: ThroughputCase = {
  id: 'gh-hs256-checked',
  label: 'Gatehouse HS256 + revocation + user status',
  script: 'gatehouse-bearer',
  options: { algorithm: 'HS256', checks: true },
  expect: PROTECTED,
}

/**
 * The server behind the login stages (`POST /token` plus the protected route): the reference
 * server itself. `bench/cases/login-server.ts` is the same stack assembled by hand, kept for
 * comparison (`--only` it through {@link LOGIN_SERVERS}).
 */
export const LOGIN_SERVERS = {
  reference: {
    script: 'reference-server',
    protectedAnswer: {
      status: 200,
      body: (json: unknown) =>
        typeof json === 'object' && json !== null && (json as { user?: unknown }).user === 'user1',
      protected: true,
    },
  },
  minimal: { script: 'login-server' },
} as const

/**
 * Case 1: the bare Fastify route, no security. The denominator of every ratio.
 *
 * Option `bearer: true` sends the bearer cases' exact request (an `Authorization: Bearer` header
 * with a real HS256 access token of the same claims) to the same bare route, which never reads
 * it: the denominator for the bearer cases, so that parsing the bytes a client sends anyway is
 * not counted as the security layer's cost.
 */
import Fastify from 'fastify'
import { KeyRing, createTokenIssuer } from '../../src/tokens/index.js'
import {
  BENCH_AUDIENCE,
  BENCH_ISSUER,
  BENCH_PATH,
  BENCH_USER,
  announce,
  closeOnSignal,
  getRequest,
  listenFastify,
  readCaseOptions,
} from './protocol.js'

const app = Fastify({ logger: false })
app.get(BENCH_PATH, async () => ({ hello: BENCH_USER }))

const port = await listenFastify(app)
closeOnSignal(() => app.close())
const headers = readCaseOptions()['bearer'] === true ? { authorization: await bearerHeader() } : {}
announce({ port, request: getRequest(headers) })

/** An access token shaped like the bearer cases' (same issuer, audience, claims and length). */
async function bearerHeader(): Promise<string> {
  const keyRing = await KeyRing.generate('HS256')
  const issuer = createTokenIssuer({ keyRing, issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE })
  const issued = await issuer.issueAccessToken({ subject: crypto.randomUUID(), scope: ['read'] })
  return `Bearer ${issued.token}`
}

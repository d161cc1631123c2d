/**
 * Case: Fastify plus a plain jose `jwtVerify` per request, HS256 with the key passed as bytes (the
 * naive integration the issue measured at 0.24× of bare Fastify). Option `cryptoKey: true` imports
 * the secret once as a CryptoKey instead, which is what jose recommends.
 */
import Fastify from 'fastify'
import { jwtVerify } from 'jose'
import { grantsRead, peerSecret, signPeerToken } from './peer-token.js'
import {
  BENCH_PATH,
  announce,
  closeOnSignal,
  getRequest,
  listenFastify,
  readCaseOptions,
} from './protocol.js'

const options = readCaseOptions()
const secret = peerSecret()
// WebCrypto's own key type, imported once (a KeyObject would be converted on every call).
const key =
  options['cryptoKey'] === true
    ? await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
    : secret

const app = Fastify({ logger: false })
app.get(BENCH_PATH, async (request, reply) => {
  const header = request.headers.authorization
  if (header === undefined || !header.startsWith('Bearer ')) return reply.code(401).send()
  try {
    const { payload } = await jwtVerify(header.slice(7), key, { algorithms: ['HS256'] })
    if (!grantsRead(payload['scope'])) return reply.code(403).send()
    return { hello: payload.sub }
  } catch {
    return reply.code(401).send()
  }
})

const port = await listenFastify(app)
closeOnSignal(() => app.close())
const token = await signPeerToken(secret)
announce({ port, request: getRequest({ authorization: `Bearer ${token}` }) })

/**
 * Case 8: the same route behind @fastify/jwt (fast-jwt underneath), the peer plugin, with its
 * default options: HS256 secret, verification in an onRequest hook, scope checked in the handler.
 */
import fastifyJwt from '@fastify/jwt'
import Fastify from 'fastify'
import { grantsRead, peerSecret, signPeerToken } from './peer-token.js'
import { BENCH_PATH, announce, closeOnSignal, getRequest, listenFastify } from './protocol.js'

const secret = peerSecret()
const app = Fastify({ logger: false })
await app.register(fastifyJwt, { secret: Buffer.from(secret) })

app.get(
  BENCH_PATH,
  {
    onRequest: async (request) => {
      await request.jwtVerify()
    },
  },
  async (request, reply) => {
    const claims = request.user as { sub?: unknown; scope?: unknown } // adapter: peer's untyped user
    if (!grantsRead(claims.scope)) return reply.code(403).send()
    return { hello: claims.sub }
  },
)

const port = await listenFastify(app)
closeOnSignal(() => app.close())
const token = await signPeerToken(secret)
announce({ port, request: getRequest({ authorization: `Bearer ${token}` }) })

/**
 * Case 1: the bare Fastify route, no security. The denominator of every ratio.
 */
import Fastify from 'fastify'
import { BENCH_PATH, BENCH_USER, announce, closeOnSignal, getRequest, listenFastify } from './protocol.js'

const app = Fastify({ logger: false })
app.get(BENCH_PATH, async () => ({ hello: BENCH_USER }))

const port = await listenFastify(app)
closeOnSignal(() => app.close())
announce({ port, request: getRequest() })

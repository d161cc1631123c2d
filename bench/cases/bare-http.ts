/**
 * Case: bare `node:http`, the ceiling. Same path and body as every other case.
 */
import { createServer } from 'node:http'
import { BENCH_PATH, BENCH_USER, announce, closeOnSignal, getRequest, listenHttp } from './protocol.js'

const body = JSON.stringify({ hello: BENCH_USER })

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === BENCH_PATH) {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    response.end(body)
    return
  }
  response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
  response.end('{"error":"not_found"}')
})

const port = await listenHttp(server)
closeOnSignal(() => new Promise((resolve) => server.close(resolve)))
announce({ port, request: getRequest() })

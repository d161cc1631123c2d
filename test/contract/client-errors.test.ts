/**
 * Requests that never reach a route still get the JSON error shape: bytes Node's parser refuses,
 * oversized headers, undecodable URLs, and a body that never finishes (request timeout). The raw
 * bytes of a refused request never reach the log.
 */
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { gatehouseClientErrorHandler } from '../../src/fastify/index.js'
import { REQUEST_TIMEOUT_MS } from '../../src/server/defaults.js'
import { captureLog, startTestServer, type LogCapture, type TestServer } from '../helpers/server.js'

let server: TestServer
let log: LogCapture
before(async () => {
  log = captureLog()
  server = await startTestServer({ log })
})
after(() => server.close())

/** Sends raw bytes and reads until the server closes the connection. */
function rawExchange(bytes: string): Promise<string> {
  const { port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes))
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.on('error', reject)
  })
}

interface RawResponse {
  readonly statusLine: string
  readonly headers: Map<string, string>
  readonly body: unknown
}

function parseRaw(raw: string): RawResponse {
  const [head = '', body = ''] = raw.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = new Map(
    lines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const
    }),
  )
  return { statusLine, headers, body: JSON.parse(body) as unknown }
}

describe('requests Node cannot parse', () => {
  it('a NUL byte in a header: 400 invalid_request JSON, no-store, nosniff; the bytes are not logged', async () => {
    const raw = await rawExchange(
      'GET /secure-endpoint HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer raw-secret\u0000b\r\n\r\n',
    )
    const response = parseRaw(raw)
    assert.equal(response.statusLine, 'HTTP/1.1 400 Bad Request')
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('connection'), 'close')
    assert.deepEqual(response.body, {
      error: 'invalid_request',
      error_description: 'The request is not valid HTTP.',
    })
    assert.equal(log.text().includes('raw-secret'), false)
  })

  it('an invalid method and a smuggling attempt (Transfer-Encoding with Content-Length): 400', async () => {
    for (const bytes of [
      'BREW / HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ]) {
      const response = parseRaw(await rawExchange(bytes))
      assert.equal(response.statusLine, 'HTTP/1.1 400 Bad Request')
      assert.deepEqual(response.body, {
        error: 'invalid_request',
        error_description: 'The request is not valid HTTP.',
      })
    }
  })

  it('headers over the limit: 431 invalid_request JSON', async () => {
    const big = 'a'.repeat(20_000)
    const response = parseRaw(
      await rawExchange(`GET /secure-endpoint HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`),
    )
    assert.equal(response.statusLine, 'HTTP/1.1 431 Request Header Fields Too Large')
    assert.deepEqual(response.body, {
      error: 'invalid_request',
      error_description: 'The request headers are too large.',
    })
  })
})

describe('URLs the router cannot decode', () => {
  for (const path of ['/%ZZ', '/token%ZZ']) {
    it(`${path}: 400 invalid_request in the usual shape`, async () => {
      const response = await fetch(`${server.url}${path}`)
      assert.equal(response.status, 400)
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
      assert.deepEqual(await response.json(), {
        error: 'invalid_request',
        error_description: 'The request URL cannot be decoded.',
      })
    })
  }
})

describe('request timeout', () => {
  it(`the server gives a client ${REQUEST_TIMEOUT_MS / 1000} s for a whole request`, () => {
    // A request still arriving is held to headersTimeout too; both must be the 30 s.
    assert.equal(server.app.server.requestTimeout, REQUEST_TIMEOUT_MS)
    assert.equal(server.app.server.headersTimeout, REQUEST_TIMEOUT_MS)
  })

  it('a timed-out request is answered 408 request_timeout and closed', () => {
    const written: string[] = []
    let destroyed = false
    const socket = {
      destroyed: false,
      writable: true,
      write: (chunk: string) => written.push(chunk),
      destroy: () => {
        destroyed = true
      },
    } as unknown as Socket
    const logged: unknown[] = []
    const instance = { log: { debug: (fields: unknown) => logged.push(fields) } }
    const error = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' })
    gatehouseClientErrorHandler.call(instance as never, error, socket)
    const response = parseRaw(written.join(''))
    assert.equal(response.statusLine, 'HTTP/1.1 408 Request Timeout')
    assert.deepEqual(response.body, {
      error: 'request_timeout',
      error_description: 'The request was not received in time.',
    })
    assert.equal(destroyed, true)
    assert.deepEqual(logged, [{ code: 'ERR_HTTP_REQUEST_TIMEOUT', statusCode: 408 }])
  })
})

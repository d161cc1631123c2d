/**
 * Requests that never reach a route: bytes Node's HTTP parser refuses (`clientError`) and URLs
 * Fastify's router cannot decode. Both get the JSON error shape of every other response instead
 * of Fastify's defaults, and the parser's raw bytes are never logged.
 */
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorBody } from './error-handler.js'

interface ClientErrorAnswer {
  readonly status: number
  readonly reason: string
  readonly body: ErrorBody
}

const TIMEOUT: ClientErrorAnswer = {
  status: 408,
  reason: 'Request Timeout',
  body: { error: 'request_timeout', error_description: 'The request was not received in time.' },
}

const HEADERS_TOO_LARGE: ClientErrorAnswer = {
  status: 431,
  reason: 'Request Header Fields Too Large',
  body: { error: 'invalid_request', error_description: 'The request headers are too large.' },
}

const MALFORMED: ClientErrorAnswer = {
  status: 400,
  reason: 'Bad Request',
  body: { error: 'invalid_request', error_description: 'The request is not valid HTTP.' },
}

function answerFor(code: string | undefined): ClientErrorAnswer {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return TIMEOUT
  if (code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE
  return MALFORMED
}

/**
 * Fastify's `clientErrorHandler` option: answers a request Node could not parse (or that timed
 * out, see Fastify's `requestTimeout`) with `{ error, error_description }`, `no-store` and
 * `nosniff`, then closes the connection. Logs the parser's code at `debug`, never its bytes.
 *
 * @example
 * ```ts
 * const app = Fastify({ clientErrorHandler: gatehouseClientErrorHandler, requestTimeout: 30_000 })
 * ```
 */
export function gatehouseClientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  // A reset connection has nobody left to answer (Node's own rule).
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const answer = answerFor(error.code)
  this.log.debug({ code: error.code, statusCode: answer.status }, 'client error')
  if (socket.writable) {
    const body = JSON.stringify(answer.body)
    socket.write(
      `HTTP/1.1 ${answer.status} ${answer.reason}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n' +
        `Connection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/**
 * Fastify's `frameworkErrors` option: a URL the router cannot decode (`FST_ERR_BAD_URL`), a path
 * parameter over its length limit or a failed async constraint is answered `400 invalid_request`
 * in the usual shape (these requests match no route, so no route hook or error handler runs).
 *
 * @example
 * ```ts
 * const app = Fastify({ frameworkErrors: gatehouseFrameworkErrors })
 * ```
 */
export function gatehouseFrameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  request.log.debug({ code: error.code, statusCode: 400 }, 'request rejected')
  void reply
    .code(400)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send({ error: 'invalid_request', error_description: BAD_URL_DESCRIPTION })
}

const BAD_URL_DESCRIPTION = 'The request URL cannot be decoded.'

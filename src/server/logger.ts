/**
 * pino options for the server: credentials are redacted once, here, so no route or plugin can
 * leak them into the log (STYLE §29).
 */
import type { FastifyRequest } from 'fastify'
import { stdSerializers, type LoggerOptions } from 'pino'
import type { LogLevel } from './config.js'

/**
 * Paths pino replaces with `[Redacted]`: credential headers of requests and responses, and any
 * credential-named field one level deep (bodies, parsed forms, error details).
 */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'access_token',
  'refresh_token',
  'client_secret',
  'token',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.token',
])

/**
 * The request URL with every query value replaced: the server reads no credential from the query,
 * but a client that sends one there (`/token?password=…`, `?access_token=…`) must not put it in
 * the log. Parameter names stay, for debugging.
 *
 * @example
 * redactQuery('/token?username=al&password=x') // '/token?username=[Redacted]&password=[Redacted]'
 */
export function redactQuery(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=')
      return equals === -1 ? pair : `${pair.slice(0, equals)}=[Redacted]`
    })
  return `${url.slice(0, start)}?${query.join('&')}`
}

/**
 * Fastify's request serializer, with {@link redactQuery} on the URL. Whatever else a careless
 * `log.info({ req })` passes (headers, body) is left out.
 */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactQuery(request.url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

/**
 * pino's error serializer without `rawPacket`: Node attaches the bytes of a request it could not
 * parse to its `clientError`, credentials included.
 */
function serializeError(error: Error): Record<string, unknown> {
  const { rawPacket: _rawPacket, ...serialized } = stdSerializers.err(error) as Record<
    string,
    unknown
  >
  return serialized
}

/** Options of {@link createLoggerOptions}. */
export interface LoggerOptionsInput {
  readonly level: LogLevel
  /** Where log lines go; default stdout. Tests pass a stream they can read. */
  readonly stream?: NodeJS.WritableStream
}

/**
 * pino options with redaction, for Fastify's `logger` option.
 *
 * @example
 * Fastify({ logger: createLoggerOptions({ level: 'info' }) })
 */
export function createLoggerOptions(input: LoggerOptionsInput): LoggerOptions & {
  stream?: NodeJS.WritableStream
} {
  return {
    level: input.level,
    redact: { paths: [...REDACT_PATHS], censor: '[Redacted]' },
    serializers: { req: serializeRequest, err: serializeError },
    ...(input.stream === undefined ? {} : { stream: input.stream }),
  }
}

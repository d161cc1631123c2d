/**
 * pino options for the server: credentials are redacted once, here, so no route or plugin can
 * leak them into the log (STYLE §29).
 */
import type { LoggerOptions } from 'pino'
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
    ...(input.stream === undefined ? {} : { stream: input.stream }),
  }
}

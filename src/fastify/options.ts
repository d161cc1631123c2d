import { GatehouseConfigError } from '../errors.js'
import { ScopeRegistry, type ScopeDefinitions } from '../scopes/index.js'
import {
  DEFAULT_ERROR_HANDLER,
  DEFAULT_NOT_FOUND_HANDLER,
  DEFAULT_SECURITY_LOG_LEVEL,
} from './defaults.js'

/** Log levels a rejection may be logged at. */
export type SecurityLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'silent'

const LOG_LEVELS: readonly SecurityLogLevel[] = ['trace', 'debug', 'info', 'warn', 'silent']

/** Options of the gatehouse plugin. */
export interface GatehouseOptions {
  /**
   * The scopes routes may require, with descriptions and implication. Default: the union of the
   * scopes the app's OAuth2 / OpenID Connect schemes declare (without implication).
   */
  readonly scopes?: ScopeRegistry | ScopeDefinitions
  /** Install {@link createErrorHandler}'s handler on the app. Default `true`. */
  readonly errorHandler?: boolean
  /** Install {@link notFoundHandler} (404 `{"error":"not_found"}`). Default `false`. */
  readonly notFoundHandler?: boolean
  /** Level for expected 4xx rejections; 5xx always log at `error`. Default `'info'`. */
  readonly securityLogLevel?: SecurityLogLevel
}

/** Validated, frozen plugin options. */
export interface ResolvedGatehouseOptions {
  readonly scopes: ScopeRegistry | undefined
  readonly errorHandler: boolean
  readonly notFoundHandler: boolean
  readonly securityLogLevel: SecurityLogLevel
}

const KNOWN = ['scopes', 'errorHandler', 'notFoundHandler', 'securityLogLevel']

/** Checks every option where it is given and names what was received. */
export function resolveOptions(options: GatehouseOptions): ResolvedGatehouseOptions {
  if (typeof options !== 'object' || options === null) {
    throw configError(`gatehouse options must be an object, got ${typeName(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) throw configError(`Unknown gatehouse option \`${key}\``)
  }
  return Object.freeze({
    scopes: options.scopes === undefined ? undefined : ScopeRegistry.from(options.scopes),
    errorHandler: booleanOption('errorHandler', options.errorHandler, DEFAULT_ERROR_HANDLER),
    notFoundHandler: booleanOption(
      'notFoundHandler',
      options.notFoundHandler,
      DEFAULT_NOT_FOUND_HANDLER,
    ),
    securityLogLevel: logLevelOption(options.securityLogLevel),
  })
}

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean')
    throw configError(`\`${name}\` must be a boolean, got ${typeName(value)}`)
  return value
}

function logLevelOption(value: unknown): SecurityLogLevel {
  if (value === undefined) return DEFAULT_SECURITY_LOG_LEVEL
  if (!LOG_LEVELS.includes(value as SecurityLogLevel)) {
    throw configError(
      `\`securityLogLevel\` must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`,
    )
  }
  return value as SecurityLogLevel
}

function configError(message: string): GatehouseConfigError {
  return new GatehouseConfigError(message)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

/**
 * Construction-time option checks shared by every scheme (STYLE 24: name the option and what
 * was received). Misuse throws `GatehouseConfigError` (`GH_ERR_CONFIG_INVALID`).
 */
import { GatehouseConfigError } from '../errors.js'

/** OpenAPI 3.1 §4.8.7: keys of `components.*` match this. */
const COMPONENT_KEY = /^[a-zA-Z0-9.\-_]+$/
/** RFC 7230 token: header and cookie names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Describes a received value for an error message: `string`, `null`, `array`, ... */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value === 'string' && value === '' ? 'empty string' : typeof value
}

function fail(owner: string, message: string): never {
  throw new GatehouseConfigError(`${owner}: ${message}`)
}

/** Asserts `options` is a plain object with only `allowed` keys. */
export function checkOptionObject(
  owner: string,
  options: unknown,
  allowed: readonly string[],
): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(owner, `options must be an object, got ${typeName(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const near = allowed.find((name) => name.toLowerCase() === key.toLowerCase())
      const hint =
        near === undefined ? `expected one of ${allowed.join(', ')}` : `did you mean \`${near}\`?`
      fail(owner, `unknown option \`${key}\`; ${hint}`)
    }
  }
}

/** A required non-empty string option. */
export function requiredString(owner: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    fail(owner, `\`${name}\` must be a non-empty string, got ${typeName(value)}`)
  }
  return value
}

/** An optional non-empty string option. */
export function optionalString(owner: string, name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requiredString(owner, name, value)
}

/** An optional boolean option, `false` by default. */
export function optionalBoolean(owner: string, name: string, value: unknown): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean')
    fail(owner, `\`${name}\` must be a boolean, got ${typeName(value)}`)
  return value
}

/** A `schemeName`: a valid OpenAPI component key, defaulting to the class name. */
export function schemeNameOption(owner: string, value: unknown): string {
  const name = optionalString(owner, 'schemeName', value) ?? owner
  if (!COMPONENT_KEY.test(name)) {
    fail(
      owner,
      `\`schemeName\` must match ${COMPONENT_KEY.source} (an OpenAPI component key), got ${JSON.stringify(name)}`,
    )
  }
  return name
}

/** A header or cookie name: an RFC 7230 token. */
export function tokenOption(owner: string, name: string, value: unknown): string {
  const text = requiredString(owner, name, value)
  if (!TOKEN.test(text))
    fail(owner, `\`${name}\` must be an RFC 7230 token, got ${JSON.stringify(text)}`)
  return text
}

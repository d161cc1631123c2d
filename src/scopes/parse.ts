/**
 * RFC 6749 §3.3 scope syntax:
 *
 * ```abnf
 * scope       = scope-token *( SP scope-token )
 * scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
 * ```
 */
import { ScopeSyntaxError, type ScopeSyntaxReason } from './errors.js'

const SPACE = 0x20

/** True for a character allowed in a scope-token: visible ASCII except `"` and `\`. */
function isTokenChar(code: number): boolean {
  return code >= 0x21 && code <= 0x7e && code !== 0x22 && code !== 0x5c
}

/**
 * Whether `value` is a single RFC 6749 scope-token.
 *
 * @example
 * ```ts
 * isScopeToken('items:read') // true
 * isScopeToken('a b')        // false
 * ```
 */
export function isScopeToken(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false
  for (let i = 0; i < value.length; i++) {
    if (!isTokenChar(value.charCodeAt(i))) return false
  }
  return true
}

function describeChar(code: number): string {
  return code >= 0x21 && code <= 0x7e ? `"${String.fromCharCode(code)}"` : `U+${hex(code)}`
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0')
}

function syntaxError(input: string, index: number): ScopeSyntaxError {
  const code = input.charCodeAt(index)
  if (code === SPACE || index === input.length) {
    return new ScopeSyntaxError(
      'empty-token',
      index,
      `Invalid scope: empty scope-token at offset ${index} (scopes are separated by single spaces)`,
    )
  }
  return new ScopeSyntaxError(
    'invalid-character',
    index,
    `Invalid scope: character ${describeChar(code)} at offset ${index} is not allowed in a scope-token`,
  )
}

/**
 * Parses an RFC 6749 §3.3 scope string into its tokens: split on single spaces, duplicates
 * removed, first-seen order kept. The empty string is the empty scope.
 *
 * @throws {ScopeSyntaxError} on double, leading or trailing spaces, or a forbidden character
 * (control characters, non-ASCII, `"` and `\`).
 *
 * @example
 * ```ts
 * parseScope('read write read') // ['read', 'write']
 * parseScope('')                // []
 * parseScope('read  write')     // throws ScopeSyntaxError (empty-token)
 * ```
 */
export function parseScope(scope: string): string[] {
  if (typeof scope !== 'string') {
    throw new ScopeSyntaxError(
      'not-a-string',
      0,
      `Invalid scope: expected a string, got ${typeof scope}`,
    )
  }
  // A Set keeps first-seen order and dedupes in O(1): scope strings come from clients.
  const tokens = new Set<string>()
  if (scope.length === 0) return []
  let start = 0
  for (let i = 0; i <= scope.length; i++) {
    const code = i === scope.length ? SPACE : scope.charCodeAt(i)
    if (code === SPACE) {
      if (i === start) throw syntaxError(scope, i)
      tokens.add(scope.slice(start, i))
      start = i + 1
    } else if (!isTokenChar(code)) {
      throw syntaxError(scope, i)
    }
  }
  return [...tokens]
}

/**
 * Like {@link parseScope} but returns `undefined` instead of throwing (for request paths).
 *
 * @example
 * ```ts
 * tryParseScope('read "x"') // undefined
 * ```
 */
export function tryParseScope(scope: string): string[] | undefined {
  try {
    return parseScope(scope)
  } catch {
    return undefined
  }
}

function tokenReason(token: unknown): ScopeSyntaxReason {
  if (typeof token !== 'string') return 'not-a-string'
  return token === '' ? 'empty-token' : 'invalid-character'
}

/**
 * Formats scope tokens as an RFC 6749 scope string (space-separated, duplicates removed).
 *
 * @throws {ScopeSyntaxError} when an element is not a scope-token.
 *
 * @example
 * ```ts
 * formatScope(['read', 'write']) // 'read write'
 * ```
 */
export function formatScope(scopes: Iterable<string>): string {
  const seen = new Set<string>()
  for (const token of scopes) {
    if (!isScopeToken(token)) {
      throw new ScopeSyntaxError(
        tokenReason(token),
        0,
        `Invalid scope-token ${JSON.stringify(token)}: expected 1*( %x21 / %x23-5B / %x5D-7E )`,
      )
    }
    seen.add(token)
  }
  return [...seen].join(' ')
}

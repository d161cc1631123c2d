import { InvalidUsernameError } from './errors.js'

/** The longest username, in characters (code points). */
export const MAX_USERNAME_LENGTH = 64

/** Whitespace, control, format (zero-width, bidi) and separator characters, and `:`. */
const FORBIDDEN = /[\s\p{Cc}\p{Cf}\p{Z}:]/u

/**
 * Normalises a username to NFC and checks the rules: 1–64 characters, no whitespace, control or
 * format characters, no `:` (HTTP Basic's separator, RFC 7617 §2).
 *
 * @throws InvalidUsernameError naming the rule that failed.
 */
export function normalizeUsername(username: string): string {
  if (typeof username !== 'string' || username === '') {
    throw new InvalidUsernameError('username must be a non-empty string')
  }
  const normalized = username.normalize('NFC')
  const length = [...normalized].length
  if (length > MAX_USERNAME_LENGTH) {
    throw new InvalidUsernameError(
      `username must be at most ${MAX_USERNAME_LENGTH} characters, got ${length}`,
    )
  }
  const forbidden = FORBIDDEN.exec(normalized)?.[0]
  if (forbidden !== undefined) {
    throw new InvalidUsernameError(`username must not contain ${describe(forbidden)}`)
  }
  return normalized
}

/** Like {@link normalizeUsername} but `undefined` for a username that cannot exist. */
export function tryNormalizeUsername(username: string): string | undefined {
  try {
    return normalizeUsername(username)
  } catch {
    return undefined
  }
}

function describe(char: string): string {
  if (char === ':') return '":"'
  const code = char.codePointAt(0) ?? 0
  return `whitespace or control characters (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
}

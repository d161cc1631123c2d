import { hash as argon2Hash, parseOptions, verify as argon2Verify } from '@node-rs/argon2'
import type { Algorithm, Options, Version } from '@node-rs/argon2'
import { GatehouseConfigError } from '../errors.js'
import {
  DEFAULT_MEMORY_COST,
  DEFAULT_PARALLELISM,
  DEFAULT_TIME_COST,
  MAX_PASSWORD_BYTES,
  OUTPUT_LENGTH,
} from './defaults.js'
import { DummyHash } from './equal-time.js'
import type { PasswordHasher } from './hasher.js'

/** Parameters of {@link createArgon2Hasher}; defaults are OWASP's (19 MiB, t=2, p=1). */
export interface Argon2HasherOptions {
  /** Memory per hash in KiB. Default 19456 (19 MiB). */
  readonly memoryCost?: number
  /** Passes over memory. Default 2. */
  readonly timeCost?: number
  /** Lanes. Default 1. */
  readonly parallelism?: number
}

/** The resolved, frozen parameters of an argon2id hasher. */
export interface Argon2Parameters {
  readonly memoryCost: number
  readonly timeCost: number
  readonly parallelism: number
}

/** An argon2id {@link PasswordHasher} that also exposes its parameters. */
export interface Argon2Hasher extends PasswordHasher {
  readonly parameters: Argon2Parameters
}

// Values of @node-rs/argon2's const enums, spelled out: ambient const enums are not emitted.
const ARGON2ID: Algorithm = 2
const VERSION_0X13: Version = 1

/**
 * Creates an argon2id password hasher. Hashing runs on libuv's thread pool, off the event loop.
 * Passwords are normalised to Unicode NFC (RFC 8265 OpaqueString) so the same password typed on
 * different systems matches.
 *
 * @throws GatehouseConfigError for parameters out of range.
 * @example
 * ```ts
 * const hasher = createArgon2Hasher()
 * const stored = await hasher.hash('correct horse')
 * await hasher.verify(stored, 'correct horse') // true
 * ```
 */
export function createArgon2Hasher(options: Argon2HasherOptions = {}): Argon2Hasher {
  const parameters = resolveParameters(options)
  const argon2Options: Options = { ...parameters, algorithm: ARGON2ID, outputLen: OUTPUT_LENGTH }
  const dummy = new DummyHash((password) => argon2Hash(password, argon2Options))
  dummy.warm()
  return Object.freeze({
    parameters,
    hash: (password: string) => hashPassword(password, argon2Options),
    verify: verifyPassword,
    needsRehash: (hash: string) => needsRehash(hash, parameters),
    verifyDummy: async (password: string): Promise<false> => {
      await verifyPassword(await dummy.get(), password)
      return false
    },
  })
}

async function hashPassword(password: string, options: Options): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) {
    throw new RangeError('password must be a non-empty string')
  }
  if (isOversized(password)) {
    throw new RangeError(`password must be at most ${MAX_PASSWORD_BYTES} bytes of UTF-8`)
  }
  return argon2Hash(password.normalize('NFC'), options)
}

async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (typeof hash !== 'string' || typeof password !== 'string' || isOversized(password))
    return false
  try {
    return await argon2Verify(hash, password.normalize('NFC'))
  } catch {
    return false // a malformed stored hash matches nothing
  }
}

function needsRehash(hash: string, parameters: Argon2Parameters): boolean {
  try {
    const parsed = parseOptions(hash)
    return (
      parsed.algorithm !== ARGON2ID ||
      parsed.version !== VERSION_0X13 ||
      parsed.memoryCost !== parameters.memoryCost ||
      parsed.timeCost !== parameters.timeCost ||
      parsed.parallelism !== parameters.parallelism ||
      parsed.outputLen !== OUTPUT_LENGTH ||
      parsed.saltLen < 16
    )
  } catch {
    return true // not an argon2 PHC string: whatever it is, replace it
  }
}

function isOversized(password: string): boolean {
  // UTF-8 is at most 3 bytes per UTF-16 code unit, so short strings skip the byte count.
  return (
    password.length * 3 > MAX_PASSWORD_BYTES && Buffer.byteLength(password) > MAX_PASSWORD_BYTES
  )
}

function resolveParameters(options: Argon2HasherOptions): Argon2Parameters {
  const parameters = {
    memoryCost: options.memoryCost ?? DEFAULT_MEMORY_COST,
    timeCost: options.timeCost ?? DEFAULT_TIME_COST,
    parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
  }
  assertInteger('parallelism', parameters.parallelism, 1, 255)
  assertInteger('memoryCost', parameters.memoryCost, 8 * parameters.parallelism, 2 ** 32 - 1)
  assertInteger('timeCost', parameters.timeCost, 1, 2 ** 32 - 1)
  return Object.freeze(parameters)
}

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new GatehouseConfigError(
      `\`${name}\` must be an integer from ${min} to ${max}, got ${String(value)}`,
    )
  }
}

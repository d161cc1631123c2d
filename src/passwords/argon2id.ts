import { parseOptions } from '@node-rs/argon2'
import type { Algorithm, Options, Version } from '@node-rs/argon2'
import { GatehouseConfigError } from '../errors.js'
import type { Argon2Reply, Argon2Request, Argon2WorkerData } from './argon2-worker.js'
import {
  DEFAULT_MAX_QUEUE,
  DEFAULT_MEMORY_COST,
  DEFAULT_NICE_INCREMENT,
  DEFAULT_PARALLELISM,
  DEFAULT_TIME_COST,
  MAX_PASSWORD_BYTES,
  OUTPUT_LENGTH,
  defaultThreads,
} from './defaults.js'
import { DummyHash } from './equal-time.js'
import type { PasswordHasher } from './hasher.js'
import { siblingModule, spawnModuleWorker } from './spawn-worker.js'
import { WorkerPool } from './worker-pool.js'

/** Parameters of {@link createArgon2Hasher}; defaults are OWASP's (19 MiB, t=2, p=1). */
export interface Argon2HasherOptions {
  /** Memory per hash in KiB. Default 19456 (19 MiB). */
  readonly memoryCost?: number
  /** Passes over memory. Default 2. */
  readonly timeCost?: number
  /** Lanes. Default 1. */
  readonly parallelism?: number
  /** Hashing threads (worker threads, one job each at a time). Default: one per available core. */
  readonly threads?: number
  /** Jobs that may wait for a thread; one more rejects with `queue_full`. Default 256. */
  readonly maxQueue?: number
  /** How far hashing threads lower their priority (nice value, Linux), 0 to 19. Default 19. */
  readonly niceIncrement?: number
}

/** The resolved, frozen parameters of an argon2id hasher. */
export interface Argon2Parameters {
  readonly memoryCost: number
  readonly timeCost: number
  readonly parallelism: number
}

/** The resolved, frozen sizing of an argon2id hasher's threads and queue. */
export interface Argon2PoolSettings {
  readonly threads: number
  readonly maxQueue: number
  readonly niceIncrement: number
}

/** An argon2id {@link PasswordHasher} that also exposes its parameters. */
export interface Argon2Hasher extends PasswordHasher {
  readonly parameters: Argon2Parameters
}

/**
 * The hasher {@link createArgon2Hasher} returns: an {@link Argon2Hasher} that owns its hashing
 * threads. (A subtype, so wrappers that implement `Argon2Hasher` need not change.)
 */
export interface PooledArgon2Hasher extends Argon2Hasher {
  readonly pool: Argon2PoolSettings
  /**
   * Stops the hashing threads. Waiting and running jobs reject with
   * `PasswordHasherUnavailable` (`closed`), and so does every later call. Idle threads never keep
   * the process alive, so closing is for tests and graceful shutdown, not a requirement.
   */
  close(): Promise<void>
}

// Values of @node-rs/argon2's const enums, spelled out: ambient const enums are not emitted.
const ARGON2ID: Algorithm = 2
const VERSION_0X13: Version = 1

/**
 * Creates an argon2id password hasher. Hashing runs on a pool of worker threads at the lowest CPU
 * priority (Linux), behind a bounded FIFO queue: never on the event loop, and never on libuv's
 * threadpool, where it would delay the WebCrypto jobs that verify access tokens. Passwords are
 * normalised to Unicode NFC (RFC 8265 OpaqueString) so the same password typed on different
 * systems matches.
 *
 * @throws GatehouseConfigError for parameters out of range.
 * @example
 * ```ts
 * const hasher = createArgon2Hasher()
 * const stored = await hasher.hash('correct horse')
 * await hasher.verify(stored, 'correct horse') // true
 * await hasher.close() // at shutdown
 * ```
 */
export function createArgon2Hasher(options: Argon2HasherOptions = {}): PooledArgon2Hasher {
  const parameters = resolveParameters(options)
  const pool = resolvePoolSettings(options)
  const argon2Options: Options = { ...parameters, algorithm: ARGON2ID, outputLen: OUTPUT_LENGTH }
  const workers = startPool(pool, argon2Options)
  const verify = (hash: string, password: string): Promise<boolean> =>
    verifyPassword(workers, hash, password)
  const dummy = new DummyHash((password) => hashPassword(workers, password))
  dummy.warm()
  return Object.freeze({
    parameters,
    pool,
    hash: (password: string) => hashPassword(workers, password),
    verify,
    needsRehash: (hash: string) => needsRehash(hash, parameters),
    verifyDummy: async (password: string): Promise<false> => {
      await verify(await dummy.get(), password)
      return false
    },
    close: () => workers.close(),
  })
}

type Argon2Pool = WorkerPool<Argon2Request, Argon2Reply>

function startPool(settings: Argon2PoolSettings, options: Options): Argon2Pool {
  const entry = siblingModule(import.meta.url, 'argon2-worker')
  const workerData: Argon2WorkerData = { options, niceIncrement: settings.niceIncrement }
  return new WorkerPool({
    threads: settings.threads,
    maxQueue: settings.maxQueue,
    spawn: () => spawnModuleWorker(entry, { workerData }),
  })
}

async function hashPassword(workers: Argon2Pool, password: string): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) {
    throw new RangeError('password must be a non-empty string')
  }
  if (isOversized(password)) {
    throw new RangeError(`password must be at most ${MAX_PASSWORD_BYTES} bytes of UTF-8`)
  }
  const reply = await workers.run({ op: 'hash', password: password.normalize('NFC') })
  if (!reply.ok || typeof reply.value !== 'string') {
    throw new Error(`argon2 failed to hash: ${reply.ok ? 'no hash returned' : reply.message}`)
  }
  return reply.value
}

async function verifyPassword(
  workers: Argon2Pool,
  hash: string,
  password: string,
): Promise<boolean> {
  if (typeof hash !== 'string' || typeof password !== 'string' || isOversized(password))
    return false
  const reply = await workers.run({ op: 'verify', hash, password: password.normalize('NFC') })
  return reply.ok && reply.value === true // a malformed stored hash (ok: false) matches nothing
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

function resolvePoolSettings(options: Argon2HasherOptions): Argon2PoolSettings {
  const settings = {
    threads: options.threads ?? defaultThreads(),
    maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
    niceIncrement: options.niceIncrement ?? DEFAULT_NICE_INCREMENT,
  }
  assertInteger('threads', settings.threads, 1, 1024)
  assertInteger('maxQueue', settings.maxQueue, 0, 2 ** 31 - 1)
  assertInteger('niceIncrement', settings.niceIncrement, 0, 19)
  return Object.freeze(settings)
}

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new GatehouseConfigError(
      `\`${name}\` must be an integer from ${min} to ${max}, got ${String(value)}`,
    )
  }
}

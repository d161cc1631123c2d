/**
 * Defaults of the passwords layer: the OWASP Password Storage Cheat Sheet's first argon2id
 * configuration (m=19 MiB, t=2, p=1), and the sizing of the hashing threads. Each is documented
 * here once.
 */
import { availableParallelism } from 'node:os'

/** Memory per hash in KiB: 19456 KiB = 19 MiB (OWASP minimum for argon2id). */
export const DEFAULT_MEMORY_COST = 19456

/** Passes over memory: 2 (OWASP, paired with 19 MiB). */
export const DEFAULT_TIME_COST = 2

/** Lanes computed in parallel: 1. Raising it changes the hash, so it is part of the parameters. */
export const DEFAULT_PARALLELISM = 1

/** Raw hash output in bytes: 32 (256 bits). */
export const OUTPUT_LENGTH = 32

/**
 * The longest password accepted, in UTF-8 bytes: 1024. Argon2 itself accepts more, but nobody
 * types more and the bound caps the work a single request can ask for. The token endpoint rejects
 * earlier; the hasher repeats the check as defence in depth.
 */
export const MAX_PASSWORD_BYTES = 1024

/**
 * Hashing threads: one per core the process may use (`os.availableParallelism()`). Argon2 is
 * CPU-bound, so more threads than cores only queue in the kernel instead of in the hasher.
 */
export function defaultThreads(): number {
  return availableParallelism()
}

/**
 * Password jobs that may wait for a hashing thread: 256. At OWASP parameters one core verifies
 * roughly 40 passwords a second, so on two cores the last of 256 waits about three seconds; a
 * client is better told `503 temporarily_unavailable` than kept waiting longer.
 */
export const DEFAULT_MAX_QUEUE = 256

/**
 * How far hashing threads lower their priority (their nice value rises by this much, capped at
 * 19): 19, the lowest. The event loop then wins every contended core, so protected requests keep
 * their latency during a login storm, while logins still use every idle cycle. Linux only; where
 * the OS has no per-thread priority the threads run at the process's priority.
 */
export const DEFAULT_NICE_INCREMENT = 19

/**
 * The body of a hashing thread (see `worker-pool.ts`): lowers its own priority once, then answers
 * one argon2 job per message with the synchronous binding, on this thread rather than on libuv's
 * threadpool.
 */
import { hashSync, verifySync, type Options } from '@node-rs/argon2'
import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { basename } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'

/** What a hashing thread is started with. */
export interface Argon2WorkerData {
  /** The argon2 options of `hash` (algorithm, costs, output length). */
  readonly options: Options
  /** How much to raise this thread's nice value; 0 leaves it. */
  readonly niceIncrement: number
}

/** One job. Passwords arrive already NFC-normalised and size-checked. */
export type Argon2Request =
  | { readonly op: 'hash'; readonly password: string }
  | { readonly op: 'verify'; readonly hash: string; readonly password: string }

/** The answer to one job: the hash or the verdict, or the message argon2 threw. */
export type Argon2Reply =
  | { readonly ok: true; readonly value: string | boolean }
  | { readonly ok: false; readonly message: string }

/**
 * Runs one job. Never throws: argon2's errors (a malformed stored hash) become `ok: false`.
 *
 * @example
 * runArgon2({ op: 'verify', hash: stored, password: 'secret' }, {}) // { ok: true, value: true }
 */
export function runArgon2(request: Argon2Request, options: Options): Argon2Reply {
  try {
    const value =
      request.op === 'hash'
        ? hashSync(request.password, options)
        : verifySync(request.hash, request.password)
    return { ok: true, value }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * Raises this thread's nice value. Linux: `/proc/thread-self` links to `<pid>/task/<tid>`, and
 * setpriority(2) on a thread id renices that thread only. Elsewhere, or when refused, the thread
 * keeps the process's priority.
 */
function lowerPriority(increment: number): void {
  if (increment === 0) return
  try {
    const tid = Number(basename(readlinkSync('/proc/thread-self')))
    setPriority(tid, Math.min(19, getPriority(tid) + increment))
  } catch {
    // No per-thread priority here: hash at normal priority.
  }
}

if (parentPort !== null) {
  const port = parentPort
  const data = workerData as Argon2WorkerData // adapter: set by createArgon2Hasher
  lowerPriority(data.niceIncrement)
  port.on('message', (request: Argon2Request) => {
    port.postMessage(runArgon2(request, data.options))
  })
}

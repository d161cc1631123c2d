/**
 * PROTOTYPE of a proposed change to src/passwords, used only by the bench to show its effect on
 * the login-storm target: argon2id runs in a small pool of worker threads (one per core) at the
 * lowest CPU priority (nice 19, Linux), queued in JavaScript instead of on libuv's threadpool.
 *
 * Why: with hashing on libuv's threadpool, a login storm (a) fills the four pool threads, so the
 * WebCrypto jobs that verify access tokens wait behind whole argon2 hashes, and (b) runs as many
 * CPU-bound threads as there are queued logins on the event loop's core. Both stretch every
 * protected request. Niced workers leave the threadpool to crypto and yield the core to the
 * event loop whenever it has work; logins still get every idle cycle.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Argon2Hasher } from '../../src/passwords/index.js'

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { readlinkSync } = require('node:fs')
const { setPriority } = require('node:os')
const argon2 = require('@node-rs/argon2')
try {
  // Linux: /proc/thread-self -> <pid>/task/<tid>; setpriority on a tid renices that thread only.
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19)
} catch {}
parentPort.on('message', ({ id, op, hash, password }) => {
  try {
    const result = op === 'verify' ? argon2.verifySync(hash, password) : argon2.hashSync(password)
    parentPort.postMessage({ id, result })
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) })
  }
})
`

interface Job {
  readonly id: number
  readonly op: 'verify' | 'hash'
  readonly hash?: string
  readonly password: string
  resolve(value: unknown): void
  reject(error: Error): void
}

/** Wraps a real hasher: `verify`, `verifyDummy`'s cost and `hash` go to niced workers. */
export function nicedWorkerHasher(base: Argon2Hasher, size = availableParallelism()): Argon2Hasher {
  const idle: Worker[] = []
  const queue: Job[] = []
  const running = new Map<number, Job>()
  let nextId = 0
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop() as Worker
      const job = queue.shift() as Job
      running.set(job.id, job)
      worker.postMessage({ id: job.id, op: job.op, hash: job.hash, password: job.password })
    }
  }
  for (let i = 0; i < size; i += 1) {
    const worker = new Worker(WORKER_SOURCE, { eval: true })
    worker.unref()
    worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
      const job = running.get(id)
      running.delete(id)
      idle.push(worker)
      if (error === undefined) job?.resolve(result)
      else job?.reject(new Error(error))
      pump()
    })
    idle.push(worker)
  }
  const submit = <T>(op: Job['op'], password: string, hash?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ id: nextId++, op, password, resolve: resolve as (v: unknown) => void, reject, ...(hash === undefined ? {} : { hash }) })
      pump()
    })
  return {
    parameters: base.parameters,
    needsRehash: (hash) => base.needsRehash(hash),
    hash: (password) => submit<string>('hash', password.normalize('NFC')),
    verify: (hash, password) => submit<boolean>('verify', password.normalize('NFC'), hash).catch(() => false),
    verifyDummy: async (password) => {
      await base.verifyDummy(password)
      return false
    },
  }
}

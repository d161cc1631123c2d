import type { Worker } from 'node:worker_threads'
import { GatehouseError } from '../errors.js'
import { PasswordHasherUnavailable } from './errors.js'

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Most threads alive at once; each runs one job at a time. */
  readonly threads: number
  /** Most jobs waiting for a thread; one more is rejected. */
  readonly maxQueue: number
  /** Starts a thread. Called on demand, and again to replace a thread that exited. */
  readonly spawn: () => Worker
}

interface Job<Request, Reply> {
  readonly request: Request
  resolve(reply: Reply): void
  reject(error: Error): void
}

/**
 * A fixed set of worker threads with a bounded FIFO queue in front. Each thread takes one job
 * (one `postMessage`) at a time and answers it with one message. Threads start when work first
 * needs them, hold the process open only while they run a job, and a thread that exits is
 * replaced when work next needs one, while the job it ran rejects.
 *
 * @example
 * ```ts
 * const pool = new WorkerPool<Request, Reply>({ threads: 2, maxQueue: 64, spawn: () => new Worker(url) })
 * const reply = await pool.run(request)
 * await pool.close()
 * ```
 */
export class WorkerPool<Request, Reply> {
  readonly #options: WorkerPoolOptions
  readonly #idle: Worker[] = []
  readonly #running = new Map<Worker, Job<Request, Reply>>()
  readonly #alive = new Set<Worker>()
  readonly #queue: Array<Job<Request, Reply>> = []
  #closed = false

  constructor(options: WorkerPoolOptions) {
    this.#options = options
  }

  /**
   * Runs a job on the next free thread, in arrival order.
   *
   * @throws {PasswordHasherUnavailable} when the queue is full or the pool is closed.
   * @throws {GatehouseError} `GH_ERR_INTERNAL` when the thread exits before answering.
   */
  run(request: Request): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const job = { request, resolve, reject }
      if (this.#closed) return reject(new PasswordHasherUnavailable('closed'))
      const worker = this.#idle.pop() ?? this.#spawnIfRoom()
      if (worker !== undefined) return this.#start(worker, job)
      if (this.#queue.length >= this.#options.maxQueue) {
        return reject(new PasswordHasherUnavailable('queue_full'))
      }
      this.#queue.push(job)
    })
  }

  /** Rejects the waiting and running jobs with `closed` and stops every thread. */
  async close(): Promise<void> {
    this.#closed = true
    for (const job of this.#queue.splice(0)) job.reject(new PasswordHasherUnavailable('closed'))
    await Promise.all([...this.#alive].map((worker) => worker.terminate()))
  }

  #spawnIfRoom(): Worker | undefined {
    if (this.#alive.size >= this.#options.threads) return undefined
    const worker = this.#options.spawn()
    let failure: unknown
    this.#alive.add(worker)
    worker.on('message', (reply: Reply) => {
      const job = this.#finish(worker)
      if (job === undefined) return // not ours to answer: the protocol is one reply per job
      job.resolve(reply)
      this.#next(worker)
    })
    worker.on('error', (error) => {
      failure = error
    })
    worker.on('exit', (exitCode) => {
      this.#exited(worker, exitCode, failure)
    })
    return worker
  }

  #start(worker: Worker, job: Job<Request, Reply>): void {
    this.#running.set(worker, job)
    worker.ref() // a job in flight keeps the process alive, as any pending I/O does
    worker.postMessage(job.request)
  }

  #finish(worker: Worker): Job<Request, Reply> | undefined {
    const job = this.#running.get(worker)
    this.#running.delete(worker)
    return job
  }

  #next(worker: Worker): void {
    const job = this.#queue.shift()
    if (job !== undefined) return this.#start(worker, job)
    worker.unref() // idle threads never keep the process alive
    this.#idle.push(worker)
  }

  #exited(worker: Worker, exitCode: number, failure: unknown): void {
    this.#alive.delete(worker)
    const index = this.#idle.indexOf(worker)
    if (index !== -1) this.#idle.splice(index, 1)
    this.#finish(worker)?.reject(
      this.#closed
        ? new PasswordHasherUnavailable('closed')
        : new GatehouseError(
            'GH_ERR_INTERNAL',
            `a hashing thread exited with code ${exitCode} before answering`,
            { cause: failure },
          ),
    )
    const waiting = this.#queue[0]
    const replacement = waiting === undefined || this.#closed ? undefined : this.#spawnIfRoom()
    if (replacement !== undefined) this.#next(replacement)
  }
}

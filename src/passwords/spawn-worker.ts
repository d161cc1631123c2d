import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts a worker thread on an ES module, compiled or not. From `dist/` the entry is a `.js` file
 * and Node runs it directly. From source (`npm start`, the tests) it is a `.ts` file: tsx loads it
 * in the main thread, but on Node 20 tsx does not register its hooks in worker threads, so a
 * one-line bootstrap registers them in the worker first (tsx's documented `register()` API).
 *
 * @example
 * ```ts
 * const worker = spawnModuleWorker(new URL('./argon2-worker.js', import.meta.url), { workerData })
 * ```
 */
export function spawnModuleWorker(entry: URL, options: WorkerOptions): Worker {
  // No inherited flags: the entry is self-contained, and some of the parent's flags break a
  // worker's start (`--input-type` makes Node refuse a file entry).
  const isolated = { ...options, execArgv: [] }
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, isolated)
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(bootstrap, { ...isolated, eval: true })
}

/**
 * The URL of a sibling module with the extension the calling module has: `.ts` from source,
 * `.js` from `dist/`.
 *
 * @example
 * ```ts
 * siblingModule(import.meta.url, 'argon2-worker') // file:///…/passwords/argon2-worker.ts
 * ```
 */
export function siblingModule(from: string, name: string): URL {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(from).pathname)?.[0] ?? '.js'
  return new URL(`./${name}${extension}`, from)
}

import { invalidDependencyError } from './errors.js'

/** A started generator dependency: sync or async. */
export type CleanupGenerator =
  Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>

/** A cleanup step that failed: the dependency's name and what it threw. */
export interface CleanupFailure {
  readonly dependency: string
  readonly error: unknown
}

/**
 * The after-response stack of generator dependencies (FastAPI's exit stack). Finishing runs them
 * in reverse order of setup; each sees the request's error thrown into it at its `yield`, so a
 * `try/catch` around `yield` can roll back. Failures are collected, never thrown: the response is
 * already sent, so the caller can only log them.
 *
 * @example
 * ```ts
 * const stack = new CleanupStack()
 * stack.push('db', generator)           // after its first yield
 * const failures = await stack.finish(requestError)
 * ```
 */
export class CleanupStack {
  readonly #entries: { readonly name: string; readonly generator: CleanupGenerator }[] = []
  #finished = false

  /** Registers a generator that has yielded its value. */
  push(name: string, generator: CleanupGenerator): void {
    this.#entries.push({ name, generator })
  }

  /** Whether nothing was registered. */
  get isEmpty(): boolean {
    return this.#entries.length === 0
  }

  /**
   * Resumes every generator, last first: `next()` on success, `throw(error)` when the request
   * failed. Idempotent: a second call does nothing.
   */
  async finish(error?: unknown): Promise<CleanupFailure[]> {
    if (this.#finished) return []
    this.#finished = true
    const failures: CleanupFailure[] = []
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]
      if (entry === undefined) continue
      const failure = await finishOne(entry.generator, error)
      if (failure !== undefined) failures.push({ dependency: entry.name, error: failure })
    }
    return failures
  }
}

async function finishOne(generator: CleanupGenerator, error: unknown): Promise<unknown> {
  try {
    const step = await (error === undefined ? generator.next() : generator.throw(error))
    if (step.done !== true) {
      await generator.return(undefined)
      return invalidDependencyError('A generator dependency yielded more than once')
    }
    return undefined
  } catch (thrown) {
    // Re-throwing the request's own error is the normal way to let it propagate.
    return thrown === error ? undefined : thrown
  }
}

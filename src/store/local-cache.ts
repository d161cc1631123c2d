import type { LocalConnection } from './dialect.js'

/**
 * Values loaded synchronously by key through a {@link LocalConnection}, kept until its generation
 * moves (any write through the store, or another process's commit), then all dropped. Bounded:
 * when full, the oldest entry leaves first.
 */
export class LocalCache<Value> {
  readonly #local: LocalConnection
  readonly #load: (key: string) => Value
  readonly #maxEntries: number
  readonly #entries = new Map<string, Value>()
  #generation = -1

  constructor(local: LocalConnection, load: (key: string) => Value, maxEntries: number) {
    this.#local = local
    this.#load = load
    this.#maxEntries = maxEntries
  }

  /** The value for `key`, from memory while the database is unchanged. */
  get(key: string): Value {
    const generation = this.#local.generation()
    if (generation !== this.#generation) {
      this.#entries.clear()
      this.#generation = generation
    }
    if (this.#entries.has(key)) return this.#entries.get(key) as Value // adapter spot: has() held
    const value = this.#load(key)
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, value)
    return value
  }
}

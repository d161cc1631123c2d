/**
 * A hash of a random password made with the current parameters, computed once and lazily reused,
 * so verifying against it costs what verifying a real user's hash costs.
 */
export class DummyHash {
  readonly #make: () => Promise<string>
  #hash: Promise<string> | undefined

  constructor(make: (password: string) => Promise<string>) {
    this.#make = () => make(randomPassword())
  }

  /** Starts computing the hash now (at startup) so the first unknown user pays no extra hash. */
  warm(): void {
    this.get().catch(() => {
      this.#hash = undefined // retried on the next use, where the error surfaces
    })
  }

  /** The dummy hash. */
  get(): Promise<string> {
    this.#hash ??= this.#make()
    return this.#hash
  }
}

function randomPassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url')
}

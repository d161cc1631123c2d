/**
 * The raw argon2id verification rate of this machine: the ceiling for logins/s. Run as a child
 * process (placed by the caller). Prints `RESULT {"verifies":n,"seconds":s,"rate":r}`.
 *
 * Parameters are the and OWASP's: m = 19 MiB, t = 2, p = 1, with `concurrency` verifies in
 * flight on libuv's threadpool (@node-rs/argon2 runs each as an N-API async task).
 */
import { hash, verify } from '@node-rs/argon2'

/** OWASP's argon2id minimum: 19 MiB, two passes, one lane. */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

interface RateOptions {
  readonly seconds: number
  readonly concurrency: number
}

async function measure({ seconds, concurrency }: RateOptions): Promise<number> {
  const encoded = await hash('correct horse battery staple', ARGON2_PARAMS) // default algorithm: argon2id
  if (!encoded.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')) throw new Error(`unexpected hash ${encoded}`)
  const deadline = performance.now() + seconds * 1000
  let verifies = 0
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (!(await verify(encoded, 'correct horse battery staple'))) throw new Error('verify failed')
      verifies += 1
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  process.stdout.write(`RESULT ${JSON.stringify({ verifies, seconds: elapsed, rate: verifies / elapsed })}\n`)
  return verifies / elapsed
}

const options = JSON.parse(process.argv[2] ?? '{}') as Partial<RateOptions> // adapter: from run.ts
await measure({ seconds: options.seconds ?? 10, concurrency: options.concurrency ?? 4 })

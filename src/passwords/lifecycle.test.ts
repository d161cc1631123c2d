/**
 * Process lifecycle of the hashing threads, in child processes: idle threads never hold the
 * process open, a running job does, close() ends them. Run from source (tsx, as `npm start` and
 * the tests run) and from a tsc build of the layer (as `dist/` runs), since the thread's entry
 * module is found differently in each.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const buildDir = `${root}.tmp/passwords-build-${process.pid}`

interface Variant {
  readonly name: string
  readonly execArgv: readonly string[]
  readonly module: () => string
}

const variants: readonly Variant[] = [
  {
    name: 'from source (tsx)',
    execArgv: ['--import', 'tsx'],
    module: () => new URL('./index.ts', import.meta.url).href,
  },
  {
    name: 'from the tsc build',
    execArgv: [],
    module: () => pathToFileURL(`${buildDir}/passwords/index.js`).href,
  },
]

/** Compiles src/passwords (and what it imports) with the build's settings into `buildDir`. */
async function buildLayer(): Promise<void> {
  mkdirSync(buildDir, { recursive: true })
  const config = {
    extends: `${root}tsconfig.build.json`,
    compilerOptions: { outDir: `${buildDir}`, rootDir: `${root}src`, declarationMap: false },
    include: [`${root}src/passwords`],
    exclude: [`${root}src/**/*.test.ts`],
  }
  writeFileSync(`${buildDir}/tsconfig.json`, JSON.stringify(config))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  await run(process.execPath, [tsc, '-p', `${buildDir}/tsconfig.json`], { cwd: root })
}

/** Runs an ES module script that imports the layer as `passwords`; resolves its stdout. */
async function runScript(variant: Variant, body: string): Promise<string> {
  const source = `import * as passwords from ${JSON.stringify(variant.module())}
const fast = { memoryCost: 1024, timeCost: 1, threads: 2 }
${body}`
  // The timeout only turns a hang (a thread holding the process open) into a failure.
  const { stdout } = await run(
    process.execPath,
    [...variant.execArgv, '--input-type=module', '--eval', source],
    { cwd: root, timeout: 60_000, killSignal: 'SIGKILL' },
  )
  return stdout
}

describe('hashing threads and the process lifecycle', () => {
  before(buildLayer)
  after(() => rmSync(buildDir, { recursive: true, force: true }))

  for (const variant of variants) {
    describe(variant.name, () => {
      it('hashes and verifies, then exits with idle threads and no close()', async () => {
        const stdout = await runScript(
          variant,
          `const hasher = passwords.createArgon2Hasher(fast)
const stored = await hasher.hash('pässword')
console.log(await hasher.verify(stored, 'pässword'), await hasher.verify(stored, 'password'))`,
        )
        assert.equal(stdout, 'true false\n')
      })

      it('keeps the process alive while a job runs on a thread that was idle', async () => {
        const stdout = await runScript(
          variant,
          `const hasher = passwords.createArgon2Hasher(fast)
await Promise.all([hasher.verifyDummy('a'), hasher.hash('b')]) // both threads ran, now idle
hasher.hash('secret').then((hash) => console.log(hash.slice(0, 14)))`,
        )
        assert.equal(stdout, '$argon2id$v=19\n')
      })

      it('close() rejects the running job and later calls with closed, and the process exits', async () => {
        const stdout = await runScript(
          variant,
          `const hasher = passwords.createArgon2Hasher(fast)
const running = hasher.hash('secret').catch((error) => error)
await hasher.close()
const later = await hasher.verify('$argon2id$', 'secret').catch((error) => error)
for (const error of [await running, later]) console.log(error.code, error.reason)`,
        )
        assert.equal(
          stdout,
          'GH_ERR_PASSWORD_HASHER_UNAVAILABLE closed\nGH_ERR_PASSWORD_HASHER_UNAVAILABLE closed\n',
        )
      })
    })
  }
})

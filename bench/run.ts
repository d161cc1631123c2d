/**
 * `npm run bench`: starts every server under test on loopback, drives it with a load generator on
 * another core, prints the results and writes docs/benchmarks.md.
 *
 * Flags:
 * - `--quick`: a short run (about a second per case) that proves the bench works; writes
 *   `.tmp/bench/quick.md`, never docs/benchmarks.md. CI runs it.
 * - `--only <id,id>`: only these throughput cases (skips the other stages unless named:
 *   `argon2-1`, `logins-1`, `argon2-2`, `logins-2`, `storm`, `verify-cost`,
 *   `memory`).
 * - `--login-server minimal`: run the login stages against `bench/cases/login-server.ts` (the same
 *   stack assembled by hand) instead of the reference server.
 * - `--rerender`: rewrite the report from the last full run's saved results
 *   (`.tmp/bench/results-full.json`) with the current bench/method.md and bench/analysis.md.
 * - `--profile`: servers write V8 CPU profiles to `.tmp/bench/profiles/`; the top self-time
 *   frames of each are printed.
 *
 * Exits non-zero when any case or stage failed to run, including any non-2xx response. Targets
 * that miss do not fail the run: they are reported.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { describeMachine } from './lib/machine.js'
import { summarizeProfiles } from './lib/profile.js'
import { allRan, consoleReport, markdownReport, type BenchResults } from './lib/report.js'
import {
  measureArgon2Rate,
  measureLogins,
  measureMemory,
  measureVerifyCost,
  measureStorm,
  type LoginSettings,
  type MemoryResult,
  type StormResult,
} from './lib/stages.js'
import { LOGIN_SERVERS, MEMORY_CASE, THROUGHPUT_CASES } from './lib/suite.js'
import { runThroughput, type ThroughputSettings } from './lib/throughput.js'

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'login-server': { type: 'string', default: 'reference' },
    rerender: { type: 'boolean', default: false },
  },
})

const ROOT = new URL('../', import.meta.url)
const TMP = new URL('.tmp/bench/', ROOT)
const PROFILE_DIR = new URL('profiles/', TMP)

const FULL = {
  throughput: { connections: 64, warmupSeconds: 1, seconds: 4, rounds: 4 },
  login: { connections: 16, warmupSeconds: 1, seconds: 4 },
  loginRounds: 3,
  argon2Seconds: 4,
  verifyIterations: 20_000,
  probe: { rate: 1000, connections: 8, seconds: 8 },
  memory: { requests: 1_000_000, sliceSeconds: 15 },
}

const QUICK: typeof FULL = {
  throughput: { connections: 16, warmupSeconds: 0, seconds: 1, rounds: 1 },
  login: { connections: 4, warmupSeconds: 0, seconds: 1 },
  loginRounds: 1,
  argon2Seconds: 1,
  verifyIterations: 500,
  probe: { rate: 200, connections: 4, seconds: 1 },
  memory: { requests: 10_000, sliceSeconds: 1 },
}

const plan = flags.quick ? QUICK : FULL
const only = flags.only?.split(',').map((s) => s.trim())
const wants = (stage: string): boolean => only === undefined || only.includes(stage)
const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

async function stage<T>(name: string, failures: string[], body: () => Promise<T>): Promise<T | undefined> {
  if (!wants(name)) return undefined
  log(`${name}…`)
  try {
    return await body()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    failures.push(`${name}: ${message}`)
    log(`  ${name} FAILED: ${message}`)
    return undefined
  }
}

async function main(): Promise<number> {
  const startedAt = new Date()
  const machine = describeMachine()
  const failures: string[] = []
  const settings: ThroughputSettings = {
    ...plan.throughput,
    ...(flags.profile ? { cpuProfileDir: prepareProfileDir() } : {}),
  }
  log(`bench (${flags.quick ? 'quick' : 'full'}): ${machine.cores} cores, ${machine.generator}, pinned: ${machine.pinned}`)

  const cases = THROUGHPUT_CASES.filter((c) => wants(c.id))
  log('throughput…')
  const throughput = await runThroughput(cases, settings, log)

  const verifyCost = await stage('verify-cost', failures, () => measureVerifyCost(plan.verifyIterations))
  const login: LoginSettings = { ...LOGIN_SERVERS[flags['login-server'] === 'minimal' ? 'minimal' : 'reference'], ...plan.login }
  const { argon2, logins } = await measureLoginStages(login, failures)
  const storm: StormResult | undefined = await stage('storm', failures, () =>
    measureStorm(login, plan.probe),
  )
  const memory: MemoryResult | undefined = await stage('memory', failures, () =>
    measureMemory(MEMORY_CASE.script, MEMORY_CASE.options ?? {}, MEMORY_CASE.expect, {
      connections: plan.throughput.connections,
      warmupSeconds: plan.throughput.warmupSeconds * 3,
      ...plan.memory,
    }),
  )

  const results: BenchResults = {
    mode: flags.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    settings,
    throughput,
    ...(verifyCost === undefined ? {} : { verifyCost }),
    argon2,
    logins,
    ...(storm === undefined ? {} : { storm }),
    ...(memory === undefined ? {} : { memory }),
    failures,
  }
  mkdirSync(TMP, { recursive: true })
  writeFileSync(new URL(`results-${results.mode}.json`, TMP), JSON.stringify(results, null, 2))
  process.stdout.write(`\n${consoleReport(results)}\n`)
  if (flags.profile) process.stdout.write(`\n${summarizeProfiles(PROFILE_DIR.pathname)}\n`)
  writeReport(results)
  return allRan(results) ? 0 : 1
}

/**
 * Raw argon2id rate and logins/s, on one core and on all, in interleaved rounds; the best of
 * each is kept (other work on the machine only ever slows a measurement down). `--quick` runs
 * the one-core pair once.
 */
async function measureLoginStages(login: LoginSettings, failures: string[]) {
  const best = { argon2One: 0, argon2All: 0, loginsOne: 0, loginsAll: 0 }
  const keep = (key: keyof typeof best, value: number | undefined): void => {
    if (value !== undefined) best[key] = Math.max(best[key], value)
  }
  for (let round = 1; round <= plan.loginRounds; round += 1) {
    keep('argon2One', await stage('argon2-1', failures, () => measureArgon2Rate('server', 4, plan.argon2Seconds)))
    keep('loginsOne', await stage('logins-1', failures, () => measureLogins(login, 'server')))
    if (flags.quick) continue // the all-cores variant differs only in placement
    keep('argon2All', await stage('argon2-2', failures, () => measureArgon2Rate('any', 4, plan.argon2Seconds)))
    keep('loginsAll', await stage('logins-2', failures, () => measureLogins(login, 'any')))
  }
  const positive = (n: number): number | undefined => (n > 0 ? n : undefined)
  return {
    argon2: perCores(positive(best.argon2One), positive(best.argon2All)),
    logins: perCores(positive(best.loginsOne), positive(best.loginsAll)),
  }
}

/** A one-core / all-cores pair with the measurements that ran. */
function perCores(
  oneCore: number | undefined,
  twoCores: number | undefined,
): { oneCore?: number; twoCores?: number } {
  return {
    ...(oneCore === undefined ? {} : { oneCore }),
    ...(twoCores === undefined ? {} : { twoCores }),
  }
}

function prepareProfileDir(): string {
  rmSync(PROFILE_DIR, { recursive: true, force: true })
  mkdirSync(PROFILE_DIR, { recursive: true })
  return PROFILE_DIR.pathname
}

function writeReport(results: BenchResults): void {
  const method = readFileSync(new URL('bench/method.md', ROOT), 'utf8')
  const analysis = readFileSync(new URL('bench/analysis.md', ROOT), 'utf8')
  const markdown = markdownReport(results, method, analysis)
  // Only a complete full run may replace the committed report; anything else goes to .tmp/.
  const complete = results.mode === 'full' && only === undefined && allRan(results)
  const target = complete ? new URL('docs/benchmarks.md', ROOT) : new URL(`${results.mode}.md`, TMP)
  mkdirSync(new URL('.', target), { recursive: true })
  writeFileSync(target, markdown)
  log(`wrote ${target.pathname}`)
}

/** Re-renders the report of the last full run (for edits of method.md or analysis.md). */
function rerender(): number {
  const saved = JSON.parse(readFileSync(new URL('results-full.json', TMP), 'utf8')) as BenchResults // adapter: written by main()
  writeReport(saved)
  return allRan(saved) ? 0 : 1
}

process.exitCode = flags.rerender ? rerender() : await main()

/** Running the `gatehouse` bin as a user would: a child process with its own env and stdin. */
import { spawn, type ChildProcess } from 'node:child_process'
import { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'

/** Absolute path of bin/gatehouse.js. */
export const GATEHOUSE_BIN = fileURLToPath(new URL('../../bin/gatehouse.js', import.meta.url))

/** The outcome of one finished command. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Options of {@link runGatehouse}. */
export interface RunOptions {
  readonly env?: Record<string, string>
  readonly stdin?: string
  readonly cwd?: string
}

/** Env for child processes: PATH and HOME only, so the host's GATEHOUSE_* settings do not leak in. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extra }
}

/**
 * Runs `gatehouse <args>` to completion.
 *
 * @example
 * const { code, stdout } = await runGatehouse(['keys', 'generate'])
 */
export function runGatehouse(
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const child = spawnGatehouse(args, options)
  child.stdin?.end(options.stdin ?? '')
  return new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Starts `gatehouse <args>` and leaves it running (for `start-dev`). */
export function spawnGatehouse(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [GATEHOUSE_BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** Resolves with everything written to `stdout` once `pattern` matches it (rejects on exit). */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = ''
    let errors = ''
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${pattern}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = pattern.exec(output)
      if (match !== null) finish(() => resolve(match))
    }
    const onError = (chunk: Buffer) => (errors += chunk.toString('utf8'))
    const onExit = (code: number | null) => fail(new Error(`exited with ${code}: ${errors}`))
    const finish = (then: () => void) => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.stderr?.off('data', onError)
      child.off('exit', onExit)
      then()
    }
    const fail = (error: Error) => finish(() => reject(error))
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onError)
    child.on('exit', onExit)
  })
}

/** Sends SIGTERM and resolves with the exit code. */
export function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })
}

/**
 * Runs `gatehouse <args>` in this process (same code path as the bin, minus process start-up),
 * with stdin given as a string and output collected.
 *
 * @example
 * const { code, stdout } = await runGatehouseInProcess(['users', 'list', '--data-dir', dir])
 */
export async function runGatehouseInProcess(
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const { runCli } = await import('../../src/cli/run.js')
  let stdout = ''
  let stderr = ''
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk))
        done()
      },
    })
  const code = await runCli(args, {
    stdin: Readable.from([options.stdin ?? '']),
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: cleanEnv(options.env),
    cwd: options.cwd ?? process.cwd(),
    untilSignal: () => new Promise(() => {}),
  })
  return { code, stdout, stderr }
}

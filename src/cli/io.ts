/**
 * The CLI's contact with the outside world, injectable so commands run in tests without a
 * terminal: streams, environment, working directory, and password input.
 */
import type { Readable, Writable } from 'node:stream'
import { MAX_PASSWORD_BYTES } from '../passwords/index.js'

/** Streams and environment a command runs with. */
export interface CliIO {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown }
  readonly stdout: Writable
  readonly stderr: Writable
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Resolves when the process is asked to stop (SIGINT / SIGTERM). */
  readonly untilSignal: () => Promise<string>
}

/**
 * A usage mistake: exit code 2 and a hint to run `--help`.
 *
 * @example
 * throw new UsageError('Usage: gatehouse keys generate')
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * The real process's IO.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), processIO())
 */
export function processIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    untilSignal: () =>
      new Promise((resolve) => {
        const stop = (signal: string) => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          resolve(signal)
        }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      }),
  }
}

/**
 * Reads a new password: from a TTY, prompted twice with echo off; otherwise the first line of
 * stdin. Never from argv, where other users could read it in the process list.
 *
 * @throws {UsageError} for an empty password or a mismatch.
 * @example
 * const passwordHash = await hasher.hash(await readNewPassword(io))
 */
export async function readNewPassword(io: CliIO): Promise<string> {
  if (io.stdin.isTTY === true && io.stdin.setRawMode !== undefined) {
    const first = await promptHidden(io, 'New password: ')
    const second = await promptHidden(io, 'Repeat password: ')
    if (first !== second) throw new UsageError('The passwords do not match.')
    return nonEmptyPassword(first)
  }
  return nonEmptyPassword(firstLine(await readAll(io.stdin)))
}

/** What the token endpoint would accept at login: non-empty, at most 1 KiB of UTF-8. */
function nonEmptyPassword(password: string): string {
  if (password === '') throw new UsageError('The password is empty.')
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new UsageError(`The password is longer than ${MAX_PASSWORD_BYTES} bytes.`)
  }
  return password
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/)
  return end === -1 ? text : text.slice(0, end)
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads one line from a TTY in raw mode without echoing it. */
function promptHidden(io: CliIO, prompt: string): Promise<string> {
  const { stdin } = io
  io.stderr.write(prompt)
  stdin.setRawMode?.(true)
  stdin.setEncoding('utf8')
  stdin.resume()
  return new Promise((resolve, reject) => {
    let value = ''
    const finish = (error?: Error) => {
      stdin.off('data', onData)
      stdin.setRawMode?.(false)
      stdin.pause()
      io.stderr.write('\n')
      if (error === undefined) resolve(value)
      else reject(error)
    }
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish()
        if (char === '\u0003' || char === '\u0004') return finish(new UsageError('Cancelled.'))
        value = char === '\u007f' || char === '\b' ? [...value].slice(0, -1).join('') : value + char
      }
    }
    stdin.on('data', onData)
  })
}

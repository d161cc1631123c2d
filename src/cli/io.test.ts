import assert from 'node:assert/strict'
import { PassThrough, Readable, Writable } from 'node:stream'
import { describe, it } from 'node:test'
import { readNewPassword, type CliIO } from './io.js'

function fakeIO(stdin: CliIO['stdin']): { io: CliIO; prompts: () => string } {
  let written = ''
  const stderr = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk)
      done()
    },
  })
  const io: CliIO = {
    stdin,
    stdout: new PassThrough(),
    stderr,
    env: {},
    cwd: '/',
    untilSignal: () => new Promise(() => {}),
  }
  return { io, prompts: () => written }
}

/** A TTY-like stdin that records raw-mode switches and types `keys` once reading starts. */
function fakeTTY(keys: string[]) {
  const stream = new PassThrough() as PassThrough & {
    isTTY: boolean
    setRawMode(on: boolean): void
  }
  const modes: boolean[] = []
  stream.isTTY = true
  stream.setRawMode = (on: boolean) => {
    modes.push(on)
    // Each prompt switches raw mode on, then reads one line.
    if (on) setImmediate(() => stream.write(keys.shift() ?? ''))
  }
  return { stream, modes }
}

describe('readNewPassword', () => {
  it('reads the first line of piped stdin (LF or CRLF)', async () => {
    assert.equal(await readNewPassword(fakeIO(Readable.from(['s3cret\nignored\n'])).io), 's3cret')
    assert.equal(await readNewPassword(fakeIO(Readable.from(['pw\r\n'])).io), 'pw')
    assert.equal(await readNewPassword(fakeIO(Readable.from(['no-newline'])).io), 'no-newline')
  })

  it('refuses an empty password: usage error', async () => {
    await assert.rejects(readNewPassword(fakeIO(Readable.from(['\n'])).io), {
      name: 'UsageError',
      message: 'The password is empty.',
    })
  })

  it('refuses a password over 1024 UTF-8 bytes, which no login could send: usage error', async () => {
    const longest = 'a'.repeat(1024)
    assert.equal(await readNewPassword(fakeIO(Readable.from([`${longest}\n`])).io), longest)
    await assert.rejects(readNewPassword(fakeIO(Readable.from(['\u00e9'.repeat(513)])).io), {
      name: 'UsageError',
      message: 'The password is longer than 1024 bytes.',
    })
  })

  it('on a TTY prompts twice in raw mode (no echo), with backspace editing', async () => {
    const { stream, modes } = fakeTTY(['pw\u007fW\r', 'pW\r'])
    const { io, prompts } = fakeIO(stream)
    assert.equal(await readNewPassword(io), 'pW')
    assert.deepEqual(modes, [true, false, true, false])
    assert.equal(prompts(), 'New password: \nRepeat password: \n')
  })

  it('on a TTY refuses a mismatch, and Ctrl-C cancels', async () => {
    await assert.rejects(readNewPassword(fakeIO(fakeTTY(['a\r', 'b\r']).stream).io), {
      message: 'The passwords do not match.',
    })
    await assert.rejects(readNewPassword(fakeIO(fakeTTY(['a\u0003']).stream).io), {
      name: 'UsageError',
      message: 'Cancelled.',
    })
  })
})

import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { after, describe, it } from 'node:test'
import {
  createArgon2Hasher,
  MAX_PASSWORD_BYTES,
  PasswordHasherUnavailable,
  type PasswordHasherUnavailableReason,
} from './index.js'

const fast = { memoryCost: 1024, timeCost: 1 }

function isUnavailable(reason: PasswordHasherUnavailableReason) {
  return (error: unknown): true => {
    assert.ok(error instanceof PasswordHasherUnavailable)
    assert.equal(error.code, 'GH_ERR_PASSWORD_HASHER_UNAVAILABLE')
    assert.equal(error.reason, reason)
    return true
  }
}

/** The nice value of every thread of this process, by thread id (Linux). */
function threadNiceValues(): Map<string, number> {
  const values = new Map<string, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    // proc(5): fields after "(comm) " start at field 3 (state); nice is field 19.
    values.set(tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]))
  }
  return values
}

describe('createArgon2Hasher: hashing threads', () => {
  const hasher = createArgon2Hasher({ ...fast, threads: 2 })
  after(() => hasher.close())

  it('sizes the pool from availableParallelism() by default, with a queue of 256 at nice +19', async () => {
    const defaults = createArgon2Hasher(fast)
    await defaults.close()
    assert.deepEqual(defaults.pool, {
      threads: availableParallelism(),
      maxQueue: 256,
      niceIncrement: 19,
    })
  })

  it('answers 40 concurrent verifies on 2 threads, each with its own verdict', async () => {
    const hashes = await Promise.all(['alpha', 'beta'].map((password) => hasher.hash(password)))
    const jobs = Array.from({ length: 40 }, (_, i) => ({
      hash: hashes[i % 2] ?? '',
      password: ['alpha', 'beta', 'gamma'][i % 3] ?? '',
    }))
    const verdicts = await Promise.all(jobs.map((job) => hasher.verify(job.hash, job.password)))
    const expected = jobs.map((job) => job.hash === hashes[['alpha', 'beta'].indexOf(job.password)])
    assert.deepEqual(verdicts, expected)
    assert.equal(verdicts.filter(Boolean).length, 14)
  })

  it('rejects a job beyond maxQueue with queue_full and still answers the accepted ones', async () => {
    const stored = await hasher.hash('secret')
    // One thread, one queue slot: the dummy hash started at construction holds the thread.
    const small = createArgon2Hasher({ ...fast, threads: 1, maxQueue: 1 })
    try {
      const accepted = small.verify(stored, 'secret')
      await assert.rejects(small.verify(stored, 'secret'), isUnavailable('queue_full'))
      assert.equal(await accepted, true)
    } finally {
      await small.close()
    }
  })

  it('sends unknown users (verifyDummy) through the same queue: queue_full alike', async () => {
    const stored = await hasher.hash('secret')
    const small = createArgon2Hasher({ ...fast, threads: 1, maxQueue: 0 })
    try {
      assert.equal(await small.verifyDummy('warm'), false) // the dummy hash exists from here on
      const running = small.verify(stored, 'secret')
      await assert.rejects(small.verifyDummy('secret'), isUnavailable('queue_full'))
      assert.equal(await running, true)
    } finally {
      await small.close()
    }
  })

  it('after close(), hash, verify and verifyDummy reject with closed (never a false verdict)', async () => {
    const stored = await hasher.hash('secret')
    const closing = createArgon2Hasher({ ...fast, threads: 1 })
    const waiting = closing.verify(stored, 'secret') // queued behind the dummy hash
    const rejected = assert.rejects(waiting, isUnavailable('closed'))
    await closing.close()
    await rejected
    await assert.rejects(closing.hash('secret'), isUnavailable('closed'))
    await assert.rejects(closing.verify(stored, 'secret'), isUnavailable('closed'))
    await assert.rejects(closing.verifyDummy('secret'), isUnavailable('closed'))
  })

  it(`checks the ${MAX_PASSWORD_BYTES}-byte bound before queueing: a closed hasher still answers it`, async () => {
    const stored = await hasher.hash('secret')
    const closed = createArgon2Hasher({ ...fast, threads: 1 })
    await closed.close()
    const oversized = 'a'.repeat(MAX_PASSWORD_BYTES + 1)
    await assert.rejects(closed.hash(oversized), {
      name: 'RangeError',
      message: 'password must be at most 1024 bytes of UTF-8',
    })
    await assert.rejects(closed.hash(''), {
      name: 'RangeError',
      message: 'password must be a non-empty string',
    })
    assert.equal(await closed.verify(stored, oversized), false)
  })

  it(
    'raises the nice value of exactly its hashing threads by niceIncrement; close() ends them',
    { skip: existsSync('/proc/thread-self') ? false : 'no per-thread priority (Linux only)' },
    async () => {
      const before = threadNiceValues()
      const niced = createArgon2Hasher({ ...fast, threads: 2, niceIncrement: 5 })
      // The dummy hash ran on one thread, 'one' on the other: both have started and answered.
      await Promise.all([niced.verifyDummy('warm'), niced.hash('one')])
      const started = [...threadNiceValues()].filter(([tid]) => !before.has(tid))
      assert.equal(started.filter(([, nice]) => nice === 5).length, 2)
      await niced.close()
      const left = [...threadNiceValues()].filter(([tid]) => !before.has(tid))
      assert.deepEqual(left, [])
    },
  )

  it(
    'with niceIncrement 0, leaves the hashing threads at the process priority',
    {
      skip: existsSync('/proc/thread-self') ? false : 'no per-thread priority (Linux only)',
    },
    async () => {
      const before = threadNiceValues()
      const plain = createArgon2Hasher({ ...fast, threads: 1, niceIncrement: 0 })
      await plain.hash('one')
      const started = [...threadNiceValues()].filter(([tid]) => !before.has(tid))
      await plain.close()
      assert.ok(started.length > 0)
      assert.deepEqual(
        started.filter(([, nice]) => nice !== 0),
        [],
      )
    },
  )
})

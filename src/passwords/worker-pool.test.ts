import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import { GatehouseError } from '../errors.js'
import { PasswordHasherUnavailable } from './errors.js'
import { WorkerPool } from './worker-pool.js'

/**
 * A fixture thread: echoes `value`, exits on `exit`, and on `hold` blocks until the test stores 1
 * in the shared gate, so jobs stay running exactly as long as a test needs (no timers).
 */
const FIXTURE = `
const { parentPort, workerData } = require('node:worker_threads')
const gate = new Int32Array(workerData.gate)
parentPort.on('message', ({ op, value }) => {
  if (op === 'exit') process.exit(3)
  if (op === 'hold') Atomics.wait(gate, 0, 0)
  parentPort.postMessage(value)
})
`

interface Request {
  readonly op: 'echo' | 'hold' | 'exit'
  readonly value: string
}

function fixturePool(threads: number, maxQueue: number) {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  let spawned = 0
  const pool = new WorkerPool<Request, string>({
    threads,
    maxQueue,
    spawn: () => {
      spawned += 1
      return new Worker(FIXTURE, { eval: true, workerData: { gate: gate.buffer } })
    },
  })
  const release = (): void => {
    Atomics.store(gate, 0, 1)
    Atomics.notify(gate, 0)
  }
  return { pool, release, spawned: () => spawned }
}

function assertUnavailable(reason: 'queue_full' | 'closed', description: string) {
  return (error: unknown): true => {
    assert.ok(error instanceof PasswordHasherUnavailable)
    assert.equal(error.code, 'GH_ERR_PASSWORD_HASHER_UNAVAILABLE')
    assert.equal(error.reason, reason)
    assert.equal(error.statusCode, 503)
    assert.equal(error.error, 'temporarily_unavailable')
    assert.equal(error.errorDescription, description)
    assert.equal(error.expose, true)
    assert.deepEqual(error.headers, { 'retry-after': '1' })
    return true
  }
}

const QUEUE_FULL = 'Too many password checks are waiting; try again shortly.'
const CLOSED = 'The server is shutting down; try again shortly.'

describe('WorkerPool', () => {
  it('answers each job with its own reply, on at most `threads` threads', async () => {
    const { pool, spawned } = fixturePool(2, 10)
    const values = Array.from({ length: 8 }, (_, i) => `job-${i}`)
    const replies = await Promise.all(values.map((value) => pool.run({ op: 'echo', value })))
    assert.deepEqual(replies, values)
    assert.equal(spawned(), 2)
    await pool.close()
  })

  it('starts waiting jobs in arrival order (FIFO)', async () => {
    const { pool, release } = fixturePool(1, 10)
    const order: string[] = []
    const held = pool.run({ op: 'hold', value: 'held' })
    const queued = ['a', 'b', 'c', 'd'].map((value) =>
      pool.run({ op: 'echo', value }).then((reply) => order.push(reply)),
    )
    release()
    assert.equal(await held, 'held')
    await Promise.all(queued)
    assert.deepEqual(order, ['a', 'b', 'c', 'd'])
    await pool.close()
  })

  it('rejects a job beyond maxQueue: 503 temporarily_unavailable, reason queue_full', async () => {
    const { pool, release } = fixturePool(1, 2)
    const accepted = [
      pool.run({ op: 'hold', value: 'running' }),
      pool.run({ op: 'echo', value: 'waiting-1' }),
      pool.run({ op: 'echo', value: 'waiting-2' }),
    ]
    await assert.rejects(
      pool.run({ op: 'echo', value: 'one too many' }),
      assertUnavailable('queue_full', QUEUE_FULL),
    )
    release()
    assert.deepEqual(await Promise.all(accepted), ['running', 'waiting-1', 'waiting-2'])
    await pool.close()
  })

  it('with maxQueue 0, rejects whenever every thread is busy', async () => {
    const { pool, release } = fixturePool(1, 0)
    const running = pool.run({ op: 'hold', value: 'running' })
    await assert.rejects(
      pool.run({ op: 'echo', value: 'x' }),
      assertUnavailable('queue_full', QUEUE_FULL),
    )
    release()
    assert.equal(await running, 'running')
    await pool.close()
  })

  it('rejects the job of a thread that exits (GH_ERR_INTERNAL), then replaces the thread', async () => {
    const { pool, spawned } = fixturePool(1, 10)
    const after = pool.run({ op: 'echo', value: 'queued behind the crash' })
    const crashed = pool.run({ op: 'exit', value: '' })
    await assert.rejects(crashed, (error: unknown) => {
      assert.ok(error instanceof GatehouseError)
      assert.equal(error.code, 'GH_ERR_INTERNAL')
      assert.equal(error.message, 'a hashing thread exited with code 3 before answering')
      return true
    })
    assert.equal(await after, 'queued behind the crash')
    assert.equal(await pool.run({ op: 'echo', value: 'later' }), 'later')
    assert.equal(spawned(), 2)
    await pool.close()
  })

  it('close() rejects running and waiting jobs with reason closed, and every later job', async () => {
    const { pool } = fixturePool(1, 10)
    const running = pool.run({ op: 'hold', value: 'never answered' })
    const waiting = pool.run({ op: 'echo', value: 'never started' })
    const rejections = [
      assert.rejects(running, assertUnavailable('closed', CLOSED)),
      assert.rejects(waiting, assertUnavailable('closed', CLOSED)),
    ]
    await pool.close()
    await Promise.all(rejections)
    await assert.rejects(pool.run({ op: 'echo', value: 'x' }), assertUnavailable('closed', CLOSED))
  })
})

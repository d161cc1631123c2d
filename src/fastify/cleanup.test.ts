import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { dependency } from '../deps/index.js'
import { APIKeyHeader } from '../security/index.js'
import { gatehouse } from './plugin.js'

const apiKey = new APIKeyHeader({ name: 'x-api-key' })

/** A log plus a promise that settles when `count` cleanup entries have been written. */
function recorder() {
  const log: string[] = []
  let waiters: { count: number; resolve: () => void }[] = []
  return {
    log,
    push(entry: string) {
      log.push(entry)
      waiters = waiters.filter((waiter) =>
        log.length >= waiter.count ? (waiter.resolve(), false) : true,
      )
    },
    until(count: number): Promise<void> {
      if (log.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
  }
}

function resources(rec: ReturnType<typeof recorder>) {
  const db = dependency(async function* db() {
    rec.push('db:open')
    try {
      yield { query: () => 'rows' }
      rec.push('db:commit')
    } catch (error) {
      rec.push(`db:rollback:${(error as Error).message}`)
      throw error
    } finally {
      rec.push('db:close')
    }
  })
  const repo = dependency({ db }, function* repo({ db }) {
    rec.push('repo:open')
    yield { list: () => db.query() }
    rec.push('repo:close')
  })
  return { db, repo }
}

async function build(setup: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(gatehouse)
  setup(app)
  await app.ready()
  return app
}

describe('generator dependencies over HTTP', () => {
  test('teardown runs after the response, in reverse order of setup', async () => {
    const rec = recorder()
    const { repo } = resources(rec)
    const app = await build((app) => {
      app.get('/items', { config: { deps: { repo } } }, async (request) => {
        rec.push('handler')
        return { rows: request.deps.repo.list() }
      })
    })
    const response = await app.inject('/items')
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { rows: 'rows' })
    await rec.until(6)
    assert.deepEqual(rec.log, [
      'db:open',
      'repo:open',
      'handler',
      'repo:close',
      'db:commit',
      'db:close',
    ])
  })

  test('the handler error is thrown into the generators, so they can roll back', async () => {
    const rec = recorder()
    const { db } = resources(rec)
    const app = await build((app) => {
      app.post('/items', { config: { deps: { db } } }, async () => {
        throw new Error('insert failed')
      })
    })
    const response = await app.inject({ method: 'POST', url: '/items' })
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), {
      error: 'server_error',
      error_description: 'Internal server error',
    })
    await rec.until(3)
    assert.deepEqual(rec.log, ['db:open', 'db:rollback:insert failed', 'db:close'])
  })

  test('a later rejection (401) rolls back what was set up before it; the handler never runs', async () => {
    const rec = recorder()
    const { db } = resources(rec)
    const guarded = dependency({ db, key: apiKey }, ({ key }) => key)
    let handled = 0
    const app = await build((app) => {
      app.get('/guarded', { config: { deps: { guarded } } }, async () => ++handled)
    })
    const response = await app.inject('/guarded')
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'], 'APIKey')
    await rec.until(3)
    assert.deepEqual(rec.log, ['db:open', 'db:rollback:Not authenticated', 'db:close'])
    assert.equal(handled, 0)
  })

  test('cleanup failures are logged, never sent: the response is already out', async () => {
    const logged: unknown[] = []
    const broken = dependency(async function* broken() {
      yield 1
      throw new Error('close failed')
    })
    const app = Fastify({
      logger: {
        level: 'error',
        stream: { write: (line: string) => void logged.push(JSON.parse(line)) },
      },
    })
    await app.register(gatehouse)
    app.get('/broken', { config: { deps: { broken } } }, async () => 'ok')
    const response = await app.inject('/broken')
    assert.equal(response.statusCode, 200)
    for (let i = 0; i < 20 && logged.length === 0; i++) await new Promise((r) => setImmediate(r))
    const entry = logged[0] as { msg: string; dependency: string; err: { message: string } }
    assert.equal(entry.msg, 'dependency cleanup failed')
    assert.equal(entry.dependency, 'broken')
    assert.equal(entry.err.message, 'close failed')
  })

  test('a generator brought in by an override is cleaned up on routes without generators', async () => {
    const rec = recorder()
    const plain = dependency(() => 'plain')
    const app = await build((app) => {
      app.get('/plain', { config: { deps: { plain } } }, async (request) => request.deps.plain)
    })
    app.gatehouse.overrides.set(plain, function* () {
      rec.push('override:open')
      yield 'overridden'
      rec.push('override:close')
    })
    const response = await app.inject('/plain')
    assert.equal(response.body, 'overridden')
    await rec.until(2)
    assert.deepEqual(rec.log, ['override:open', 'override:close'])
  })
})

describe('aborted requests', () => {
  test(
    'a client abort throws RequestAborted into the generators',
    { timeout: 10_000 },
    async () => {
      const rec = recorder()
      const { db } = resources(rec)
      let started!: () => void
      const handlerStarted = new Promise<void>((resolve) => (started = resolve))
      let release!: () => void
      const gate = new Promise<void>((resolve) => (release = resolve))
      const app = await build((app) => {
        app.get('/slow', { config: { deps: { db } } }, async () => {
          started()
          await gate
          return 'late'
        })
      })
      await app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = app.server.address() as AddressInfo
      const request = http.get({ host: '127.0.0.1', port, path: '/slow' })
      request.on('error', () => {})
      await handlerStarted
      request.destroy()
      await rec.until(3)
      release()
      assert.deepEqual(rec.log, [
        'db:open',
        'db:rollback:The client aborted the request',
        'db:close',
      ])
      await app.close()
    },
  )
})

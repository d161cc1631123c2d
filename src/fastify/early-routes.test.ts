/**
 * Routes registered before the plugin loaded never reach its `onRoute` hook. Their `config.deps`
 * cannot run, so they must fail closed (500, detail in the log), never answer as if unprotected.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { dependency } from '../deps/index.js'
import { APIKeyHeader } from '../security/index.js'
import { gatehouse } from './plugin.js'

const apiKey = new APIKeyHeader({ name: 'x-key' })
const requireKey = dependency({ key: apiKey }, ({ key }) => {
  if (key !== 'right') throw new Error('unexpected key')
  return true
})

const SERVER_ERROR = { error: 'server_error', error_description: 'Internal server error' }

interface Probe {
  readonly app: FastifyInstance
  readonly ran: string[]
  readonly logs: string[]
}

function probe(): Probe {
  const logs: string[] = []
  const app = Fastify({
    logger: { level: 'error', stream: { write: (line: string) => void logs.push(line) } },
  })
  return { app, ran: [], logs }
}

async function expectRefused(p: Probe, url: string, route: string): Promise<void> {
  const response = await p.app.inject({ url, headers: { 'x-key': 'right' } })
  assert.equal(response.statusCode, 500)
  assert.deepEqual(response.json(), SERVER_ERROR)
  assert.deepEqual(p.ran, [])
  const logged = p.logs.map((line) => JSON.parse(line) as { err?: { code?: string; message?: string } })
  const entry = logged.find((line) => line.err?.code === 'GH_ERR_DEP_UNRESOLVED')
  assert.ok(entry, `no GH_ERR_DEP_UNRESOLVED in the log: ${p.logs.join('')}`)
  assert.match(entry.err?.message ?? '', new RegExp(`^Route ${route} declares config.deps`))
}

describe('routes the plugin never saw fail closed: 500 GH_ERR_DEP_UNRESOLVED', () => {
  test('a route registered before `await app.register(gatehouse)` is refused, not served', async () => {
    const p = probe()
    p.app.get('/early', { config: { deps: { ok: requireKey } } }, async () => {
      p.ran.push('handler')
      return 'early'
    })
    await p.app.register(gatehouse)
    await p.app.ready()
    await expectRefused(p, '/early', 'GET /early')
  })

  test('`app.register(gatehouse)` without await, then routes: refused, not served', async () => {
    const p = probe()
    void p.app.register(gatehouse)
    p.app.get('/x', { config: { deps: { ok: requireKey } } }, async () => {
      p.ran.push('handler')
      return 'x'
    })
    await p.app.ready()
    await expectRefused(p, '/x', 'GET /x')
  })

  test('a child plugin loaded before gatehouse: its routes with deps are refused', async () => {
    const p = probe()
    await p.app.register(async (child) => {
      child.get('/child', { config: { deps: { ok: requireKey } } }, async () => {
        p.ran.push('handler')
        return 'child'
      })
    })
    await p.app.register(gatehouse)
    await p.app.ready()
    await expectRefused(p, '/child', 'GET /child')
  })

  test('early routes without deps, and later routes with deps, work as usual', async () => {
    const p = probe()
    p.app.get('/health', async () => 'ok')
    await p.app.register(gatehouse)
    p.app.get('/late', { config: { deps: { ok: requireKey } } }, async () => 'late')
    await p.app.ready()
    assert.equal((await p.app.inject('/health')).body, 'ok')
    assert.equal((await p.app.inject({ url: '/late', headers: { 'x-key': 'right' } })).body, 'late')
    const missing = await p.app.inject('/late')
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'APIKey')
  })

  test('registered first, the plugin adds no app-wide hook', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    app.get('/late', { config: { deps: { ok: requireKey } } }, async () => 'late')
    await app.ready()
    assert.doesNotMatch(app.printRoutes({ includeHooks: true }), /preHandler/)
  })
})

/**
 * Changes made by another process take effect on a running server's very next request, although
 * the server answers its per-request checks from memory: `gatehouse users …` run as a child
 * process next to `gatehouse start-dev`, and a revocation written by this test process into the
 * same SQLite file.
 */
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { decodeJwt } from 'jose'
import { DATABASE_FILE_NAME } from '../../src/server/defaults.js'
import { openStore } from '../../src/store/index.js'
import { runGatehouse, spawnGatehouse, stop, waitForOutput } from '../helpers/cli.js'
import { expectInvalidToken } from '../helpers/responses.js'

const LISTENING = /Gatehouse is listening on (http:\/\/127\.0\.0\.1:\d+)/

describe('gatehouse start-dev sees changes made by other processes on the next request', () => {
  let dataDir: string
  let url: string
  let server: ReturnType<typeof spawnGatehouse>
  before(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'gatehouse-live-')), 'data')
    const args = ['start-dev', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn']
    server = spawnGatehouse(args)
    url = (await waitForOutput(server, LISTENING))[1] ?? ''
  })
  after(() => stop(server))

  const login = async (username: string, password: string): Promise<string> => {
    const response = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    })
    assert.equal(response.status, 200)
    return ((await response.json()) as { access_token: string }).access_token
  }
  const get = (path: string, token: string) =>
    fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })
  const users = async (...args: string[]) => {
    const result = await runGatehouse(['users', ...args, '--data-dir', dataDir])
    assert.equal(result.stderr, '')
    assert.equal(result.code, 0)
  }
  it('`gatehouse users disable user1`: her token is refused at once', async () => {
    const token = await login('user1', 'secret')
    assert.equal((await get('/secure-endpoint', token)).status, 200)
    assert.equal((await get('/secure-endpoint', token)).status, 200)
    await users('disable', 'user1')
    const response = await get('/secure-endpoint', token)
    await expectInvalidToken(response, 'The access token is no longer valid')
  })

  it('`gatehouse users set-scopes admin read`: /admin/ answers 403 at once', async () => {
    const token = await login('admin', 'admin-secret')
    assert.equal((await get('/admin/', token)).status, 200)
    await users('set-scopes', 'admin', 'read')
    const response = await get('/admin/', token)
    assert.equal(response.status, 403)
    await response.body?.cancel()
    assert.equal((await get('/secure-endpoint', token)).status, 200)
  })

  it('a jti revoked by another process: 401 invalid_token at once', async () => {
    const token = await login('editor', 'editor-secret')
    assert.equal((await get('/secure-endpoint', token)).status, 200)
    const { jti, exp } = decodeJwt(token)
    const store = openStore({ url: `sqlite:${join(dataDir, DATABASE_FILE_NAME)}` })
    try {
      await store.revocations.revoke(String(jti), Number(exp))
    } finally {
      await store.close()
    }
    await expectInvalidToken(await get('/secure-endpoint', token), 'token has been revoked')
  })
})

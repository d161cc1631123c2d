/**
 * The smoke test: `gatehouse start-dev` as a child process on a free port with a fresh data
 * directory and default argon2 parameters, then the paper's curl flow, as a user would.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { spawnGatehouse, stop, waitForOutput } from '../helpers/cli.js'

const LISTENING = /Gatehouse is listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Try it:/

describe('gatehouse start-dev (smoke)', () => {
  const children: ReturnType<typeof spawnGatehouse>[] = []
  after(async () => {
    for (const child of children) await stop(child)
  })

  it("starts, serves the paper's curl flow, restarts with the same key, and stops on SIGTERM", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'gatehouse-smoke-')), 'data')
    const args = ['start-dev', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn']
    const first = spawnGatehouse(args)
    children.push(first)
    const [banner = '', url = ''] = await waitForOutput(first, LISTENING)
    assert.match(banner, /DEV MODE/)
    assert.match(banner, /user1 {4}\/ secret {9}scopes: read\n/)
    assert.match(banner, /generated a new random key in .*signing-key \(mode 0600\)/)

    // curl -X POST "$url/token" -H "Content-Type: application/x-www-form-urlencoded" -d "username=user1&password=secret"
    const tokenResponse = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'username=user1&password=secret',
    })
    assert.equal(tokenResponse.status, 200)
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string }

    // curl -X GET "$url/secure-endpoint" -H "Authorization: Bearer {token}"
    const secure = await fetch(`${url}/secure-endpoint`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    assert.equal(secure.status, 200)
    assert.deepEqual(await secure.json(), {
      message: 'Access granted to the secure endpoint',
      user: 'user1',
      scopes: ['read'],
    })
    const admin = await fetch(`${url}/admin/`, { headers: { Authorization: `Bearer ${token}` } })
    assert.equal(admin.status, 403)

    const keyFile = join(dataDir, 'signing-key')
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600)
    assert.match(await readFile(keyFile, 'utf8'), /^[A-Za-z0-9_-]{43}\n$/)
    assert.equal(await stop(first), 0)

    // A restart reuses the key (old tokens still verify) and does not recreate the demo users.
    const second = spawnGatehouse(args)
    children.push(second)
    const [banner2 = '', url2 = ''] = await waitForOutput(second, LISTENING)
    assert.match(banner2, /Signing key: {4}read from .*signing-key/)
    assert.match(banner2, /created on the first dev start/)
    const again = await fetch(`${url2}/secure-endpoint`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    assert.equal(again.status, 200)
    assert.equal(await stop(second), 0)
  })
})

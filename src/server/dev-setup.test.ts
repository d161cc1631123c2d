import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { generateSigningKey, loadConfig } from './config.js'
import { createDemoUsers, formatDevBanner, prepareDevFiles } from './dev-setup.js'

async function devConfig(env: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-dev-'))
  const dataDir = join(root, 'nested', 'data')
  return loadConfig({ mode: 'development', flags: { dataDir }, env, cwd: root })
}

describe('prepareDevFiles', () => {
  it('creates the data directory (0700) and a 0600 key file on the first start', async () => {
    const config = await devConfig()
    const result = await prepareDevFiles(config)
    assert.equal(result.generatedKey, true)
    assert.equal(result.isNewDatabase, true)
    assert.equal((await stat(config.dataDir)).mode & 0o777, 0o700)
    const keyFile = join(config.dataDir, 'signing-key')
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600)
    assert.equal(result.config.signingKeySource, 'generated')
    assert.equal(result.config.signingKeyFile, keyFile)
    const stored = (await readFile(keyFile, 'utf8')).trim()
    assert.deepEqual(result.config.signingKeys, [new Uint8Array(Buffer.from(stored, 'base64url'))])
  })

  it('reuses the key file afterwards, tightening a too-open mode', async () => {
    const config = await devConfig()
    const first = await prepareDevFiles(config)
    const keyFile = join(config.dataDir, 'signing-key')
    await chmod(keyFile, 0o644)
    const second = await prepareDevFiles(config)
    assert.equal(second.generatedKey, false)
    assert.equal(second.config.signingKeySource, 'file')
    assert.deepEqual(second.config.signingKeys, first.config.signingKeys)
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600)
  })

  it('reports an existing database as not new', async () => {
    const config = await devConfig()
    await prepareDevFiles(config)
    await writeFile(join(config.dataDir, 'gatehouse.db'), '')
    assert.equal((await prepareDevFiles(config)).isNewDatabase, false)
  })

  it('keeps a key given through the environment and writes no key file', async () => {
    const key = generateSigningKey()
    const config = await devConfig({ GATEHOUSE_SIGNING_KEY: key })
    const result = await prepareDevFiles(config)
    assert.equal(result.generatedKey, false)
    assert.equal(result.config, config)
    await assert.rejects(stat(join(config.dataDir, 'signing-key')), { code: 'ENOENT' })
  })
})

describe('createDemoUsers', () => {
  it('creates user1, editor and admin with hashed passwords and their scopes', async () => {
    const created: unknown[] = []
    const hasher = {
      hash: async (password: string) => `hashed:${password}`,
      verify: async () => false,
      needsRehash: () => false,
      verifyDummy: async () => false as const,
    }
    await createDemoUsers({ create: async (input) => created.push(input) }, hasher)
    assert.deepEqual(created, [
      { username: 'user1', passwordHash: 'hashed:secret', scopes: ['read'] },
      { username: 'editor', passwordHash: 'hashed:editor-secret', scopes: ['read', 'write'] },
      {
        username: 'admin',
        passwordHash: 'hashed:admin-secret',
        scopes: ['read', 'write', 'admin'],
      },
    ])
  })
})

describe('formatDevBanner', () => {
  it('says DEV MODE, where it listens, the accounts, the key and the curl commands', async () => {
    const config = await devConfig()
    const { config: completed } = await prepareDevFiles(config)
    const report = { config: completed, generatedKey: true, createdDemoUsers: true }
    const banner = formatDevBanner(report, 'http://127.0.0.1:8000')
    assert.match(banner, /Gatehouse is listening on http:\/\/127\.0\.0\.1:8000 {2}\(DEV MODE/)
    assert.match(banner, /Demo accounts \(created now, in this new database\):/)
    assert.match(banner, /admin {4}\/ admin-secret {3}scopes: read write admin/)
    assert.match(banner, /generated a new random key in .*signing-key \(mode 0600\)/)
    assert.match(
      banner,
      /curl -X POST "http:\/\/127\.0\.0\.1:8000\/token" -H "Content-Type: application\/x-www-form-urlencoded"/,
    )
    assert.match(
      banner,
      /curl -X GET "http:\/\/127\.0\.0\.1:8000\/secure-endpoint" -H "Authorization: Bearer \{token\}"/,
    )
  })
})

/**
 * The `gatehouse` command as a user runs it: a child process, passwords on stdin, exit codes,
 * and a server started on the same data directory that accepts the users the CLI made.
 */
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import { generateSigningKey, loadConfig, startServer } from '../../src/server/index.js'
import { runGatehouse, runGatehouseInProcess } from '../helpers/cli.js'

const KEY = generateSigningKey()

describe('gatehouse: usage and keys', () => {
  it('--help prints usage and exits 0; no command exits 2', async () => {
    const help = await runGatehouse(['--help'])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /^Usage: gatehouse <command> \[options\]/)
    assert.equal((await runGatehouseInProcess([])).code, 2)
  })

  it('an unknown command or flag exits 2 with a hint', async () => {
    const unknown = await runGatehouseInProcess(['frobnicate'])
    assert.equal(unknown.code, 2)
    assert.equal(
      unknown.stderr,
      'gatehouse: Unknown command "frobnicate".\nRun `gatehouse --help` for usage.\n',
    )
    const flag = await runGatehouseInProcess(['migrate', '--nope'])
    assert.equal(flag.code, 2)
    assert.match(flag.stderr, /^gatehouse: Unknown option '--nope'/)
  })

  it('keys generate prints a fresh 256-bit base64url key', async () => {
    const first = await runGatehouse(['keys', 'generate'])
    const second = await runGatehouseInProcess(['keys', 'generate'])
    assert.equal(first.code, 0)
    assert.match(first.stdout, /^[A-Za-z0-9_-]{43}\n$/)
    assert.notEqual(first.stdout, second.stdout)
  })
})

describe('gatehouse start: refuses an insecure configuration', () => {
  const refuse = async (env: Record<string, string>, message: string, child = false) => {
    const run = child ? runGatehouse : runGatehouseInProcess
    const result = await run(['start', '--port', '0'], { env })
    assert.equal(result.code, 2)
    assert.equal(result.stdout, '')
    assert.equal(result.stderr, `gatehouse: ${message}\n`)
  }

  it('without a signing key', async () => {
    await refuse(
      { GATEHOUSE_DATA_DIR: '/tmp/unused' },
      'Refusing to start in production without a signing key: set GATEHOUSE_SIGNING_KEY ' +
        '(base64url, at least 32 bytes; `gatehouse keys generate` makes one) or GATEHOUSE_SIGNING_KEY_FILE.',
      true,
    )
  })

  it('with a weak (16-byte) signing key', async () => {
    await refuse(
      {
        GATEHOUSE_SIGNING_KEY: Buffer.alloc(16, 1).toString('base64url'),
        GATEHOUSE_DATA_DIR: '/tmp/unused',
      },
      'GATEHOUSE_SIGNING_KEY (key 1) is too weak: 16 bytes, need at least 32 (run `gatehouse keys generate` for a new one)',
    )
  })

  it('without a database location', async () => {
    await refuse(
      { GATEHOUSE_SIGNING_KEY: KEY },
      'Refusing to start in production without a database location: set GATEHOUSE_DATABASE_URL ' +
        '(or DATABASE_URL), or name the SQLite directory with --data-dir / GATEHOUSE_DATA_DIR.',
    )
  })
})

describe('gatehouse users: the same database as the server', () => {
  let dataDir: string
  // The first command runs the real bin as a child process; the rest run in-process (same code).
  const users = (args: string[], stdin?: string) =>
    runGatehouseInProcess(
      ['users', ...args, '--data-dir', dataDir],
      stdin === undefined ? {} : { stdin },
    )
  before(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'gatehouse-cli-')), 'data')
  })

  it('users add reads the password from stdin; the server then logs the user in', async () => {
    const added = await runGatehouse(
      ['users', 'add', 'alice', '--scopes', 'read write', '--data-dir', dataDir],
      {
        stdin: 'alice-pw\n',
      },
    )
    assert.equal(added.stderr, '')
    assert.equal(added.stdout, 'Added alice with scopes: read write\n')
    assert.equal(added.code, 0)

    const env = { GATEHOUSE_SIGNING_KEY: KEY, GATEHOUSE_LOG_LEVEL: 'silent', PORT: '0' }
    const server = await startServer(loadConfig({ mode: 'production', flags: { dataDir }, env }))
    try {
      const response = await fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=alice&password=alice-pw',
      })
      assert.equal(response.status, 200)
      assert.equal(((await response.json()) as { scope: string }).scope, 'read write')
      // gatehouse start never creates the demo users.
      const demo = await fetch(`${server.url}/token`, {
        method: 'POST',
        body: 'username=user1&password=secret',
      })
      assert.equal(demo.status, 400)
      await demo.body?.cancel()
    } finally {
      await server.close()
    }
  })

  it('users list shows every user with status and scopes', async () => {
    await users(['add', 'bob'], 'bob-pw')
    const list = await users(['list'])
    assert.equal(list.code, 0)
    assert.equal(
      list.stdout,
      'USERNAME  STATUS    SCOPES\nalice     enabled   read write\nbob       enabled   read\n',
    )
  })

  it('rejects unknown scopes (exit 2), taken usernames and unknown users (exit 1)', async () => {
    const scope = await users(['add', 'carol', '--scopes', 'read sudo'], 'pw')
    assert.equal(scope.code, 2)
    assert.match(
      scope.stderr,
      /^gatehouse: Unknown scope\(s\): sudo\. Known scopes: read, write, admin\.\n/,
    )
    const taken = await users(['add', 'alice'], 'pw')
    assert.equal(taken.code, 1)
    assert.equal(taken.stderr, 'gatehouse: username "alice" is taken\n')
    const missing = await users(['disable', 'nobody'])
    assert.equal(missing.code, 1)
    assert.equal(missing.stderr, 'gatehouse: no user named "nobody"\n')
  })

  it('refuses an empty password on stdin (exit 2)', async () => {
    const empty = await users(['add', 'dave'], '\n')
    assert.equal(empty.code, 2)
    assert.match(empty.stderr, /^gatehouse: The password is empty\.\n/)
  })

  it('set-scopes, disable, enable, passwd and delete', async () => {
    assert.equal(
      (await users(['set-scopes', 'bob', 'read write admin'])).stdout,
      'bob now has scopes: read write admin\n',
    )
    assert.equal(
      (await users(['disable', 'bob'])).stdout,
      'bob is now disabled; its tokens no longer work.\n',
    )
    assert.match((await users(['list'])).stdout, /bob {7}disabled  read write admin\n/)
    assert.equal((await users(['enable', 'bob'])).stdout, 'bob is now enabled.\n')
    const passwd = await users(['passwd', 'bob'], 'bob-pw-2\n')
    assert.equal(
      passwd.stdout,
      'Password changed for bob; tokens issued before now no longer work.\n',
    )
    assert.equal((await users(['delete', 'bob'])).stdout, 'Deleted bob.\n')
    assert.equal(
      (await users(['list'])).stdout,
      'USERNAME  STATUS    SCOPES\nalice     enabled   read write\n',
    )
  })

  it('migrate reports an up-to-date database', async () => {
    const migrate = await runGatehouseInProcess(['migrate', '--data-dir', dataDir])
    assert.equal(migrate.code, 0)
    assert.equal(migrate.stdout, 'Database is up to date.\n')
  })
})

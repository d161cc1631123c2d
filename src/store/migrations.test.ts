import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { GatehouseConfigError } from '../errors.js'
import { openStore, type Store } from './index.js'
import { DIALECTS, randomSchema } from './test-dialects.js'

async function tableColumns(store: Store): Promise<Record<string, string[]>> {
  const tables = await store.db.introspection.getTables()
  return Object.fromEntries(
    tables
      .filter((t) => !t.name.startsWith('kysely_'))
      .map((t) => [t.name, t.columns.map((c) => c.name).sort()]),
  )
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: migrations`, { skip: dialect.skip }, () => {
    it('creates users and revoked_tokens, and is idempotent', async () => {
      const test = await dialect.open()
      try {
        assert.deepEqual(await test.store.migrate(), { applied: [] }) // already applied by open()
        assert.deepEqual(await tableColumns(test.store), {
          revoked_tokens: ['expires_at', 'jti'],
          users: [
            'created_at',
            'disabled',
            'id',
            'password_hash',
            'scopes',
            'tokens_valid_after',
            'updated_at',
            'username',
          ],
        })
        const done = await test.store.db
          .selectFrom(sql<{ name: string }>`kysely_migration`.as('m'))
          .select('name')
          .execute()
        assert.deepEqual(done, [{ name: '0001-initial' }])
      } finally {
        await test.dispose()
      }
    })

    it('enforces disabled in (0, 1) and the unique username', async () => {
      const test = await dialect.open()
      try {
        const row = {
          id: 'x',
          username: 'u',
          password_hash: '$argon2id$',
          scopes: '',
          disabled: 2,
          tokens_valid_after: 0,
          created_at: '',
          updated_at: '',
        }
        await assert.rejects(test.store.db.insertInto('users').values(row).execute())
        await test.store.db
          .insertInto('users')
          .values({ ...row, disabled: 0 })
          .execute()
        const duplicate = { ...row, id: 'y', disabled: 0 }
        await assert.rejects(test.store.db.insertInto('users').values(duplicate).execute())
      } finally {
        await test.dispose()
      }
    })
  })
}

const postgres = DIALECTS.find((d) => d.name === 'postgres')
describe('postgres: concurrent migrations', { skip: postgres?.skip ?? 'no postgres' }, () => {
  it('two stores migrating the same new schema at once: one applies, both succeed', async () => {
    const schema = randomSchema()
    const url = process.env['DATABASE_URL'] ?? ''
    const first = openStore({ url, schema })
    const second = openStore({ url, schema })
    try {
      const results = await Promise.all([first.migrate(), second.migrate()])
      assert.deepEqual(
        results.flatMap((r) => r.applied),
        ['0001-initial'],
      )
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(first.db)
      await Promise.all([first.close(), second.close()])
    }
  })

  it("a new schema migrates while another schema already holds Kysely's tables", async () => {
    const existing = await postgres!.open()
    const schema = randomSchema()
    const fresh = openStore({ url: process.env['DATABASE_URL'] ?? '', schema })
    try {
      assert.deepEqual(await fresh.migrate(), { applied: ['0001-initial'] })
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = ${schema} order by table_name`.execute(fresh.db)
      assert.deepEqual(
        rows.map((r) => r.table_name),
        ['kysely_migration', 'kysely_migration_lock', 'revoked_tokens', 'users'],
      )
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(fresh.db)
      await Promise.all([fresh.close(), existing.dispose()])
    }
  })
})

const STORE_MODULE = fileURLToPath(new URL('./index.ts', import.meta.url))

/** Runs `migrate()` in a separate process (SQLite locks are per process). */
function migrateInChild(url: string): Promise<{ code: number | null; stdout: string }> {
  const script = `import(${JSON.stringify(STORE_MODULE)}).then(async ({ openStore }) => {
    const store = openStore({ url: ${JSON.stringify(url)} })
    process.stdout.write(JSON.stringify(await store.migrate()))
    await store.close()
  })`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'pipe' })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout }))
  })
}

describe('sqlite: files and concurrency', () => {
  it('creates missing parent directories and sets WAL, foreign keys and busy_timeout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-'))
    const store = openStore({ url: `sqlite:${join(dir, 'nested', 'deeper', 'gh.db')}` })
    try {
      await store.migrate()
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] ?? {})[0]
      assert.equal(await pragma('journal_mode'), 'wal')
      assert.equal(await pragma('foreign_keys'), 1)
      assert.equal(await pragma('busy_timeout'), 5000)
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('creates a missing directory 0700 and the database 0600: it holds password hashes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-'))
    const previous = process.umask(0o022)
    try {
      const filename = join(dir, 'new', 'gh.db')
      const store = openStore({ url: `sqlite:${filename}` })
      await store.migrate()
      await store.close()
      assert.equal((await stat(join(dir, 'new'))).mode & 0o777, 0o700)
      assert.equal((await stat(filename)).mode & 0o777, 0o600)
    } finally {
      process.umask(previous)
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('an unusable path fails at open with GatehouseConfigError naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-'))
    try {
      await writeFile(join(dir, 'file'), '')
      const filename = join(dir, 'file', 'gh.db') // parent is a regular file
      assert.throws(
        () => openStore({ url: `sqlite:${filename}` }),
        (error: unknown) => {
          assert.ok(error instanceof GatehouseConfigError)
          assert.match(error.message, new RegExp(`^cannot open SQLite database ${filename}: `))
          return true
        },
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('four processes migrating one new file at once: one applies, all succeed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-store-'))
    try {
      const url = `sqlite:${join(dir, 'gh.db')}`
      const runs = await Promise.all([1, 2, 3, 4].map(() => migrateInChild(url)))
      assert.deepEqual(
        runs.map((r) => r.code),
        [0, 0, 0, 0],
      )
      const applied = runs.flatMap((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied)
      assert.deepEqual(applied, ['0001-initial'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

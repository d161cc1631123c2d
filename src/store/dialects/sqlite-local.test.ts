/**
 * The generation of the SQLite dialect's local connection: when it moves, and when it may not.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { Kysely, sql } from 'kysely'
import type { LocalConnection } from '../dialect.js'
import { createSqliteDialect } from './sqlite.js'

describe('sqlite: LocalConnection.generation', () => {
  let dir: string
  let db: Kysely<unknown>
  let other: Kysely<unknown>
  let local: LocalConnection

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-sqlite-local-'))
    const filename = join(dir, 'test.db')
    const dialect = createSqliteDialect({ filename })
    if (dialect.local === undefined) throw new Error('the SQLite dialect has no local connection')
    local = dialect.local
    db = new Kysely({ dialect: dialect.kysely })
    other = new Kysely({ dialect: createSqliteDialect({ filename }).kysely })
    await sql`create table t (x integer)`.execute(db)
  })
  after(async () => {
    await db.destroy()
    await other.destroy()
    await rm(dir, { recursive: true, force: true })
  })

  const insert = (into: Kysely<unknown>, x: number) => sql`insert into t values (${x})`.execute(into)

  it('stays put across reads, in this turn and the next', async () => {
    const start = local.generation()
    await sql`select * from t`.execute(db)
    assert.equal(local.reader('select count(*) as n from t')().length, 1)
    assert.equal(local.generation(), start)
    await nextTurn()
    assert.equal(local.generation(), start)
  })

  it('moves at once after a write through Kysely', async () => {
    const start = local.generation()
    await insert(db, 1)
    assert.ok(local.generation() > start)
  })

  it("moves on another connection's commit from the next turn on", async () => {
    await nextTurn()
    const start = local.generation()
    await insert(other, 2)
    await nextTurn()
    assert.ok(local.generation() > start)
  })

  it('an own write through ownWriter leaves it unchanged, unless something else was written', async () => {
    const write = local.ownWriter('insert into t values (?)')
    const start = local.generation()
    assert.equal(write(3), 1)
    assert.equal(local.generation(), start)
    await insert(other, 4) // a foreign commit just before the next own write
    assert.equal(write(5), 1)
    assert.ok(local.generation() > start)
  })

  it('moves on every call inside a transaction, and once more after it', async () => {
    const start = local.generation()
    let inside = 0
    await db.transaction().execute(async () => {
      inside = local.generation()
      assert.ok(inside > start)
      assert.ok(local.generation() > inside)
    })
    assert.ok(local.generation() > inside + 1)
  })
})

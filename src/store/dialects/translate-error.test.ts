import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import pg from 'pg'
import { StoreConflictError } from '../errors.js'
import { createPostgresDialect } from './postgres.js'
import { createSqliteDialect } from './sqlite.js'

function pgError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('boom', 0, 'error')
  error.code = code
  return error
}

function sqliteError(code: string): Error {
  return Object.assign(new Error('boom'), { code })
}

describe('dialect error translation', () => {
  const sqlite = createSqliteDialect({ filename: ':memory:' })
  const postgres = createPostgresDialect({ connectionString: 'postgres://127.0.0.1:1/none' })

  it('sqlite: unique and primary-key violations become StoreConflictError', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']) {
      const cause = sqliteError(code)
      const translated = sqlite.translateError(cause, 'taken')
      assert.ok(translated instanceof StoreConflictError)
      assert.equal(translated.code, 'GH_ERR_STORE_CONFLICT')
      assert.equal(translated.message, 'taken')
      assert.equal(translated.cause, cause)
    }
  })

  it('postgres: SQLSTATE 23505 becomes StoreConflictError', () => {
    const cause = pgError('23505')
    const translated = postgres.translateError(cause, 'taken')
    assert.ok(translated instanceof StoreConflictError)
    assert.equal(translated.cause, cause)
  })

  it('everything else passes through unchanged', () => {
    const check = sqliteError('SQLITE_CONSTRAINT_CHECK')
    assert.equal(sqlite.translateError(check, 'x'), check)
    const notNull = pgError('23502')
    assert.equal(postgres.translateError(notNull, 'x'), notNull)
    const plain = new Error('network')
    assert.equal(postgres.translateError(plain, 'x'), plain)
    assert.equal(sqlite.translateError(undefined, 'x'), undefined)
  })
})

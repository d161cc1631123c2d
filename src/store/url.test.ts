import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GatehouseConfigError } from '../errors.js'
import { openStore, parseStoreUrl } from './index.js'

describe('parseStoreUrl', () => {
  it('reads SQLite URLs and bare paths', () => {
    const cases: Array<[string, string]> = [
      ['sqlite::memory:', ':memory:'],
      [':memory:', ':memory:'],
      ['sqlite:./data/gatehouse.db', './data/gatehouse.db'],
      ['sqlite:data.db', 'data.db'],
      ['sqlite:///var/lib/gatehouse.db', '/var/lib/gatehouse.db'],
      ['sqlite://data/gh.db', 'data/gh.db'],
      ['SQLITE:x.db', 'x.db'],
      ['./data/gatehouse.db', './data/gatehouse.db'],
      ['/abs/gh.sqlite', '/abs/gh.sqlite'],
      ['C:\\data\\gh.db', 'C:\\data\\gh.db'],
    ]
    for (const [url, filename] of cases) {
      assert.deepEqual(parseStoreUrl(url), { dialect: 'sqlite', filename }, url)
    }
  })

  it('reads postgres:// and postgresql:// URLs', () => {
    for (const url of ['postgres://u:p@db:5432/gh', 'postgresql://db/gh?sslmode=require']) {
      assert.deepEqual(parseStoreUrl(url), { dialect: 'postgres', connectionString: url })
    }
  })

  it('rejects other schemes and empty input with GatehouseConfigError', () => {
    const cases: Array<[string, string]> = [
      ['', '`url` must be a non-empty string, got ""'],
      ['   ', '`url` must be a non-empty string, got "   "'],
      [
        'mysql://db/gh',
        '`url` must be sqlite:<path>, postgres://…, postgresql://… or a file path, got mysql:',
      ],
      ['sqlite:', '`url` names no SQLite file: use sqlite:<path>'],
    ]
    for (const [url, message] of cases) {
      assert.throws(
        () => parseStoreUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof GatehouseConfigError)
          assert.equal(error.code, 'GH_ERR_CONFIG_INVALID')
          assert.equal(error.message, message)
          return true
        },
      )
    }
  })

  it('openStore fails at open for an unsupported URL and an invalid schema', () => {
    assert.throws(() => openStore({ url: 'mysql://db/gh' }), GatehouseConfigError)
    assert.throws(() => openStore({ url: 'postgres://db/gh', schema: 'Bad-Name' }), {
      name: 'GatehouseConfigError',
      message: '`schema` must match /^[a-z_][a-z0-9_]{0,62}$/, got "Bad-Name"',
    })
  })
})

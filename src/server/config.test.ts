import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { generateSigningKey, loadConfig, parseSigningKeys, withConfig } from './config.js'

const cwd = '/srv/app'
const KEY = Buffer.alloc(32, 7).toString('base64url')

describe('loadConfig: development defaults', () => {
  it('listens on 127.0.0.1:8000 with SQLite under ./data and no key yet', () => {
    const config = loadConfig({ mode: 'development', env: {}, cwd })
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.port, 8000)
    assert.equal(config.dataDir, '/srv/app/data')
    assert.equal(config.databaseUrl, 'sqlite:/srv/app/data/gatehouse.db')
    assert.equal(config.issuer, 'http://127.0.0.1:8000')
    assert.equal(config.audience, 'gatehouse')
    assert.equal(config.accessTokenTtlSeconds, 900)
    assert.deepEqual(config.signingKeys, [])
    assert.equal(config.signingKeySource, 'none')
    assert.equal(config.tls, undefined)
    assert.equal(config.logLevel, 'info')
    assert.equal(config.tokenRateLimit, 10)
    assert.equal(config.trustProxy, false)
    assert.equal(Object.isFrozen(config), true)
    assert.equal(Object.isFrozen(config.signingKeys), true)
  })

  it('reads env, and flags win over env', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      GATEHOUSE_DATA_DIR: 'var',
      GATEHOUSE_LOG_LEVEL: 'warn',
    }
    const config = loadConfig({
      mode: 'development',
      env,
      cwd,
      flags: { port: '9100', dataDir: '/tmp/x' },
    })
    assert.equal(config.port, 9100)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.dataDir, '/tmp/x')
    assert.equal(config.databaseUrl, 'sqlite:/tmp/x/gatehouse.db')
    assert.equal(config.issuer, 'http://0.0.0.0:9100')
    assert.equal(config.logLevel, 'warn')
  })

  it('takes the database from GATEHOUSE_DATABASE_URL, then DATABASE_URL', () => {
    const pg = 'postgres://u:p@db/gatehouse'
    assert.equal(
      loadConfig({ mode: 'development', env: { DATABASE_URL: pg }, cwd }).databaseUrl,
      pg,
    )
    const env = { GATEHOUSE_DATABASE_URL: 'sqlite:db/g.db', DATABASE_URL: pg }
    assert.equal(
      loadConfig({ mode: 'development', env, cwd }).databaseUrl,
      'sqlite:/srv/app/db/g.db',
    )
  })

  it('reads issuer, audience, TTL, rate limit and trust proxy', () => {
    const env = {
      GATEHOUSE_ISSUER: 'https://auth.example',
      GATEHOUSE_AUDIENCE: 'api',
      GATEHOUSE_ACCESS_TOKEN_TTL: '60',
      GATEHOUSE_TOKEN_RATE_LIMIT: 'off',
      GATEHOUSE_TRUST_PROXY: 'true',
    }
    const config = loadConfig({ mode: 'development', env, cwd })
    assert.equal(config.issuer, 'https://auth.example')
    assert.equal(config.audience, 'api')
    assert.equal(config.accessTokenTtlSeconds, 60)
    assert.equal(config.tokenRateLimit, 0)
    assert.equal(config.trustProxy, true)
  })
})

describe('loadConfig: validation', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['a bad port', { PORT: '80a' }, '`port` must be an integer from 0 to 65535, got "80a"'],
    [
      'a port out of range',
      { PORT: '70000' },
      '`port` must be an integer from 0 to 65535, got "70000"',
    ],
    [
      'a bad TTL',
      { GATEHOUSE_ACCESS_TOKEN_TTL: '0' },
      'GATEHOUSE_ACCESS_TOKEN_TTL must be a positive number of seconds, got "0"',
    ],
    [
      'a bad log level',
      { GATEHOUSE_LOG_LEVEL: 'loud' },
      '`log-level` must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [
      'a bad database URL',
      { DATABASE_URL: 'mysql://x' },
      'GATEHOUSE_DATABASE_URL must start with sqlite: or postgres://, got "mysql:…"',
    ],
    [
      'a weak key',
      { GATEHOUSE_SIGNING_KEY: Buffer.alloc(16).toString('base64url') },
      'GATEHOUSE_SIGNING_KEY (key 1) is too weak: 16 bytes, need at least 32 (run `gatehouse keys generate` for a new one)',
    ],
    [
      'a key that is not base64url',
      { GATEHOUSE_SIGNING_KEY: 'bad!key' },
      'GATEHOUSE_SIGNING_KEY (key 1) is not base64url',
    ],
    [
      'both key sources',
      { GATEHOUSE_SIGNING_KEY: KEY, GATEHOUSE_SIGNING_KEY_FILE: 'k' },
      'Set GATEHOUSE_SIGNING_KEY or GATEHOUSE_SIGNING_KEY_FILE, not both',
    ],
    [
      'half a TLS pair',
      { GATEHOUSE_TLS_CERT: 'cert.pem' },
      'HTTPS needs both --tls-cert and --tls-key',
    ],
    [
      'a missing key file',
      { GATEHOUSE_SIGNING_KEY_FILE: '/nonexistent/key' },
      'GATEHOUSE_SIGNING_KEY_FILE: cannot read /nonexistent/key (ENOENT)',
    ],
  ]
  for (const [name, env, message] of cases) {
    it(`rejects ${name} with a message naming it`, () => {
      assert.throws(() => loadConfig({ mode: 'development', env, cwd }), {
        name: 'GatehouseConfigError',
        code: 'GH_ERR_CONFIG_INVALID',
        message,
      })
    })
  }
})

describe('loadConfig: production refusals', () => {
  it('refuses to start without a signing key', () => {
    assert.throws(
      () => loadConfig({ mode: 'production', env: { DATABASE_URL: 'postgres://db/x' }, cwd }),
      {
        message:
          'Refusing to start in production without a signing key: set GATEHOUSE_SIGNING_KEY ' +
          '(base64url, at least 32 bytes; `gatehouse keys generate` makes one) or GATEHOUSE_SIGNING_KEY_FILE.',
      },
    )
  })

  it('refuses to start without an explicit database location', () => {
    assert.throws(
      () => loadConfig({ mode: 'production', env: { GATEHOUSE_SIGNING_KEY: KEY }, cwd }),
      {
        message:
          'Refusing to start in production without a database location: set GATEHOUSE_DATABASE_URL ' +
          '(or DATABASE_URL), or name the SQLite directory with --data-dir / GATEHOUSE_DATA_DIR.',
      },
    )
  })

  it('starts with a key and a data directory', () => {
    const env = { GATEHOUSE_SIGNING_KEY: KEY, GATEHOUSE_DATA_DIR: '/var/lib/gatehouse' }
    const config = loadConfig({ mode: 'production', env, cwd })
    assert.equal(config.signingKeySource, 'env')
    assert.deepEqual(config.signingKeys, [new Uint8Array(Buffer.alloc(32, 7))])
    assert.equal(config.databaseUrl, 'sqlite:/var/lib/gatehouse/gatehouse.db')
  })

  it('starts with a key and an explicit sqlite: URL, as the refusal message says', () => {
    const env = { GATEHOUSE_SIGNING_KEY: KEY, GATEHOUSE_DATABASE_URL: 'sqlite:/srv/gh/users.db' }
    const config = loadConfig({ mode: 'production', env, cwd })
    assert.equal(config.databaseUrl, 'sqlite:/srv/gh/users.db')
  })

  it('reads rotated keys from a key file: the first signs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-config-'))
    const second = generateSigningKey()
    writeFileSync(join(dir, 'keys'), `${KEY}\n${second}\n`)
    const env = { GATEHOUSE_SIGNING_KEY_FILE: join(dir, 'keys'), DATABASE_URL: 'postgres://db/x' }
    const config = loadConfig({ mode: 'production', env, cwd })
    assert.equal(config.signingKeySource, 'file')
    assert.equal(config.signingKeyFile, join(dir, 'keys'))
    assert.equal(config.signingKeys.length, 2)
    assert.equal(Buffer.from(config.signingKeys[1] ?? []).toString('base64url'), second)
  })
})

describe('signing keys', () => {
  it('generates 32 random bytes, base64url', () => {
    const key = generateSigningKey()
    assert.match(key, /^[A-Za-z0-9_-]{43}$/)
    assert.notEqual(generateSigningKey(), key)
    assert.equal(parseSigningKeys(key, 'x')[0]?.byteLength, 32)
  })

  it('splits on commas and whitespace; rejects an empty list', () => {
    assert.equal(parseSigningKeys(`${KEY}, ${KEY}`, 'x').length, 2)
    assert.throws(() => parseSigningKeys(' \n', 'file'), { message: 'file holds no signing key' })
  })

  it('withConfig copies and freezes', () => {
    const config = loadConfig({ mode: 'development', env: {}, cwd })
    const next = withConfig(config, { port: 1 })
    assert.equal(next.port, 1)
    assert.equal(config.port, 8000)
    assert.equal(Object.isFrozen(next), true)
  })
})

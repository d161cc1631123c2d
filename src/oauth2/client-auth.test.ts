import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  parseBasicClientCredentials,
  publicClientsOnly,
  readClientCredentials,
} from './client-auth.js'

const basic = (raw: string): string => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+')
const malformed = {
  name: 'InvalidClient',
  statusCode: 401,
  error: 'invalid_client',
  errorDescription: 'The Basic client credentials are malformed.',
  headers: { 'www-authenticate': 'Basic realm="gatehouse"' },
}

describe('parseBasicClientCredentials', () => {
  it('reads the empty credentials Swagger UI sends by default (Basic Og==)', () => {
    assert.deepEqual(parseBasicClientCredentials('Basic Og=='), { clientId: '', clientSecret: '' })
  })

  it('splits at the first colon and form-decodes both parts (RFC 6749 §2.3.1)', () => {
    assert.deepEqual(parseBasicClientCredentials(basic('my+app:s%3Acr:et')), {
      clientId: 'my app',
      clientSecret: 's:cr:et',
    })
  })

  it('is case-insensitive in the scheme name', () => {
    assert.deepEqual(parseBasicClientCredentials('bASIC Og=='), { clientId: '', clientSecret: '' })
  })

  it('returns undefined for another scheme', () => {
    assert.equal(parseBasicClientCredentials('Bearer abc'), undefined)
    assert.equal(parseBasicClientCredentials('Basicx Og=='), undefined)
  })

  it('rejects malformed Basic credentials: 401 invalid_client with a Basic challenge', () => {
    for (const header of [
      'Basic',
      'Basic ',
      'Basic !!!!',
      'Basic Og',
      basic('no-colon'),
      `Basic ${Buffer.from([0xff, 0x3a]).toString('base64')}`,
      basic('%zz:x'),
    ]) {
      assert.throws(() => parseBasicClientCredentials(header), malformed, header)
    }
  })

  it('round-trips any id and secret, UTF-8 and colons included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        (id, secret) => {
          const header = basic(`${formEncode(id)}:${formEncode(secret)}`)
          assert.deepEqual(parseBasicClientCredentials(header), {
            clientId: id,
            clientSecret: secret,
          })
        },
      ),
    )
  })
})

describe('readClientCredentials', () => {
  const empty = new Map<string, string>()

  it('reports no client when neither header nor form carries one', () => {
    assert.deepEqual(readClientCredentials(undefined, empty), {
      method: 'none',
      clientId: undefined,
      clientSecret: undefined,
    })
    const blank = new Map([
      ['client_id', ''],
      ['client_secret', ''],
    ])
    assert.equal(readClientCredentials(undefined, blank).method, 'none')
  })

  it('treats empty Basic credentials as no client', () => {
    assert.equal(readClientCredentials('Basic Og==', empty).method, 'none')
  })

  it('reads form credentials as client_secret_post', () => {
    const form = new Map([
      ['client_id', 'app'],
      ['client_secret', 's'],
    ])
    assert.deepEqual(readClientCredentials(undefined, form), {
      method: 'client_secret_post',
      clientId: 'app',
      clientSecret: 's',
    })
  })

  it('reads header credentials as client_secret_basic, empty secret as undefined', () => {
    assert.deepEqual(readClientCredentials(basic('app:'), empty), {
      method: 'client_secret_basic',
      clientId: 'app',
      clientSecret: undefined,
    })
  })

  it('rejects credentials in both header and form: 400 invalid_request', () => {
    const form = new Map([['client_id', 'app']])
    assert.throws(() => readClientCredentials(basic('app:'), form), {
      statusCode: 400,
      error: 'invalid_request',
      errorDescription:
        'Client credentials were sent both in the Authorization header and in the form.',
    })
  })

  it('rejects a client_id beyond visible ASCII or 255 characters: form 400, Basic 401', () => {
    const rule = 'The client_id must be at most 255 visible ASCII characters.'
    for (const id of ['c'.repeat(256), 'a\u0000b', 'tab\tid', 'caf\u00e9']) {
      assert.throws(() => readClientCredentials(undefined, new Map([['client_id', id]])), {
        statusCode: 400,
        error: 'invalid_request',
        errorDescription: rule,
      })
      assert.throws(() => readClientCredentials(basic(`${formEncode(id)}:`), empty), {
        statusCode: 401,
        error: 'invalid_client',
        errorDescription: rule,
      })
    }
    const longest = 'c'.repeat(255)
    assert.equal(readClientCredentials(undefined, new Map([['client_id', longest]])).clientId, longest)
    assert.equal(readClientCredentials(undefined, new Map([['client_id', 'my app']])).clientId, 'my app')
  })

  it('rejects a non-Basic Authorization header: 401 invalid_client', () => {
    assert.throws(() => readClientCredentials('Bearer abc', empty), {
      statusCode: 401,
      error: 'invalid_client',
      errorDescription: 'Client authentication must use the Basic scheme.',
      headers: { 'www-authenticate': 'Basic realm="gatehouse"' },
    })
  })
})

describe('publicClientsOnly', () => {
  it('accepts no client, or any client_id without a secret, as public', () => {
    const none = { method: 'none', clientId: undefined, clientSecret: undefined } as const
    assert.deepEqual(publicClientsOnly.authenticate(none), { clientId: undefined, type: 'public' })
    const named = {
      method: 'client_secret_post',
      clientId: 'app',
      clientSecret: undefined,
    } as const
    assert.deepEqual(publicClientsOnly.authenticate(named), { clientId: 'app', type: 'public' })
  })

  it('rejects any secret: 401 invalid_client', () => {
    const withSecret = {
      method: 'client_secret_basic',
      clientId: 'app',
      clientSecret: 's',
    } as const
    assert.throws(() => publicClientsOnly.authenticate(withSecret), {
      statusCode: 401,
      error: 'invalid_client',
      errorDescription: 'Unknown client, or the client may not authenticate with a secret.',
    })
  })
})

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PasswordHasher } from '../passwords/index.js'
import { ScopeRegistry } from '../scopes/index.js'
import type { IssueAccessTokenInput, TokenIssuer } from '../tokens/index.js'
import type { GrantContext, ResourceOwner, TokenRequest } from './context.js'
import { passwordGrant } from './grants/password.js'
import { createTokenEndpoint, type TokenEndpointOptions } from './token-endpoint.js'

const FORM = 'application/x-www-form-urlencoded'
const NOW_MS = 1_767_225_600_700 // 2026-01-01T00:00:00.7Z
const NOW = 1_767_225_600

const scopes = new ScopeRegistry({
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
  admin: { description: 'Admin access', implies: ['write'] },
})

/** A hasher whose "hash" is `v1:<password>`; `v0:` hashes need a rehash. Records every call. */
function fakeHasher(calls: string[]): PasswordHasher {
  return {
    hash: async (password) => (calls.push('hash'), `v1:${password}`),
    verify: async (hash, password) => (calls.push('verify'), hash.slice(3) === password),
    needsRehash: (hash) => !hash.startsWith('v1:'),
    verifyDummy: async () => (calls.push('verifyDummy'), false),
  }
}

function fakeIssuer(issued: IssueAccessTokenInput[]): TokenIssuer {
  return {
    issueAccessToken: async (input) => {
      issued.push(input)
      const scope = input.scope.join(' ')
      return {
        token: `token-for-${input.subject}`,
        tokenType: 'bearer',
        expiresIn: 900,
        expiresAt: 0,
        jti: 'j',
        scope,
      }
    },
  }
}

const owners: readonly ResourceOwner[] = [
  { subject: '1', username: 'user1', passwordHash: 'v1:secret', scopes: ['read'], disabled: false },
  {
    subject: '2',
    username: 'admin',
    passwordHash: 'v1:admin-secret',
    scopes: ['read', 'write', 'admin'],
    disabled: false,
  },
  { subject: '3', username: 'gone', passwordHash: 'v1:pw', scopes: ['read'], disabled: true },
  { subject: '4', username: 'old', passwordHash: 'v0:old-pw', scopes: ['read'], disabled: false },
  { subject: '5', username: 'boss', passwordHash: 'v1:pw', scopes: ['admin'], disabled: false },
]

function setup(overrides: Partial<TokenEndpointOptions> & { failRehash?: boolean } = {}) {
  const calls: string[] = []
  const issued: IssueAccessTokenInput[] = []
  const rehashed: [string, string][] = []
  const endpoint = createTokenEndpoint({
    owners: {
      findByUsername: async (name) => owners.find((owner) => owner.username === name),
      updatePasswordHash: async (owner, hash) => {
        if (overrides.failRehash === true) throw new Error('db down')
        rehashed.push([owner.subject, hash])
      },
    },
    hasher: fakeHasher(calls),
    issuer: fakeIssuer(issued),
    scopes,
    clock: () => NOW_MS,
    ...overrides,
  })
  const post = (body: unknown, extra: Partial<TokenRequest> = {}) =>
    endpoint.handle({ contentType: FORM, authorization: undefined, body, ...extra })
  return { endpoint, post, calls, issued, rehashed }
}

const invalidGrant = {
  statusCode: 400,
  error: 'invalid_grant',
  errorDescription: 'Invalid username or password.',
}

describe('token endpoint: password grant', () => {
  it("issues a token for the paper's request (no grant_type, no scope): all the user's scopes", async () => {
    const { post, issued } = setup()
    const body = await post({ username: 'user1', password: 'secret' })
    assert.deepEqual(body, {
      access_token: 'token-for-1',
      token_type: 'bearer',
      expires_in: 900,
      scope: 'read',
    })
    assert.deepEqual(issued, [{ subject: '1', scope: ['read'], issuedAt: NOW }])
  })

  it('accepts what Swagger UI sends: grant_type, empty scope, empty client, Basic Og==', async () => {
    const { post, issued } = setup()
    const form = { grant_type: 'password', username: 'admin', password: 'admin-secret', scope: '' }
    const body = await post(form, { authorization: 'Basic Og==' })
    assert.equal(body.scope, 'read write admin')
    assert.deepEqual(issued[0], { subject: '2', scope: ['read', 'write', 'admin'], issuedAt: NOW })
  })

  it('passes a public client_id through to the token', async () => {
    const { post, issued } = setup()
    await post({ username: 'user1', password: 'secret', client_id: 'swagger' })
    assert.deepEqual(issued[0], {
      subject: '1',
      scope: ['read'],
      clientId: 'swagger',
      issuedAt: NOW,
    })
  })

  it('iat is the second the owner was read, not the second of signing', async () => {
    let now = NOW_MS
    const issued: IssueAccessTokenInput[] = []
    const { post } = setup({
      clock: () => now,
      issuer: fakeIssuer(issued),
      owners: {
        findByUsername: async (name) => {
          const owner = owners.find((o) => o.username === name)
          now += 2_000 // hashing and signing happen later
          return owner
        },
        updatePasswordHash: async () => {},
      },
    })
    await post({ username: 'user1', password: 'secret' })
    assert.equal(issued[0]?.issuedAt, NOW)
  })

  it("iat is never before the owner's tokensValidAfter (a login in the second of a change)", async () => {
    const issued: IssueAccessTokenInput[] = []
    const changed: ResourceOwner = { ...owners[0]!, tokensValidAfter: NOW + 1 }
    const { post } = setup({
      issuer: fakeIssuer(issued),
      owners: { findByUsername: async () => changed, updatePasswordHash: async () => {} },
    })
    await post({ username: 'user1', password: 'secret' })
    assert.equal(issued[0]?.issuedAt, NOW + 1)
  })

  it('grants exactly the requested scope when the user may have it', async () => {
    const { post } = setup()
    const body = await post({ username: 'admin', password: 'admin-secret', scope: 'admin read' })
    assert.equal(body.scope, 'admin read')
  })

  it('grants implied scopes: a user with admin may request read', async () => {
    const { post } = setup()
    assert.equal((await post({ username: 'boss', password: 'pw', scope: 'read' })).scope, 'read')
  })

  it("rejects scope beyond the user's: 400 invalid_scope", async () => {
    const { post, issued } = setup()
    await assert.rejects(post({ username: 'user1', password: 'secret', scope: 'read admin' }), {
      statusCode: 400,
      error: 'invalid_scope',
      errorDescription: 'The requested scope exceeds what the user may be granted: admin.',
    })
    assert.equal(issued.length, 0)
  })

  it('rejects an unknown scope: 400 invalid_scope', async () => {
    const { post } = setup()
    await assert.rejects(post({ username: 'user1', password: 'secret', scope: 'reed' }), {
      error: 'invalid_scope',
      errorDescription: 'Unknown scope: reed.',
    })
  })

  it('rejects bad scope syntax: 400 invalid_scope', async () => {
    const { post } = setup()
    for (const scope of ['read  write', ' read', 'read "x"', 'réad']) {
      await assert.rejects(post({ username: 'user1', password: 'secret', scope }), {
        error: 'invalid_scope',
        errorDescription: 'The "scope" parameter is not a valid scope string (RFC 6749 §3.3).',
      })
    }
  })

  it('checks scope literally without a registry', async () => {
    const { post } = setup({ scopes: undefined as never })
    await assert.rejects(post({ username: 'boss', password: 'pw', scope: 'read' }), {
      errorDescription: 'The requested scope exceeds what the user may be granted: read.',
    })
  })

  it('answers a wrong password with invalid_grant', async () => {
    const { post, calls, issued } = setup()
    await assert.rejects(post({ username: 'user1', password: 'nope' }), invalidGrant)
    assert.deepEqual(calls, ['verify'])
    assert.equal(issued.length, 0)
  })

  it('answers an unknown user exactly like a wrong password, after a dummy verification', async () => {
    const { post, calls } = setup()
    await assert.rejects(post({ username: 'nobody', password: 'secret' }), invalidGrant)
    assert.deepEqual(calls, ['verifyDummy'])
  })

  it('answers a disabled user with invalid_grant, even with the right password', async () => {
    const { post, issued } = setup()
    await assert.rejects(post({ username: 'gone', password: 'pw' }), invalidGrant)
    assert.equal(issued.length, 0)
  })

  it('rehashes an outdated hash at login, and still logs in when the rehash fails', async () => {
    const ok = setup()
    await ok.post({ username: 'old', password: 'old-pw' })
    assert.deepEqual(ok.rehashed, [['4', 'v1:old-pw']])
    const failing = setup({ failRehash: true })
    const warnings: object[] = []
    const log = { info: () => {}, warn: (fields: object) => warnings.push(fields) }
    const body = await failing.post({ username: 'old', password: 'old-pw' }, { log })
    assert.equal(body.access_token, 'token-for-4')
    assert.equal(warnings.length, 1)
  })

  it('does not rehash a current hash', async () => {
    const { post, rehashed, calls } = setup()
    await post({ username: 'user1', password: 'secret' })
    assert.deepEqual(rehashed, [])
    assert.deepEqual(calls, ['verify'])
  })
})

describe('token endpoint: malformed requests', () => {
  const cases: [string, unknown, string][] = [
    ['missing username', { password: 'x' }, 'The "username" parameter is required.'],
    ['missing password', { username: 'user1' }, 'The "password" parameter is required.'],
    [
      'empty password',
      { username: 'user1', password: '' },
      'The "password" parameter is required.',
    ],
    [
      'empty grant_type',
      { grant_type: '', username: 'a', password: 'b' },
      'The "grant_type" parameter is empty.',
    ],
    [
      'repeated username',
      { username: ['a', 'b'], password: 'x' },
      'The "username" parameter must not be repeated.',
    ],
    [
      'repeated grant_type',
      { grant_type: ['password', 'password'] },
      'The "grant_type" parameter must not be repeated.',
    ],
    [
      'username over 64',
      { username: 'u'.repeat(65), password: 'x' },
      'The "username" parameter is longer than 64 characters.',
    ],
    [
      'password over 1 KiB',
      { username: 'user1', password: 'é'.repeat(513) },
      'The "password" parameter is longer than 1024 bytes.',
    ],
  ]
  for (const [name, body, description] of cases) {
    it(`rejects ${name}: 400 invalid_request, nothing hashed`, async () => {
      const { post, calls } = setup()
      await assert.rejects(post(body), {
        statusCode: 400,
        error: 'invalid_request',
        errorDescription: description,
      })
      assert.deepEqual(calls, [])
    })
  }

  it('accepts a username of exactly 64 characters and a password of exactly 1 KiB', async () => {
    const { post, calls } = setup()
    await assert.rejects(
      post({ username: 'u'.repeat(64), password: 'p'.repeat(1024) }),
      invalidGrant,
    )
    assert.deepEqual(calls, ['verifyDummy'])
  })

  it('rejects a JSON request: 400 invalid_request', async () => {
    const { endpoint } = setup()
    const request = { contentType: 'application/json', authorization: undefined, body: {} }
    await assert.rejects(endpoint.handle(request), { statusCode: 400, error: 'invalid_request' })
  })

  it('rejects an unsupported grant_type: 400 unsupported_grant_type', async () => {
    const { post } = setup()
    await assert.rejects(post({ grant_type: 'client_credentials' }), {
      statusCode: 400,
      error: 'unsupported_grant_type',
      errorDescription: 'The grant type "client_credentials" is not supported.',
    })
  })

  it('rejects a client secret: 401 invalid_client, before the password is checked', async () => {
    const { post, calls } = setup()
    await assert.rejects(
      post({ username: 'user1', password: 'secret', client_id: 'a', client_secret: 's' }),
      {
        statusCode: 401,
        error: 'invalid_client',
        headers: { 'www-authenticate': 'Basic realm="gatehouse"' },
      },
    )
    assert.deepEqual(calls, [])
  })
})

describe('createTokenEndpoint options', () => {
  it('lists its grant types', () => {
    assert.deepEqual(setup().endpoint.grantTypes, ['password'])
  })

  it('rejects missing collaborators and bad limits at construction', () => {
    const { owners: _o, ...rest } = {
      owners: undefined,
      hasher: fakeHasher([]),
      issuer: fakeIssuer([]),
    }
    assert.throws(() => createTokenEndpoint(rest as never), {
      name: 'GatehouseConfigError',
      message: '`owners` is required, got undefined',
    })
    assert.throws(() => setup({ maxPasswordBytes: 0 }), {
      message: '`maxPasswordBytes` must be a positive integer, got 0',
    })
    assert.throws(() => setup({ grants: [] }), {
      name: 'GatehouseConfigError',
      message: '`grants` must name at least one grant',
    })
    assert.throws(() => setup({ grants: [passwordGrant, passwordGrant] }), {
      message: '`grants` lists "password" twice',
    })
  })

  it('dispatches on grant_type through the grant map: a custom grant runs its own steps', async () => {
    const steps: string[] = []
    const custom = {
      grantType: 'urn:example:test',
      steps: [
        (context: GrantContext) => {
          steps.push('check')
          context.response = {
            access_token: 'custom',
            token_type: 'bearer',
            expires_in: 1,
            scope: '',
          }
        },
      ],
    } as const
    const { post } = setup({ grants: [passwordGrant, custom] })
    assert.deepEqual(await post({ grant_type: 'urn:example:test' }), {
      access_token: 'custom',
      token_type: 'bearer',
      expires_in: 1,
      scope: '',
    })
    assert.deepEqual(steps, ['check'])
  })

  it('reports a grant whose steps never set a response as a programming error', async () => {
    const { post } = setup({ grants: [{ grantType: 'password', steps: [] }] })
    await assert.rejects(post({}), {
      name: 'TypeError',
      message: 'grant step order: `response` is not set yet',
    })
  })
})

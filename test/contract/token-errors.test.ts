/**
 * Every rejection of `POST /token` over real HTTP: exact status, RFC 6749 §5.2 body, challenge,
 * and `Cache-Control: no-store` on all of them.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { request as httpRequest } from 'node:http'
import { startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
before(async () => {
  server = await startTestServer()
})
after(() => server.close())

async function expectError(
  response: Response,
  status: number,
  body: { error: string; error_description: string },
  wwwAuthenticate: string | null = null,
): Promise<void> {
  assert.equal(response.status, status)
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
  assert.equal(response.headers.get('cache-control'), 'no-store')
  assert.equal(response.headers.get('pragma'), 'no-cache')
  assert.equal(response.headers.get('www-authenticate'), wwwAuthenticate)
  assert.deepEqual(await response.json(), body)
}

const invalidRequest = (description: string) => ({
  error: 'invalid_request',
  error_description: description,
})
const invalidGrant = { error: 'invalid_grant', error_description: 'Invalid username or password.' }
const NOT_FORM = invalidRequest(
  'The token request must be sent as application/x-www-form-urlencoded (RFC 6749 §4.3.2).',
)

describe('POST /token: resource owner errors', () => {
  it('wrong password: 400 invalid_grant', async () => {
    await expectError(await server.postToken('username=user1&password=nope'), 400, invalidGrant)
  })

  it('unknown user: the same 400 invalid_grant as a wrong password', async () => {
    await expectError(await server.postToken('username=nobody&password=secret'), 400, invalidGrant)
  })

  it('disabled user with the right password: 400 invalid_grant', async () => {
    await server.addUser('sleeper', 'pw-sleeper', ['read'])
    await server.store.users.setDisabled('sleeper', true)
    await expectError(
      await server.postToken('username=sleeper&password=pw-sleeper'),
      400,
      invalidGrant,
    )
  })
})

describe('POST /token: malformed requests', () => {
  const cases: [string, string, string][] = [
    ['missing username', 'password=secret', 'The "username" parameter is required.'],
    ['missing password', 'username=user1', 'The "password" parameter is required.'],
    ['empty body', '', 'The "username" parameter is required.'],
    [
      'empty grant_type',
      'grant_type=&username=user1&password=secret',
      'The "grant_type" parameter is empty.',
    ],
    [
      'repeated username',
      'username=a&username=b&password=x',
      'The "username" parameter must not be repeated.',
    ],
    [
      'repeated password',
      'username=user1&password=secret&password=secret',
      'The "password" parameter must not be repeated.',
    ],
    [
      'username over 64 characters',
      `username=${'u'.repeat(65)}&password=x`,
      'The "username" parameter is longer than 64 characters.',
    ],
    [
      'password over 1 KiB',
      `username=user1&password=${'p'.repeat(1025)}`,
      'The "password" parameter is longer than 1024 bytes.',
    ],
  ]
  for (const [name, form, description] of cases) {
    it(`${name}: 400 invalid_request`, async () => {
      await expectError(await server.postToken(form), 400, invalidRequest(description))
    })
  }

  it('grant_type=client_credentials: 400 unsupported_grant_type', async () => {
    await expectError(await server.postToken('grant_type=client_credentials'), 400, {
      error: 'unsupported_grant_type',
      error_description: 'The grant type "client_credentials" is not supported.',
    })
  })

  for (const [name, contentType, body] of [
    ['JSON', 'application/json', '{"username":"user1","password":"secret"}'],
    ['malformed JSON', 'application/json', '{"username":'],
    ['text/plain', 'text/plain', 'username=user1&password=secret'],
    ['multipart', 'multipart/form-data; boundary=x', '--x--'],
  ] as const) {
    it(`a ${name} body: 400 invalid_request`, async () => {
      const response = await fetch(`${server.url}/token`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      })
      await expectError(response, 400, NOT_FORM)
    })
  }

  it('a body over 8 KiB: 413 invalid_request', async () => {
    const response = await server.postToken(
      `username=user1&password=secret&pad=${'x'.repeat(9000)}`,
    )
    await expectError(response, 413, invalidRequest('Request body is too large'))
  })
})

describe('POST /token: scope', () => {
  it("scope beyond the user's: 400 invalid_scope", async () => {
    await expectError(
      await server.postToken('username=user1&password=secret&scope=read%20admin'),
      400,
      {
        error: 'invalid_scope',
        error_description: 'The requested scope exceeds what the user may be granted: admin.',
      },
    )
  })

  it('unknown scope: 400 invalid_scope', async () => {
    await expectError(await server.postToken('username=user1&password=secret&scope=delete'), 400, {
      error: 'invalid_scope',
      error_description: 'Unknown scope: delete.',
    })
  })

  it('bad scope syntax: 400 invalid_scope', async () => {
    await expectError(
      await server.postToken('username=user1&password=secret&scope=read%20%20write'),
      400,
      {
        error: 'invalid_scope',
        error_description: 'The "scope" parameter is not a valid scope string (RFC 6749 §3.3).',
      },
    )
  })

  it("empty scope (Swagger UI with nothing ticked) means all the user's scopes", async () => {
    const response = await server.postToken(
      'grant_type=password&username=editor&password=editor-secret&scope=',
    )
    assert.equal(response.status, 200)
    assert.equal(((await response.json()) as { scope: string }).scope, 'read write')
  })
})

describe('POST /token: client authentication', () => {
  const form = 'grant_type=password&username=user1&password=secret'
  const basic = (raw: string) => ({ authorization: `Basic ${Buffer.from(raw).toString('base64')}` })

  it("accepts Swagger UI's empty Basic credentials (Basic Og==)", async () => {
    const response = await server.postToken(form, { authorization: 'Basic Og==' })
    assert.equal(response.status, 200)
  })

  it('accepts a public client_id without a secret, in the form or the header', async () => {
    assert.equal((await server.postToken(`${form}&client_id=swagger-ui`)).status, 200)
    assert.equal((await server.postToken(form, basic('swagger-ui:'))).status, 200)
  })

  it('a client_secret in the form: 401 invalid_client with a Basic challenge', async () => {
    await expectError(
      await server.postToken(`${form}&client_id=app&client_secret=s3cret`),
      401,
      {
        error: 'invalid_client',
        error_description: 'Unknown client, or the client may not authenticate with a secret.',
      },
      'Basic realm="gatehouse"',
    )
  })

  it('a client secret in Basic: 401 invalid_client with a Basic challenge', async () => {
    await expectError(
      await server.postToken(form, basic('app:s3cret')),
      401,
      {
        error: 'invalid_client',
        error_description: 'Unknown client, or the client may not authenticate with a secret.',
      },
      'Basic realm="gatehouse"',
    )
  })

  it('malformed Basic credentials: 401 invalid_client with a Basic challenge', async () => {
    for (const authorization of [
      'Basic',
      'Basic @@@',
      `Basic ${Buffer.from('nocolon').toString('base64')}`,
    ]) {
      await expectError(
        await server.postToken(form, { authorization }),
        401,
        {
          error: 'invalid_client',
          error_description: 'The Basic client credentials are malformed.',
        },
        'Basic realm="gatehouse"',
      )
    }
  })

  it('a Bearer header on the token endpoint: 401 invalid_client', async () => {
    await expectError(
      await server.postToken(form, { authorization: 'Bearer abc' }),
      401,
      {
        error: 'invalid_client',
        error_description: 'Client authentication must use the Basic scheme.',
      },
      'Basic realm="gatehouse"',
    )
  })

  it('two Authorization headers: 400 invalid_request, even when the first is empty Basic', async () => {
    // fetch joins repeated headers into one; node:http sends each element of an array on its own line.
    const secret = basic('app:secret').authorization
    const response = await rawRequest('POST', {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: ['Basic Og==', secret],
    }, form)
    await expectError(
      response,
      400,
      invalidRequest('The request has more than one Authorization header.'),
    )
  })

  it('credentials in both header and form: 400 invalid_request', async () => {
    await expectError(
      await server.postToken(`${form}&client_id=app`, basic('app:')),
      400,
      invalidRequest(
        'Client credentials were sent both in the Authorization header and in the form.',
      ),
    )
  })
})

describe('/token: other methods', () => {
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']) {
    it(`${method} /token: 405 with Allow: POST`, async () => {
      const response = await rawRequest(method, {})
      assert.equal(response.headers.get('allow'), 'POST')
      await expectError(response, 405, {
        error: 'method_not_allowed',
        error_description: `The token endpoint accepts POST, not ${method}.`,
      })
    })
  }
})

/** A request through node:http (any method; repeated headers as arrays), as a fetch Response. */
function rawRequest(
  method: string,
  headers: Record<string, string | string[]>,
  body = '',
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${server.url}/token`, { method, headers }, (incoming) => {
      const chunks: Buffer[] = []
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
      incoming.on('end', () => {
        const responseHeaders = new Headers()
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) responseHeaders.set(name, String(value))
        }
        const status = incoming.statusCode ?? 0
        resolve(new Response(Buffer.concat(chunks), { status, headers: responseHeaders }))
      })
    })
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

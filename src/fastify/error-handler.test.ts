import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { Security, dependency } from '../deps/index.js'
import { GatehouseHTTPError } from '../errors.js'
import {
  APIKeyHeader,
  InvalidToken,
  NotAuthenticated,
  OAuth2PasswordBearer,
} from '../security/index.js'
import { createErrorHandler } from './error-handler.js'
import { gatehouse } from './plugin.js'
import type { GatehouseOptions } from './options.js'

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: 'token' })
const apiKey = new APIKeyHeader({ name: 'x-api-key' })

interface LogLine {
  level: number
  msg: string
  [key: string]: unknown
}

async function build(
  setup: (app: FastifyInstance) => void,
  options: GatehouseOptions = {},
  logLevel = 'trace',
): Promise<{ app: FastifyInstance; logs: LogLine[] }> {
  const logs: LogLine[] = []
  const app = Fastify({
    bodyLimit: 20,
    logger: {
      level: logLevel,
      stream: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) },
    },
  })
  await app.register(gatehouse, options)
  setup(app)
  await app.ready()
  return { app, logs }
}

function routes(app: FastifyInstance): void {
  app.post('/items', { schema: { body: { type: 'object', required: ['name'] } } }, async () => 'ok')
  app.get('/boom', async () => {
    throw new Error('secret detail')
  })
}

describe('error handler: Fastify 4xx errors become invalid_request', () => {
  const cases: [string, object, number, string][] = [
    ['validation', { payload: {} }, 400, "body must have required property 'name'"],
    [
      'JSON syntax',
      { payload: '{bad', headers: { 'content-type': 'application/json' } },
      400,
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    [
      'content type',
      { payload: 'x', headers: { 'content-type': 'text/xml' } },
      415,
      'Unsupported Media Type',
    ],
    ['body size', { payload: { name: 'x'.repeat(40) } }, 413, 'Request body is too large'],
  ]
  for (const [name, request, status, description] of cases) {
    test(`${name}: ${status} {"error":"invalid_request"}`, async () => {
      const { app } = await build(routes)
      const response = await app.inject({ method: 'POST', url: '/items', ...request })
      assert.equal(response.statusCode, status)
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
      assert.deepEqual(response.json(), {
        error: 'invalid_request',
        error_description: description,
      })
    })
  }

  test("other plugins' 4xx keep their status and headers; 404 and 429 have their own codes", async () => {
    const { app } = await build((app) => {
      app.get('/limited', async () => {
        throw Object.assign(new Error('Rate limit exceeded'), {
          statusCode: 429,
          headers: { 'retry-after': '60' },
        })
      })
      app.get('/gone', async () => {
        throw Object.assign(new Error('No such item'), { statusCode: 404 })
      })
    })
    const limited = await app.inject('/limited')
    assert.equal(limited.statusCode, 429)
    assert.equal(limited.headers['retry-after'], '60')
    assert.deepEqual(limited.json(), {
      error: 'too_many_requests',
      error_description: 'Rate limit exceeded',
    })
    const gone = await app.inject('/gone')
    assert.deepEqual(
      [gone.statusCode, gone.json()],
      [404, { error: 'not_found', error_description: 'No such item' }],
    )
  })
})

describe('error handler: server errors', () => {
  test('unexpected errors: 500 server_error; the detail only in the log, at error', async () => {
    const { app, logs } = await build(routes)
    const response = await app.inject('/boom')
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), {
      error: 'server_error',
      error_description: 'Internal server error',
    })
    const entry = logs.find((line) => line.msg === 'request failed')
    assert.equal(entry?.level, 50)
    assert.equal((entry?.err as { message: string }).message, 'secret detail')
  })

  test('a Gatehouse error with expose: false is a generic 500 too', async () => {
    const { app } = await build((app) => {
      app.get('/hidden', async () => {
        throw new GatehouseHTTPError('GH_ERR_INTERNAL', 400, 'invalid_request', {
          description: 'x',
          expose: false,
        })
      })
      app.get('/unavailable', async () => {
        throw new GatehouseHTTPError('GH_ERR_INTERNAL', 503, 'temporarily_unavailable', {
          description: 'Try again later',
          expose: true,
          headers: { 'retry-after': '5' },
        })
      })
    })
    const hidden = await app.inject('/hidden')
    assert.deepEqual(
      [hidden.statusCode, hidden.json()],
      [500, { error: 'server_error', error_description: 'Internal server error' }],
    )
    const unavailable = await app.inject('/unavailable')
    assert.equal(unavailable.statusCode, 503)
    assert.equal(unavailable.headers['retry-after'], '5')
    assert.deepEqual(unavailable.json(), {
      error: 'temporarily_unavailable',
      error_description: 'Try again later',
    })
  })
})

describe('error handler: security errors and challenges', () => {
  test('a security error thrown by the handler is challenged by the route schemes', async () => {
    const { app } = await build((app) => {
      app.get('/late', { config: { deps: { token: oauth2, key: apiKey } } }, async () => {
        throw new InvalidToken({ description: 'revoked' })
      })
    })
    const response = await app.inject({
      url: '/late',
      headers: { authorization: 'Bearer t', 'x-api-key': 'k' },
    })
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.headers['www-authenticate'], [
      'Bearer error="invalid_token", error_description="revoked"',
      'APIKey',
    ])
    assert.deepEqual(response.json(), { error: 'invalid_token', error_description: 'revoked' })
  })

  test('the schemes an error names win over the route schemes', async () => {
    const { app } = await build((app) => {
      app.get('/named', { config: { deps: { token: oauth2, key: apiKey } } }, async () => {
        throw new NotAuthenticated({ schemes: [apiKey] })
      })
    })
    const response = await app.inject({
      url: '/named',
      headers: { authorization: 'Bearer t', 'x-api-key': 'k' },
    })
    assert.equal(response.headers['www-authenticate'], 'APIKey')
  })

  test('outside any deps route a security error without schemes has no challenge', async () => {
    const { app } = await build((app) => {
      app.get('/bare', async () => {
        throw new NotAuthenticated()
      })
    })
    const response = await app.inject('/bare')
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'], undefined)
    assert.deepEqual(response.json(), {
      error: 'unauthorized',
      error_description: 'Not authenticated',
    })
  })

  test('rejections log at securityLogLevel with code and route, never the credential', async () => {
    const user = dependency({ token: oauth2 }, () => {
      throw new InvalidToken()
    })
    const { app, logs } = await build(
      (app) => app.get('/me', { config: { deps: { user } } }, async () => 'x'),
      { securityLogLevel: 'debug' },
    )
    await app.inject({ url: '/me', headers: { authorization: 'Bearer s3cr3t-token' } })
    const entry = logs.find((line) => line.msg === 'request rejected')
    assert.deepEqual(
      {
        level: entry?.level,
        statusCode: entry?.statusCode,
        code: entry?.code,
        error: entry?.error,
        route: entry?.route,
      },
      {
        level: 20,
        statusCode: 401,
        code: 'GH_ERR_TOKEN_INVALID',
        error: 'invalid_token',
        route: '/me',
      },
    )
    assert.ok(!JSON.stringify(logs).includes('s3cr3t-token'))
  })

  test('securityLogLevel: silent logs no rejection', async () => {
    const { app, logs } = await build(
      (app) => app.get('/k', { config: { deps: { key: apiKey } } }, async () => 'x'),
      { securityLogLevel: 'silent' },
    )
    await app.inject('/k')
    assert.equal(logs.filter((line) => line.msg === 'request rejected').length, 0)
  })
})

describe('handlers for apps with their own', () => {
  test('createErrorHandler() can be delegated to', async () => {
    const gatehouseErrors = createErrorHandler()
    const { app } = await build(
      (app) => {
        app.setErrorHandler((error, request, reply) => {
          if ((error as Error).message === 'mine')
            return reply.code(409).send({ error: 'conflict' })
          return gatehouseErrors(error, request, reply)
        })
        app.get('/mine', async () => {
          throw new Error('mine')
        })
        app.get('/k', { config: { deps: { key: apiKey } } }, async () => 'x')
      },
      { errorHandler: false },
    )
    assert.deepEqual((await app.inject('/mine')).json(), { error: 'conflict' })
    const delegated = await app.inject('/k')
    assert.equal(delegated.statusCode, 401)
    assert.equal(delegated.headers['www-authenticate'], 'APIKey')
  })

  test('notFoundHandler: true answers 404 not_found in the same shape', async () => {
    const { app } = await build(() => {}, { notFoundHandler: true })
    const response = await app.inject('/nope?x=1')
    assert.equal(response.statusCode, 404)
    assert.deepEqual(response.json(), {
      error: 'not_found',
      error_description: 'Route GET /nope not found',
    })
  })
})

test('a 403 from a step with an API key and a bearer token challenges only the scoped scheme', async () => {
  const both = dependency({ token: oauth2, key: apiKey }, (_values, { securityScopes }) => {
    securityScopes.require([])
    return 'never'
  })
  const { app } = await build(
    (app) =>
      app.get('/both', { config: { deps: { both: Security(both, ['admin']) } } }, async () => 'x'),
    { scopes: { admin: 'Admin' } },
  )
  const response = await app.inject({
    url: '/both',
    headers: { authorization: 'Bearer t', 'x-api-key': 'k' },
  })
  assert.equal(response.statusCode, 403)
  assert.equal(
    response.headers['www-authenticate'],
    'Bearer error="insufficient_scope", scope="admin", ' +
      'error_description="The request requires higher privileges than provided by the access token"',
  )
})

/**
 * The log never carries credentials: passwords, tokens, client secrets, Authorization and Cookie
 * headers, whether the login fails or succeeds.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { pino } from 'pino'
import { createLoggerOptions } from '../../src/server/index.js'
import { captureLog, startTestServer, type LogCapture, type TestServer } from '../helpers/server.js'

let server: TestServer
let log: LogCapture
before(async () => {
  log = captureLog()
  server = await startTestServer({ log })
})
after(() => server.close())

const PASSWORD = 'Tr0ub4dor&3-unique'
const WRONG = 'wrong-Pa55word-unique'
const CLIENT_SECRET = 'client-secret-unique'
const FORM = 'application/x-www-form-urlencoded'

describe('log redaction', () => {
  it('a failed and a successful login, and token use, write no secret to the log', async () => {
    await server.addUser('logan', PASSWORD, ['read'])
    const failed = await server.postToken({ username: 'logan', password: WRONG })
    assert.equal(failed.status, 400)
    const rejectedClient = await server.postToken(
      { username: 'logan', password: PASSWORD },
      { authorization: `Basic ${Buffer.from(`app:${CLIENT_SECRET}`).toString('base64')}` },
    )
    assert.equal(rejectedClient.status, 401)
    const token = await server.login('logan', PASSWORD)
    const cookie = `session=cookie-value-unique`
    const used = await fetch(`${server.url}/secure-endpoint`, {
      headers: { authorization: `Bearer ${token}`, cookie },
    })
    assert.equal(used.status, 200)
    const bad = await server.getWithToken('/secure-endpoint', `${token}x`)
    assert.equal(bad.status, 401)

    const text = log.text()
    assert.ok(log.entries().length >= 10, 'the requests were logged')
    for (const secret of [
      PASSWORD,
      WRONG,
      CLIENT_SECRET,
      token,
      token.split('.')[2] ?? '',
      'cookie-value-unique',
    ]) {
      assert.equal(text.includes(secret), false, `log contains ${secret.slice(0, 12)}…`)
    }
    assert.equal(/authorization/i.test(text), false)
  })

  it('logs rejections with their code and reason, not their input', () => {
    const rejected = log.entries().filter((entry) => entry.msg === 'password grant rejected')
    assert.deepEqual(
      rejected.map((entry) => entry.reason),
      ['wrong_password'],
    )
    const errors = log.entries().filter((entry) => entry.msg === 'request rejected')
    assert.ok(errors.some((entry) => entry.code === 'GH_ERR_OAUTH_INVALID_GRANT'))
    assert.ok(errors.some((entry) => entry.code === 'GH_ERR_OAUTH_INVALID_CLIENT'))
  })

  it('leaves query values out of request log lines: credentials a client put in the URL', async () => {
    const response = await fetch(
      `${server.url}/token?username=logan&password=${encodeURIComponent(PASSWORD)}&x`,
      { method: 'POST', headers: { 'content-type': FORM }, body: 'grant_type=password' },
    )
    assert.equal(response.status, 400)
    const used = await fetch(`${server.url}/secure-endpoint?access_token=qs-token-unique`)
    assert.equal(used.status, 401)
    assert.equal(log.text().includes(PASSWORD), false)
    assert.equal(log.text().includes('qs-token-unique'), false)
    const urls = log.entries().flatMap((entry) => {
      const url = (entry.req as { url?: string } | undefined)?.url
      return url === undefined ? [] : [url]
    })
    assert.ok(urls.includes('/token?username=[Redacted]&password=[Redacted]&x'), urls.join(' '))
    assert.ok(urls.includes('/secure-endpoint?access_token=[Redacted]'))
  })

  it("never logs the raw bytes of a request Node could not parse (err.rawPacket)", () => {
    const capture = captureLog()
    const logger = pino(createLoggerOptions({ level: 'trace' }), capture.stream)
    const error = Object.assign(new Error('Parse Error: Invalid header value char'), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from('GET / HTTP/1.1\r\nAuthorization: Bearer raw-secret\r\n\r\n'),
    })
    logger.trace({ err: error }, 'client error')
    const [entry] = capture.entries() as [{ err: Record<string, unknown> }]
    assert.equal(entry.err['code'], 'HPE_INVALID_HEADER_TOKEN')
    assert.equal('rawPacket' in entry.err, false)
    assert.equal(capture.text().includes('raw-secret'), false)
  })

  it('redacts credentials even when a handler logs a whole request or body', () => {
    const capture = captureLog()
    // The server's pino options on their own, fed an object shaped like a careless log call.
    const logger = pino(createLoggerOptions({ level: 'info' }), capture.stream)
    logger.info({
      req: { url: '/x?access_token=qs.token.value', headers: { authorization: 'Bearer abc.def.ghi' } },
      headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1' },
      res: { headers: { 'set-cookie': 'sid=2' } },
      body: { password: 'p', client_secret: 's', access_token: 't', refresh_token: 'r' },
      token: 'tok',
    })
    assert.equal(capture.text().includes('abc.def.ghi'), false)
    assert.equal(capture.text().includes('qs.token.value'), false)
    assert.deepEqual(capture.entries()[0], {
      ...capture.entries()[0],
      req: { url: '/x?access_token=[Redacted]' },
      headers: { authorization: '[Redacted]', cookie: '[Redacted]' },
      res: { headers: { 'set-cookie': '[Redacted]' } },
      body: {
        password: '[Redacted]',
        client_secret: '[Redacted]',
        access_token: '[Redacted]',
        refresh_token: '[Redacted]',
      },
      token: '[Redacted]',
    })
  })
})

/**
 * HTTPS: with --tls-cert/--tls-key the server speaks TLS itself, issues `https://` issuers and
 * sends HSTS. Uses a throwaway self-signed certificate from the system's openssl.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  generateSigningKey,
  loadConfig,
  startServer,
  type RunningServer,
} from '../../src/server/index.js'

function hasOpenSSL(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function httpsRequest(
  url: string,
  ca: Buffer,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('HTTPS', { skip: hasOpenSSL() ? false : 'openssl is not installed' }, () => {
  let server: RunningServer
  let cert: Buffer
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-tls-'))
    const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')]
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
    cert = await readFile(certFile)
    const env = { GATEHOUSE_SIGNING_KEY: generateSigningKey(), GATEHOUSE_LOG_LEVEL: 'silent' }
    const flags = { port: '0', dataDir: join(dir, 'data'), tlsCert: certFile, tlsKey: keyFile }
    const config = loadConfig({ mode: 'production', flags, env })
    assert.equal(config.issuer, 'https://127.0.0.1:0')
    server = await startServer(config)
  })
  after(() => server.close())

  it('serves the API over TLS with HSTS', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    const response = await httpsRequest(`${server.url}/healthz`, cert)
    assert.equal(response.status, 200)
    assert.equal(response.body, '{"status":"ok"}')
    assert.equal(
      response.headers['strict-transport-security'],
      'max-age=31536000; includeSubDomains',
    )
  })

  it('answers the token endpoint over TLS', async () => {
    const response = await httpsRequest(`${server.url}/token`, cert, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=nobody&password=x',
    })
    assert.equal(response.status, 400)
    assert.equal(response.headers['cache-control'], 'no-store')
    assert.deepEqual(JSON.parse(response.body), {
      error: 'invalid_grant',
      error_description: 'Invalid username or password.',
    })
  })
})

/**
 * Cases 6 and 7 against the reference server itself: `buildApp` from src/server in production
 * mode (SQLite in a temporary directory, a generated signing key, helmet, the token rate limit
 * turned off so the storm is not answered 429), with the demo users. The measured request is
 * `GET /secure-endpoint` with a token obtained from its own `POST /token`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createArgon2Hasher } from '../../src/passwords/index.js'
import {
  buildApp,
  createDemoUsers,
  generateSigningKey,
  loadConfig,
  openMigratedStore,
} from '../../src/server/index.js'
import { BENCH_PASSWORD } from './bearer-setup.js'
import {
  BENCH_USER,
  announce,
  closeOnSignal,
  getRequest,
  listenFastify,
  type BenchRequest,
} from './protocol.js'

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-ref-'))
const config = loadConfig({
  mode: 'production',
  flags: { dataDir, host: '127.0.0.1', port: '0', logLevel: 'warn' },
  env: { GATEHOUSE_SIGNING_KEY: generateSigningKey(), GATEHOUSE_TOKEN_RATE_LIMIT: 'off' },
})
const store = await openMigratedStore(config)
await createDemoUsers(store.users, createArgon2Hasher(config.passwordHashing))
const app = await buildApp({
  config,
  users: store.users,
  checkDatabase: async () => {
    await store.users.findByUsername(BENCH_USER)
  },
})

const login: BenchRequest = {
  method: 'POST',
  path: '/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: `username=${BENCH_USER}&password=${BENCH_PASSWORD}&scope=read`,
}

const port = await listenFastify(app)
closeOnSignal(async () => {
  await app.close()
  await store.close()
  rmSync(dataDir, { recursive: true, force: true })
})
const issued = await app.inject({
  method: 'POST',
  url: login.path,
  headers: { ...login.headers },
  payload: login.body ?? '',
})
const token = (issued.json() as { access_token: string }).access_token
announce({ port, request: getRequest({ authorization: `Bearer ${token}` }), extra: { login } })

/**
 * Cases 2, 4 and 5: the protected route behind an OAuth2 bearer token verified by the tokens
 * layer. Options:
 * - `algorithm`: `HS256` (default), `ES256` or `EdDSA`;
 * - `checks`: when true, every request also consults the revocation list and the user's current
 *   status (disabled, tokens cut off, existence) in the SQLite store, as the reference server does;
 */
import type { SigningAlgorithm } from '../../src/tokens/index.js'
import { createBearerSetup } from './bearer-setup.js'
import { buildProtectedApp } from './gatehouse-app.js'
import { announce, closeOnSignal, getRequest, listenFastify, readCaseOptions } from './protocol.js'

const options = readCaseOptions()
const setup = await createBearerSetup({
  algorithm: String(options['algorithm'] ?? 'HS256') as SigningAlgorithm, // checked by KeyRing
  checks: options['checks'] === true,
})

const app = await buildProtectedApp(setup.currentUser)
const port = await listenFastify(app)
closeOnSignal(async () => {
  await app.close()
  await setup.close()
})
const token = await setup.issueToken()
announce({ port, request: getRequest({ authorization: `Bearer ${token}` }) })

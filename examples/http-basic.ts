/**
 * HTTP Basic (RFC 7617) for a small internal tool (docs/security.md, "HTTP Basic").
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { HTTPBasic, InvalidCredentials, dependency } from 'gatehouse'

/** The scheme: 401s carry `WWW-Authenticate: Basic realm="reports", charset="UTF-8"`. */
export const basic = new HTTPBasic({ realm: 'reports' })

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

// Compare digests in constant time (FastAPI's `secrets.compare_digest` advice).
const expected = { username: digest('auditor'), password: digest('correct horse battery staple') }

/** The authenticated username, or 401 with the Basic challenge so browsers prompt again. */
export const basicUser = dependency({ credentials: basic }, ({ credentials }) => {
  const userOk = timingSafeEqual(digest(credentials.username), expected.username)
  const passwordOk = timingSafeEqual(digest(credentials.password), expected.password)
  if (!(userOk && passwordOk)) {
    throw new InvalidCredentials({ description: 'Incorrect username or password' })
  }
  return credentials.username
})

export function basicRoutes(app: FastifyInstance): void {
  app.get('/reports/daily', { config: { deps: { username: basicUser } } }, async (request) => ({
    report: 'daily',
    requestedBy: request.deps.username,
  }))
}

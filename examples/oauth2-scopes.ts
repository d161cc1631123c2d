/**
 * OAuth2 bearer tokens with scopes, through a three-level dependency graph
 * (docs/security.md, "OAuth2 and scopes").
 *
 * The example has no token service: `demoTokens` stands in for it. In a real app the first
 * dependency calls the tokens layer (`TokenVerifier.verify`) instead.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  GatehouseHTTPError,
  InvalidToken,
  OAuth2PasswordBearer,
  ScopeRegistry,
  Security,
  dependency,
  type Dependency,
} from 'gatehouse'

/** The scopes, with implication: `admin` ⊇ `items:write` ⊇ `items:read`. */
export const scopes = new ScopeRegistry({
  'items:read': 'Read items',
  'items:write': { description: 'Create items', implies: ['items:read'] },
  admin: { description: 'Administer the service', implies: ['items:write'] },
})

/** The scheme: a bearer token from the password flow at `/token`. */
export const oauth2 = new OAuth2PasswordBearer({ tokenUrl: '/token', scopes })

interface Claims {
  readonly sub: string
  readonly scope: string
}

interface User {
  readonly username: string
  readonly fullName: string
  readonly disabled: boolean
}

/** Stand-in for a token service: opaque token → claims. */
export const demoTokens: ReadonlyMap<string, Claims> = new Map([
  ['reader-token', { sub: 'alice', scope: 'items:read' }],
  ['writer-token', { sub: 'bob', scope: 'items:write' }],
  ['admin-token', { sub: 'carol', scope: 'admin' }],
  ['disabled-token', { sub: 'dave', scope: 'items:read' }],
])

const users: ReadonlyMap<string, User> = new Map([
  ['alice', { username: 'alice', fullName: 'Alice Reader', disabled: false }],
  ['bob', { username: 'bob', fullName: 'Bob Writer', disabled: false }],
  ['carol', { username: 'carol', fullName: 'Carol Admin', disabled: false }],
  ['dave', { username: 'dave', fullName: 'Dave Gone', disabled: true }],
])

/**
 * Level 1: the token's claims. `securityScopes` holds every scope required from the route down
 * to here; `require()` applies the registry's implication and answers 403 `insufficient_scope`.
 */
export const tokenClaims = dependency({ token: oauth2 }, async ({ token }, { securityScopes }) => {
  const claims = demoTokens.get(token)
  if (claims === undefined) throw new InvalidToken()
  securityScopes.require(claims.scope)
  return claims
})

/** Level 2: the user the token was issued to. */
export const currentUser = dependency({ claims: tokenClaims }, ({ claims }) => {
  const user = users.get(claims.sub)
  if (user === undefined) throw new InvalidToken({ description: 'Unknown subject' })
  return user
})

/** Level 3: only users that are still active (FastAPI's `get_current_active_user`). */
export const activeUser = dependency({ user: currentUser }, ({ user }) => {
  if (user.disabled) {
    throw new GatehouseHTTPError('GH_ERR_HTTP_BAD_REQUEST', 400, 'invalid_request', {
      description: 'Inactive user',
    })
  }
  return user
})

/** An in-memory item list whose `transaction` dependency shows generator cleanup. */
export interface ItemStore {
  readonly items: readonly string[]
  /** Yields a draft list; commits it after the response, drops it when the request failed. */
  readonly transaction: Dependency<string[]>
}

export function createItemStore(): ItemStore {
  const items: string[] = []
  const transaction = dependency(async function* itemTransaction() {
    const draft: string[] = []
    try {
      yield draft
      items.push(...draft) // commit: the handler succeeded
    } catch (error) {
      draft.length = 0 // roll back: the handler (or a later dependency) failed
      throw error
    }
  })
  return { items, transaction }
}

export function oauth2Routes(fastify: FastifyInstance, items: ItemStore): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const me = { deps: { user: Security(activeUser) } }
  app.get('/users/me', { config: me }, async (request) => ({
    username: request.deps.user.username,
    fullName: request.deps.user.fullName,
  }))

  const reader = { deps: { user: Security(activeUser, ['items:read']) } }
  app.get('/items', { config: reader }, async () => ({ items: items.items }))

  const writer = { deps: { user: Security(activeUser, ['items:write']), draft: items.transaction } }
  const body = Type.Object({ name: Type.String({ minLength: 1 }) })
  app.post('/items', { config: writer, schema: { body } }, async (request, reply) => {
    const { name } = request.body
    if (name === 'fail') throw new Error('storage unavailable')
    request.deps.draft.push(name)
    return reply.code(201).send({ name, createdBy: request.deps.user.username })
  })

  const admin = { deps: { user: Security(activeUser, ['admin']) } }
  app.get('/admin/', { config: admin }, async (request) => ({ hello: request.deps.user.username }))
}

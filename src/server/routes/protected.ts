/**
 * The protected resources of the proposed model: `/secure-endpoint` (read), `/admin/` and
 * `/admin` (admin) and `/users/me` (any valid token). Each declares what it needs once, in
 * `config.deps`; the check, the typed `request.deps.user`, the OpenAPI `security` and the
 * documented 401/403 all come from that declaration.
 */
import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Security } from '../../deps/index.js'
import type { CurrentUser, ServerSecurity } from '../security.js'

/** Options of {@link protectedRoutes}. */
export interface ProtectedRoutesOptions {
  readonly security: ServerSecurity
}

const SecureResponse = Type.Object(
  {
    message: Type.String(),
    user: Type.String({ description: "Username of the token's owner" }),
    scopes: Type.Array(Type.String(), { description: "The token's scopes that the user still holds" }),
  },
  { description: 'Access granted' },
)

const AdminResponse = Type.Object(
  { message: Type.String(), user: Type.String() },
  { description: 'Access granted' },
)

const MeResponse = Type.Object(
  {
    username: Type.String(),
    scopes: Type.Array(Type.String(), { description: "The token's scopes that the user still holds" }),
    disabled: Type.Boolean(),
  },
  { description: 'The authenticated user' },
)

/**
 * Registers the protected routes.
 *
 * @example
 * await app.register(protectedRoutes, { security })
 */
export async function protectedRoutes(
  instance: FastifyInstance,
  { security }: ProtectedRoutesOptions,
): Promise<void> {
  // The provider checks each handler's return value against its 200 schema at compile time.
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const { currentUser } = security
  /** The token's scopes that the user still holds (implication included): what it can do now. */
  const usableScopes = (user: CurrentUser): string[] =>
    user.scopes.filter((scope) => security.scopes.satisfies(user.heldScopes, [scope]))

  app.get('/secure-endpoint', {
    schema: {
      summary: 'A resource that needs `read`',
      tags: ['resources'],
      response: { 200: SecureResponse },
    },
    config: { deps: { user: Security(currentUser, ['read']) } },
    handler: async (request) => {
      const { user } = request.deps
      return {
        message: 'Access granted to the secure endpoint',
        user: user.username,
        scopes: usableScopes(user),
      }
    },
  })

  const admin = {
    schema: {
      summary: 'A resource that needs `admin`',
      tags: ['resources'],
      response: { 200: AdminResponse },
    },
    config: { deps: { user: Security(currentUser, ['admin']) } },
  }
  for (const url of ['/admin/', '/admin']) {
    app.get(url, {
      ...admin,
      handler: async (request) => ({ message: 'Welcome, admin', user: request.deps.user.username }),
    })
  }

  app.get('/users/me', {
    schema: {
      summary: 'The caller, from any valid token',
      tags: ['users'],
      response: { 200: MeResponse },
    },
    config: { deps: { user: currentUser } },
    handler: async (request) => {
      const { user } = request.deps
      return { username: user.username, scopes: usableScopes(user), disabled: user.disabled }
    },
  })
}

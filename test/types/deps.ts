// Compile-only type tests of the deps layer and the fastify augmentation (tsc -p test/types).
import Fastify from 'fastify'
import {
  APIKeyHeader,
  Depends,
  HTTPBasic,
  OAuth2PasswordBearer,
  Security,
  anyOf,
  anyScope,
  dependency,
  gatehouse,
  type Dependency,
  type HTTPBasicCredentials,
  type InputValues,
  type ResolvedDeps,
  type SecurityScopes,
} from '../../src/index.js'
import { expectType, type Equals } from './helpers.js'

interface User {
  readonly username: string
  readonly scopes: readonly string[]
}

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: 'token', scopes: { read: 'Read' } })
const optionalOAuth2 = new OAuth2PasswordBearer({
  tokenUrl: 'token',
  optional: true,
  schemeName: 'Opt',
})
const apiKey = new APIKeyHeader({ name: 'x-api-key' })
const basic = new HTTPBasic()

// Inputs are typed from schemes: a required scheme yields its value, an optional one `| undefined`.
const currentUser = dependency({ token: oauth2 }, async ({ token }, { securityScopes }) => {
  expectType<Equals<typeof token, string>>()
  expectType<Equals<typeof securityScopes, SecurityScopes>>()
  return { username: token, scopes: [] } as User
})
expectType<Equals<typeof currentUser, Dependency<User>>>()

const maybeUser = dependency({ token: optionalOAuth2 }, ({ token }) => {
  expectType<Equals<typeof token, string | undefined>>()
  return token === undefined ? null : { username: token }
})
expectType<Equals<typeof maybeUser, Dependency<{ username: string } | null>>>()

// Nested dependencies, Security() and Depends() uses resolve to the dependency's value.
const activeUser = dependency(
  { user: Security(currentUser, ['read']), again: Depends(currentUser, { useCache: false }) },
  ({ user, again }) => {
    expectType<Equals<typeof user, User>>()
    expectType<Equals<typeof again, User>>()
    return user
  },
)
expectType<Equals<typeof activeUser, Dependency<User>>>()

// Generators yield their value; async generators too.
const session = dependency(async function* () {
  yield { id: 1 }
})
expectType<Equals<typeof session, Dependency<{ id: number }>>>()
const syncResource = dependency({ s: session }, function* ({ s }) {
  yield s.id
})
expectType<Equals<typeof syncResource, Dependency<number>>>()

// anyOf() is the union of its alternatives.
const caller = dependency({ who: anyOf(currentUser, apiKey, basic) }, ({ who }) => who)
expectType<Equals<typeof caller, Dependency<User | string | HTTPBasicCredentials>>>()

// anyScope() is accepted where scopes are.
Security(currentUser, anyScope('read', 'admin'))
Security(currentUser, ['read', 'admin'], { mode: 'any' })

// The values record of a deps declaration.
type RouteValues = InputValues<{ user: typeof activeUser; key: typeof apiKey }>
expectType<Equals<RouteValues, { user: User; key: string }>>()
expectType<Equals<ResolvedDeps<unknown>, Record<never, never>>>()
expectType<Equals<ResolvedDeps<{ deps: { k: typeof apiKey } }>, { k: string }>>()

// --- wrong shapes are rejected ---

// @ts-expect-error a string is not a scheme or a dependency
dependency({ token: 'oauth2' }, () => 1)

// @ts-expect-error an input that was not declared
dependency({ token: oauth2 }, ({ nope }) => nope)

// @ts-expect-error the token is a string, not a number
dependency({ token: oauth2 }, ({ token }: { token: number }) => token)

// @ts-expect-error scopes are strings
Security(currentUser, [1])

// @ts-expect-error Security() wraps a scheme or a dependency, not a plain function
Security(() => 1, ['read'])

// --- routes: request.deps is typed from config.deps ---

const app = Fastify()
await app.register(gatehouse, { scopes: { read: 'Read', admin: 'Admin' } })

app.get(
  '/admin/',
  { config: { deps: { user: Security(currentUser, ['admin']), key: apiKey, maybe: maybeUser } } },
  async (request) => {
    expectType<Equals<typeof request.deps.user, User>>()
    expectType<Equals<typeof request.deps.key, string>>()
    expectType<Equals<typeof request.deps.maybe, { username: string } | null>>()
    // @ts-expect-error no such dependency on this route
    request.deps.other
    return { hello: request.deps.user.username }
  },
)

app.get('/plain', async (request) => {
  // @ts-expect-error a route without deps has no values
  request.deps.user
  return {}
})

app.get(
  '/typo',
  {
    // @ts-expect-error deps entries must be schemes or dependencies
    config: { deps: { user: 42 } },
  },
  async () => ({}),
)

// Overrides keep the value type.
app.gatehouse.overrides.set(currentUser, async () => ({ username: 'alice', scopes: [] }))
// @ts-expect-error the replacement must produce a User
app.gatehouse.overrides.set(currentUser, () => 42)

// With an explicit route generic, TypeScript infers no other type argument: name the config too.
const itemConfig = { deps: { key: apiKey } }
app.post<{ Body: { name: string } }, typeof itemConfig>(
  '/items',
  { config: itemConfig },
  async (request) => {
    expectType<Equals<typeof request.body, { name: string }>>()
    expectType<Equals<typeof request.deps.key, string>>()
    return {}
  },
)

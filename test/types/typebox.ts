// request.deps stays typed on routes that use the TypeBox type provider and a body schema.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { APIKeyHeader, Security, dependency, gatehouse } from '../../src/index.js'
import { expectType, type Equals } from './helpers.js'

const apiKey = new APIKeyHeader({ name: 'x-api-key' })
const client = dependency({ key: apiKey }, async ({ key }) => ({ id: key, tier: 'gold' as const }))

const app = Fastify().withTypeProvider<TypeBoxTypeProvider>()
await app.register(gatehouse)

app.post(
  '/items',
  {
    config: { deps: { client: Security(client) } },
    schema: { body: Type.Object({ name: Type.String() }) },
  },
  async (request) => {
    expectType<Equals<typeof request.body, { name: string }>>()
    expectType<Equals<typeof request.deps.client, { id: string; tier: 'gold' }>>()
    // @ts-expect-error not declared on this route
    request.deps.user
    return { name: request.body.name, by: request.deps.client.id }
  },
)

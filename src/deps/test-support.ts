/**
 * Test support for the deps layer (not exported): a tiny header scheme implementing the
 * `SecurityScheme` contract, and fake request/reply objects.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { InvalidRequest } from '../security/index.js'
import type { ChallengeParams, SecurityScheme, SecuritySchemeObject } from '../security/index.js'

/** Reads header `name`; the value `malformed` is rejected (400); counts its reads. */
export class HeaderScheme<const O extends boolean = false> implements SecurityScheme<string, O> {
  readonly kind = 'security-scheme'
  readonly schemeName: string
  readonly optional: O
  readonly usesScopes: boolean
  reads = 0

  constructor(
    readonly name: string,
    options: { optional?: O; usesScopes?: boolean } = {},
  ) {
    this.schemeName = name
    this.optional = (options.optional ?? false) as O
    this.usesScopes = options.usesScopes ?? false
  }

  openapi(): SecuritySchemeObject {
    return { type: 'apiKey', in: 'header', name: this.name }
  }

  extract(request: FastifyRequest): string | undefined {
    this.reads++
    const value = request.headers[this.name]
    if (value === 'malformed') throw new InvalidRequest({ schemes: [this] })
    return typeof value === 'string' ? value : undefined
  }

  challenge(params: ChallengeParams = {}): string {
    return params.error === undefined ? this.name : `${this.name} error="${params.error}"`
  }
}

/** A request carrying `headers`, and a reply; enough for the resolver. */
export function fakeExchange(headers: Record<string, string> = {}): {
  request: FastifyRequest
  reply: FastifyReply
} {
  // The resolver only hands these to schemes and dependency functions.
  return { request: { headers } as unknown as FastifyRequest, reply: {} as FastifyReply }
}

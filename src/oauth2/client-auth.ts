/**
 * The `authenticateClient` step (RFC 6749 §2.3): read client credentials from the Authorization
 * header (`client_secret_basic`) or the form (`client_secret_post`), never both, and hand them to
 * a {@link ClientAuthenticator}.
 */
import { MAX_CLIENT_ID_LENGTH } from './defaults.js'
import { InvalidClient, OAuthInvalidRequest } from './errors.js'
import { readParameter, type TokenForm } from './form.js'

/** How the client presented its credentials (RFC 8414 `token_endpoint_auth_method` names). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

/** Client credentials as presented; empty values are `undefined`. */
export interface ClientCredentials {
  readonly method: ClientAuthMethod
  readonly clientId: string | undefined
  readonly clientSecret: string | undefined
}

/** An authenticated client. `clientId` is `undefined` for an anonymous public client. */
export interface AuthenticatedClient {
  readonly clientId: string | undefined
  /** Public clients cannot keep a secret (RFC 6749 §2.1). */
  readonly type: 'public' | 'confidential'
}

/** Decides whether presented client credentials are acceptable. */
export interface ClientAuthenticator {
  /** @throws {InvalidClient} when authentication fails. */
  authenticate(credentials: ClientCredentials): Promise<AuthenticatedClient> | AuthenticatedClient
}

/**
 * Parses an `Authorization: Basic` value into client credentials (RFC 6749 §2.3.1: the id and
 * secret are form-urlencoded before being joined with `:` and base64-encoded; RFC 7617 UTF-8).
 * Returns `undefined` when the header uses another scheme.
 *
 * @throws {InvalidClient} when the Basic credentials are malformed.
 * @example
 * parseBasicClientCredentials('Basic Og==') // { clientId: '', clientSecret: '' }
 */
export function parseBasicClientCredentials(
  header: string,
): { clientId: string; clientSecret: string } | undefined {
  const match = /^basic(?: +(\S*))?\s*$/i.exec(header)
  if (match === null) return undefined
  const decoded = decodeBase64Utf8(match[1] ?? '')
  const colon = decoded?.indexOf(':') ?? -1
  if (decoded === undefined || colon === -1) throw malformedBasic()
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  }
}

/**
 * Reads the client credentials of a token request.
 *
 * @throws {OAuthInvalidRequest} when both the header and the form carry credentials (RFC 6749
 *   §2.3: the client MUST NOT use more than one authentication method).
 * @throws {InvalidClient} for a malformed or non-Basic Authorization header.
 * @example
 * readClientCredentials(undefined, form) // { method: 'none', clientId: undefined, ... }
 */
export function readClientCredentials(
  authorization: string | undefined,
  form: TokenForm,
): ClientCredentials {
  const postId = readParameter(form, 'client_id')
  const postSecret = readParameter(form, 'client_secret')
  if (postId !== undefined && !isClientId(postId)) {
    throw new OAuthInvalidRequest(CLIENT_ID_RULE)
  }
  if (authorization === undefined) return fromForm(postId, postSecret)
  const basic = parseBasicClientCredentials(authorization)
  if (basic === undefined) {
    throw new InvalidClient('Client authentication must use the Basic scheme.')
  }
  if (!isClientId(basic.clientId)) throw new InvalidClient(CLIENT_ID_RULE)
  if (postId !== undefined || postSecret !== undefined) {
    throw new OAuthInvalidRequest(
      'Client credentials were sent both in the Authorization header and in the form.',
    )
  }
  return basic.clientId === '' && basic.clientSecret === ''
    ? { method: 'none', clientId: undefined, clientSecret: undefined }
    : { method: 'client_secret_basic', ...optionalPair(basic.clientId, basic.clientSecret) }
}

const CLIENT_ID_RULE = `The client_id must be at most ${MAX_CLIENT_ID_LENGTH} visible ASCII characters.`

/** RFC 6749 Appendix A.1: `client-id = *VSCHAR`, bounded by {@link MAX_CLIENT_ID_LENGTH}. */
function isClientId(clientId: string): boolean {
  return clientId.length <= MAX_CLIENT_ID_LENGTH && /^[\x20-\x7e]*$/.test(clientId)
}

function fromForm(
  clientId: string | undefined,
  clientSecret: string | undefined,
): ClientCredentials {
  if (clientId === undefined && clientSecret === undefined) {
    return { method: 'none', clientId, clientSecret }
  }
  return { method: 'client_secret_post', clientId, clientSecret }
}

function optionalPair(clientId: string, clientSecret: string) {
  return {
    clientId: clientId === '' ? undefined : clientId,
    clientSecret: clientSecret === '' ? undefined : clientSecret,
  }
}

/**
 * The reference server's policy: every client is public. Any `client_id` (or none) is accepted
 * without a secret; a secret means the caller believes it is a registered confidential client,
 * and there are none, so it fails with `invalid_client`.
 *
 * @example
 * createTokenEndpoint({ ..., clients: publicClientsOnly })
 */
export const publicClientsOnly: ClientAuthenticator = Object.freeze({
  authenticate(credentials: ClientCredentials): AuthenticatedClient {
    if (credentials.clientSecret !== undefined) {
      throw new InvalidClient('Unknown client, or the client may not authenticate with a secret.')
    }
    return { clientId: credentials.clientId, type: 'public' }
  },
})

function malformedBasic(): InvalidClient {
  return new InvalidClient('The Basic client credentials are malformed.')
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeBase64Utf8(value: string): string | undefined {
  if (value === '' || !BASE64.test(value)) return undefined
  try {
    return utf8.decode(Buffer.from(value, 'base64'))
  } catch {
    return undefined
  }
}

// RFC 6749 Appendix B: application/x-www-form-urlencoded, so "+" is a space.
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch (cause) {
    throw new InvalidClient('The Basic client credentials are malformed.', { cause })
  }
}

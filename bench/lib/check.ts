/**
 * Proves a case server answers correctly before it is measured: a bench of a route that answers
 * 401, or of a protected route that lets anyone in, would measure the wrong thing.
 */
import type { BenchRequest } from '../cases/protocol.js'

/** What the measured request must answer. */
export interface Expectation {
  readonly status: number
  /** Exact body, or a predicate over the parsed JSON. */
  readonly body: string | ((json: unknown) => boolean)
  /** When true, the request without its credential headers must answer 401. */
  readonly protected: boolean
}

/** The answer of every throughput case's route. */
export const HELLO: Expectation = { status: 200, body: '{"hello":"user1"}', protected: false }

/** Sends `request` once and throws with a clear message if the answer is not the expected one. */
export async function checkTarget(
  port: number,
  request: BenchRequest,
  expectation: Expectation,
): Promise<void> {
  const answer = await send(port, request, request.headers)
  if (answer.status !== expectation.status) {
    throw new Error(`${request.method} ${request.path}: expected ${expectation.status}, got ${answer.status} ${answer.text}`)
  }
  if (!bodyMatches(answer.text, expectation.body)) {
    throw new Error(`${request.method} ${request.path}: unexpected body ${answer.text}`)
  }
  if (expectation.protected) await checkRejectsAnonymous(port, request)
}

async function checkRejectsAnonymous(port: number, request: BenchRequest): Promise<void> {
  const anonymous = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !isCredentialHeader(name)),
  )
  const answer = await send(port, request, anonymous)
  if (answer.status !== 401) {
    throw new Error(`${request.path} without credentials: expected 401, got ${answer.status}`)
  }
}

function isCredentialHeader(name: string): boolean {
  return /^(authorization|cookie|x-api-key)$/i.test(name)
}

function bodyMatches(text: string, expected: Expectation['body']): boolean {
  if (typeof expected === 'string') return text === expected
  try {
    return expected(JSON.parse(text))
  } catch {
    return false
  }
}

async function send(
  port: number,
  request: BenchRequest,
  headers: Readonly<Record<string, string>>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  return { status: response.status, text: await response.text() }
}

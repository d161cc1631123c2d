/** Exact assertions on RFC 6750 rejections. */
import assert from 'node:assert/strict'

/**
 * Asserts a 401 `invalid_token` with `description`: status, literal challenge and full body.
 *
 * @example
 * await expectInvalidToken(await fetch(url, init), 'token has been revoked')
 */
export async function expectInvalidToken(response: Response, description: string): Promise<void> {
  assert.equal(response.status, 401)
  assert.equal(
    response.headers.get('www-authenticate'),
    `Bearer error="invalid_token", error_description="${description}"`,
  )
  assert.deepEqual(await response.json(), {
    error: 'invalid_token',
    error_description: description,
  })
}

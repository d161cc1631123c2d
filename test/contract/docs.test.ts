/**
 * The docs cannot drift from the code: every error code of `src/errors.ts` has a row in
 * docs/errors.md, and every environment variable the server reads is in docs/configuration.md.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe('docs', () => {
  it('docs/errors.md has a row for every GatehouseErrorCode', () => {
    const union =
      /export type GatehouseErrorCode =([\s\S]*?)\n\n/.exec(read('src/errors.ts'))?.[1] ?? ''
    const codes = [...union.matchAll(/'(GH_ERR_[A-Z_]+)'/g)].map((match) => match[1])
    assert.ok(codes.length > 30)
    const errors = read('docs/errors.md')
    const missing = codes.filter((code) => !errors.includes(`| \`${code}\` |`))
    assert.deepEqual(missing, [])
  })

  it('docs/configuration.md names every environment variable the server reads', () => {
    const config = read('src/server/config.ts')
    const variables = [...config.matchAll(/read\('([A-Z_]+)'\)/g)].map((match) => match[1])
    assert.ok(variables.length >= 13)
    const documentation = read('docs/configuration.md')
    const missing = variables.filter((name) => !documentation.includes(`\`${name}\``))
    assert.deepEqual(missing, [])
  })
})

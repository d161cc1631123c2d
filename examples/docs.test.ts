/**
 * The docs quote examples verbatim: every code block preceded by `<!-- example: <path> -->` in
 * docs/security.md and docs/scopes.md must appear, character for character, in that file.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MARKED_BLOCK = /<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g

for (const doc of ['docs/security.md', 'docs/scopes.md']) {
  test(`${doc}: quoted example code matches its example file`, () => {
    const text = readFileSync(join(root, doc), 'utf8')
    const blocks = [...text.matchAll(MARKED_BLOCK)]
    assert.ok(blocks.length > 0, `${doc} quotes no example`)
    for (const [, path = '', code = ''] of blocks) {
      const source = readFileSync(join(root, path), 'utf8')
      assert.ok(source.includes(code), `${doc}: block from ${path} is not in the file:\n${code}`)
    }
  })
}

/**
 * The docs cannot drift from the code: every error code of `src/errors.ts` has a row in
 * docs/errors.md, every environment variable the server reads is in docs/configuration.md, the
 * docs name no variable or `gatehouse` flag the code does not have, and every relative link of
 * README.md and docs/*.md reaches an existing file and heading.
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, it } from 'node:test'
import { MAIN_HELP } from '../../src/cli/usage.js'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

const MARKDOWN = [
  'README.md',
  ...readdirSync(new URL('../../docs/', import.meta.url))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]

/** The variables `src/server/config.ts` reads (`read('NAME')`). */
function serverVariables(): string[] {
  return [...read('src/server/config.ts').matchAll(/read\('([A-Z_]+)'\)/g)].map((m) => m[1] ?? '')
}

/** Markdown without its fenced code blocks (their `#` lines are not headings). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '')
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, `-1` on repeats. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  for (const [, title = ''] of prose(markdown).matchAll(/^#{1,6} +(.+?) *$/gm)) {
    const slug = title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    let anchor = slug
    for (let n = 1; anchors.has(anchor); n++) anchor = `${slug}-${n}`
    anchors.add(anchor)
  }
  return anchors
}

/** Relative link targets of a Markdown file: `[text](target)`, web and mail links left out. */
function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target))
}

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

  it('the docs name no GATEHOUSE_ variable the server does not read', () => {
    const known = new Set(serverVariables())
    const unknown = MARKDOWN.flatMap((path) =>
      [...read(path).matchAll(/\bGATEHOUSE_[A-Z_]*[A-Z]\b/g)]
        .map((m) => m[0])
        .filter((name) => !known.has(name))
        .map((name) => `${path}: ${name}`),
    )
    assert.deepEqual([...new Set(unknown)], [])
  })

  it('every gatehouse command line in the docs uses only flags of `gatehouse --help`', () => {
    const command = /\bgatehouse(?:\.js)? +(?:start-dev|start|migrate|users|keys)\b.*/g
    const unknown = MARKDOWN.flatMap((path) =>
      [...read(path).matchAll(command)].flatMap(([line]) =>
        [...line.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)]
          .map((m) => m[0])
          .filter((flag) => !MAIN_HELP.includes(`${flag} `))
          .map((flag) => `${path}: ${flag} in ${line.trim()}`),
      ),
    )
    assert.deepEqual(unknown, [])
  })

  it('every relative link of README.md and docs/*.md reaches an existing file and heading', () => {
    const broken = MARKDOWN.flatMap((path) =>
      relativeLinks(read(path)).flatMap((target) => {
        const [file = '', anchor] = target.split('#')
        const linked = file === '' ? path : normalize(join(dirname(path), file))
        if (!existsSync(new URL(`../../${linked}`, import.meta.url))) return [`${path}: ${target}`]
        if (anchor === undefined || !linked.endsWith('.md')) return []
        return anchorsOf(read(linked)).has(anchor) ? [] : [`${path}: ${target} (no such heading)`]
      }),
    )
    assert.ok(MARKDOWN.includes('docs/deployment.md'))
    assert.deepEqual(broken, [])
  })

  it('anchorsOf follows GitHub: code spans and punctuation dropped, repeats numbered', () => {
    const text =
      '# What `gatehouse start` refuses\n## `Security()` and `SecurityScopes`\n' +
      '```sh\n# not a heading\n```\n## OR and AND\n## OR and AND\n'
    assert.deepEqual([...anchorsOf(text)], [
      'what-gatehouse-start-refuses',
      'security-and-securityscopes',
      'or-and-and',
      'or-and-and-1',
    ])
  })
})

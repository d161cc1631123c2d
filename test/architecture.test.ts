/**
 * Enforces the layer rule of docs/architecture.md by parsing every import of `src/**`: a layer
 * imports only from itself and from layers earlier in the list, plus the shared `src/errors.ts`.
 * Nothing imports the package root `src/index.ts`.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const LAYERS = [
  'scopes',
  'security',
  'deps',
  'tokens',
  'passwords',
  'store',
  'oauth2',
  'csrf',
  'fastify',
  'server',
  'cli',
] as const

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** Every module specifier a file names: imports, re-exports, `import()` calls and types. */
export function importsOf(path: string, text = readFileSync(path, 'utf8')): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text)
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal))
        found.push(argument.literal.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments
      if (first !== undefined && ts.isStringLiteral(first)) found.push(first.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

/** The layer of a path under `src/` (`undefined` for `src/errors.ts` and `src/index.ts`). */
function layerOf(path: string): string | undefined {
  const [first, second] = relative(src, path).split(sep)
  return second === undefined ? undefined : first
}

interface Violation {
  readonly file: string
  readonly specifier: string
  readonly reason: string
}

/** Checks one file's imports against the layer rule. */
export function violationsOf(path: string, specifiers: readonly string[]): Violation[] {
  const layer = layerOf(path)
  const file = relative(root, path)
  if (layer === undefined) return []
  const own = LAYERS.indexOf(layer as (typeof LAYERS)[number])
  if (own === -1)
    return [{ file, specifier: '', reason: `"${layer}" is not a layer of docs/architecture.md` }]
  const violations: Violation[] = []
  for (const specifier of specifiers) {
    if (!specifier.startsWith('.')) continue
    const target = resolve(dirname(path), specifier)
    const targetLayer = layerOf(target)
    const name = relative(src, target)
    if (targetLayer === layer) continue
    if (targetLayer === undefined) {
      if (name !== 'errors.js')
        violations.push({
          file,
          specifier,
          reason: 'only src/errors.ts may be imported from the root',
        })
      continue
    }
    const index = LAYERS.indexOf(targetLayer as (typeof LAYERS)[number])
    if (index === -1 || index > own) {
      violations.push({
        file,
        specifier,
        reason: `${layer} may not import ${targetLayer} (not an earlier layer)`,
      })
    }
  }
  return violations
}

describe('architecture: layer imports', () => {
  test('every import of src/** respects the layer order', () => {
    const violations = sourceFiles(src).flatMap((path) => violationsOf(path, importsOf(path)))
    assert.deepEqual(violations, [])
  })

  test('the checker sees every import form and flags later layers and the root', () => {
    const text = [
      "import { a } from '../tokens/index.js'",
      "import type { B } from '../scopes/registry.js'",
      "import { h } from '../nowhere/x.js'",
      "export * from '../fastify/index.js'",
      "type C = import('../server/app.js').C",
      "const d = await import('../cli/main.js')",
      "import { e } from '../index.js'",
      "import { f } from '../errors.js'",
      "import { g } from './plan.js'",
      "import Fastify from 'fastify'",
    ].join('\n')
    const path = join(src, 'deps', 'example.ts')
    const specifiers = importsOf(path, text)
    assert.equal(specifiers.length, 10)
    assert.deepEqual(
      violationsOf(path, specifiers).map((v) => `${v.specifier}: ${v.reason}`),
      [
        '../tokens/index.js: deps may not import tokens (not an earlier layer)',
        '../nowhere/x.js: deps may not import nowhere (not an earlier layer)',
        '../fastify/index.js: deps may not import fastify (not an earlier layer)',
        '../server/app.js: deps may not import server (not an earlier layer)',
        '../cli/main.js: deps may not import cli (not an earlier layer)',
        '../index.js: only src/errors.ts may be imported from the root',
      ],
    )
  })

  test('a folder that is not a layer is reported', () => {
    assert.deepEqual(violationsOf(join(src, 'misc', 'x.ts'), []), [
      {
        file: 'src/misc/x.ts',
        specifier: '',
        reason: '"misc" is not a layer of docs/architecture.md',
      },
    ])
  })
})

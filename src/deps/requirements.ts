import type { ScopeGroup } from './dependency.js'
import type { PlanNode, SchemeNode } from './plan.js'

/**
 * An OpenAPI Security Requirement Object: scheme name to the scopes it needs. All of its schemes
 * are required together (AND); a list of them is a choice (OR).
 */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>

type Requirement = Record<string, string[]>

/**
 * The OpenAPI `security` array of a graph: the cross product of every node's alternatives, so the
 * document states exactly what the resolver accepts. Inputs of one dependency are AND (one object
 * with several keys); `anyOf()` and `anyScope()` are OR (several objects); an optional scheme adds
 * the empty requirement `{}`. Returns `undefined` when no scheme is used.
 */
export function requirementsOf(roots: readonly PlanNode[]): SecurityRequirement[] | undefined {
  const result = product(roots.map(alternativesOf))
  if (result.length === 1 && Object.keys(result[0] ?? {}).length === 0) return undefined
  return result.map((requirement) => Object.freeze(requirement))
}

function alternativesOf(node: PlanNode): Requirement[] {
  switch (node.kind) {
    case 'scheme':
      return schemeAlternatives(node)
    case 'dependency':
      return product(node.inputs.map(alternativesOf))
    case 'any-of':
      return dedupe(node.alternatives.flatMap(alternativesOf))
  }
}

function schemeAlternatives(node: SchemeNode): Requirement[] {
  const { scheme } = node
  const scopeLists = scheme.usesScopes ? scopeAlternatives(node.securityScopes.groups) : [[]]
  const result: Requirement[] = scopeLists.map((scopes) => ({ [scheme.schemeName]: scopes }))
  // An optional scheme may be absent: the empty requirement says so (OpenAPI 3.1 §4.8.30).
  if (scheme.optional) result.push({})
  return result
}

/** `all` groups add to every alternative; each `any` group multiplies them. */
function scopeAlternatives(groups: readonly ScopeGroup[]): string[][] {
  let lists: string[][] = [[]]
  for (const group of groups) {
    if (group.mode === 'all') {
      lists = lists.map((list) => union(list, group.scopes))
    } else {
      lists = lists.flatMap((list) => group.scopes.map((scope) => union(list, [scope])))
    }
  }
  return dedupeLists(lists)
}

function product(factors: readonly Requirement[][]): Requirement[] {
  let result: Requirement[] = [{}]
  for (const factor of factors) {
    result = result.flatMap((left) => factor.map((right) => merge(left, right)))
  }
  return dedupe(result)
}

function merge(left: Requirement, right: Requirement): Requirement {
  const result: Requirement = { ...left }
  for (const [name, scopes] of Object.entries(right))
    result[name] = union(result[name] ?? [], scopes)
  return result
}

function union(left: readonly string[], right: readonly string[]): string[] {
  const result = [...left]
  for (const scope of right) if (!result.includes(scope)) result.push(scope)
  return result
}

function dedupe(requirements: Requirement[]): Requirement[] {
  const seen = new Set<string>()
  return requirements.filter((requirement) => {
    const key = JSON.stringify(
      Object.keys(requirement)
        .sort()
        .map((name) => [name, [...(requirement[name] ?? [])].sort()]),
    )
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function dedupeLists(lists: string[][]): string[][] {
  const seen = new Set<string>()
  return lists.filter((list) => {
    const key = [...list].sort().join(' ')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

import { invalidScopeConfigError, unknownScopeError } from './errors.js'
import { isScopeToken } from './parse.js'

/** A scope's definition: its description, or a description plus the scopes it implies. */
export type ScopeDefinition =
  string | { readonly description: string; readonly implies?: readonly string[] }

/** Registry input: scope name to definition, in the order they should be documented. */
export type ScopeDefinitions = Readonly<Record<string, ScopeDefinition>>

/** One registered scope, as returned by {@link ScopeRegistry.entries}. */
export interface ScopeEntry {
  readonly name: string
  readonly description: string
  /** Scopes listed in `implies` (direct only). */
  readonly implies: readonly string[]
  /** Every scope this one grants besides itself: implication and wildcard closure, BFS order. */
  readonly implied: readonly string[]
}

/** How several required scopes combine: every one of them, or at least one. */
export type ScopeMatchMode = 'all' | 'any'

const WILDCARD_SUFFIX = ':*'

/**
 * The scopes an application knows: their descriptions for OpenAPI, their implications
 * (`admin` ⊇ `write` ⊇ `read`) and wildcards (`items:*` implies every registered `items:<x>`).
 *
 * Closures are computed once at construction, so per-request checks are Set lookups.
 * Instances are frozen.
 *
 * @example
 * ```ts
 * const scopes = new ScopeRegistry({
 *   read: 'Read access',
 *   write: { description: 'Write access', implies: ['read'] },
 *   admin: { description: 'Admin access', implies: ['write'] },
 * })
 * scopes.satisfies(['admin'], ['read'])       // true
 * scopes.toOpenAPIScopes().admin              // 'Admin access (implies write, read)'
 * ```
 */
export class ScopeRegistry {
  readonly #entries: ReadonlyMap<string, ScopeEntry>
  readonly #closures: ReadonlyMap<string, ReadonlySet<string>>

  /** @throws {GatehouseConfigError} `GH_ERR_SCOPE_INVALID` or `GH_ERR_SCOPE_UNKNOWN` on bad input. */
  constructor(definitions: ScopeDefinitions = {}) {
    const normalized = normalizeDefinitions(definitions)
    const closures = computeClosures(normalized)
    this.#closures = closures
    this.#entries = buildEntries(normalized, closures)
    Object.freeze(this)
  }

  /**
   * Returns `input` when it is already a registry, else builds one from the record.
   *
   * @example
   * ```ts
   * ScopeRegistry.from({ read: 'Read access' }).has('read') // true
   * ```
   */
  static from(input: ScopeRegistry | ScopeDefinitions | undefined): ScopeRegistry {
    return input instanceof ScopeRegistry ? input : new ScopeRegistry(input)
  }

  /** Number of registered scopes. */
  get size(): number {
    return this.#entries.size
  }

  /** Registered scope names, in registration order. */
  names(): string[] {
    return [...this.#entries.keys()]
  }

  /** Whether `scope` is registered. */
  has(scope: string): boolean {
    return this.#entries.has(scope)
  }

  /** The description of a registered scope, or `undefined`. */
  describe(scope: string): string | undefined {
    return this.#entries.get(scope)?.description
  }

  /** The registered scopes with their direct and closed implications, in registration order. */
  entries(): ScopeEntry[] {
    return [...this.#entries.values()]
  }

  /**
   * Every scope `granted` amounts to: the granted scopes themselves plus everything they imply.
   * Unregistered scopes are kept as-is; an unregistered `p:*` still implies registered `p:<x>`.
   */
  expand(granted: Iterable<string>): Set<string> {
    const result = new Set<string>()
    for (const scope of granted) {
      result.add(scope)
      const closure = this.#closureOf(scope)
      if (closure) for (const implied of closure) result.add(implied)
    }
    return result
  }

  /**
   * Whether `granted` covers `required`: all of them (default) or at least one (`'any'`).
   * An empty `required` is always satisfied. Allocation-free when `granted` is an array.
   */
  satisfies(
    granted: Iterable<string>,
    required: Iterable<string>,
    mode: ScopeMatchMode = 'all',
  ): boolean {
    // Array.isArray narrows to any[]; the cast restores the element type it already has.
    const grantedList = Array.isArray(granted) ? (granted as readonly string[]) : [...granted]
    let any = false
    for (const scope of required) {
      const ok = this.#grants(grantedList, scope)
      if (mode === 'any' && ok) return true
      if (mode === 'all' && !ok) return false
      any = true
    }
    return mode === 'all' || !any
  }

  /** The required scopes that `granted` does not cover, in `required` order. */
  missing(granted: Iterable<string>, required: Iterable<string>): string[] {
    const grantedList = [...granted]
    const result: string[] = []
    for (const scope of required) {
      if (!this.#grants(grantedList, scope) && !result.includes(scope)) result.push(scope)
    }
    return result
  }

  /**
   * Throws when any of `scopes` is not registered; `where` names the place that used it.
   *
   * @throws {GatehouseConfigError} `GH_ERR_SCOPE_UNKNOWN`, with a "did you mean" hint.
   * @example
   * ```ts
   * registry.assertKnown(['admn'], 'route GET /admin/')
   * // GatehouseConfigError: Unknown scope "admn" in route GET /admin/. Did you mean "admin"? ...
   * ```
   */
  assertKnown(scopes: Iterable<string>, where: string): void {
    for (const scope of scopes) {
      if (!this.#entries.has(scope)) throw unknownScopeError(this.#unknownMessage(scope, where))
    }
  }

  /** `{ name: description }` for an OpenAPI OAuth Flow Object; descriptions name implications. */
  toOpenAPIScopes(): Record<string, string> {
    const result: Record<string, string> = {}
    for (const entry of this.#entries.values()) {
      result[entry.name] =
        entry.implied.length === 0
          ? entry.description
          : `${entry.description} (implies ${entry.implied.join(', ')})`
    }
    return result
  }

  #closureOf(scope: string): ReadonlySet<string> | undefined {
    return this.#closures.get(scope)
  }

  #grants(granted: readonly string[], required: string): boolean {
    for (const scope of granted) {
      if (scope === required || this.#closures.get(scope)?.has(required) === true) return true
    }
    return false
  }

  #unknownMessage(scope: string, where: string): string {
    const names = this.names()
    const suggestion = closestName(scope, names)
    const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`
    const known = names.length === 0 ? 'none' : names.join(', ')
    return `Unknown scope "${scope}" in ${where}.${hint} Registered scopes: ${known}.`
  }
}

interface NormalizedScope {
  readonly description: string
  readonly implies: readonly string[]
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

function normalizeDefinitions(definitions: unknown): Map<string, NormalizedScope> {
  if (typeof definitions !== 'object' || definitions === null || Array.isArray(definitions)) {
    throw invalidScopeConfigError(
      `\`scopes\` must be an object of scope name to description, got ${typeName(definitions)}`,
    )
  }
  const result = new Map<string, NormalizedScope>()
  for (const [name, definition] of Object.entries(definitions)) {
    if (!isScopeToken(name)) {
      throw invalidScopeConfigError(
        `Scope name ${JSON.stringify(name)} is not an RFC 6749 scope-token ` +
          '(visible ASCII except space, `"` and `\\`)',
      )
    }
    result.set(name, normalizeDefinition(name, definition))
  }
  for (const [name, scope] of result) checkImplies(name, scope.implies, result)
  return result
}

function normalizeDefinition(name: string, definition: unknown): NormalizedScope {
  if (typeof definition === 'string') return { description: definition, implies: [] }
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw invalidScopeConfigError(
      `Scope "${name}" must be a description string or { description, implies }, ` +
        `got ${typeName(definition)}`,
    )
  }
  const { description, implies = [] } = definition as { description?: unknown; implies?: unknown }
  if (typeof description !== 'string') {
    throw invalidScopeConfigError(
      `Scope "${name}": \`description\` must be a string, got ${typeName(description)}`,
    )
  }
  if (!Array.isArray(implies) || !implies.every((item) => typeof item === 'string')) {
    throw invalidScopeConfigError(
      `Scope "${name}": \`implies\` must be an array of scope names, got ${typeName(implies)}`,
    )
  }
  return { description, implies: Object.freeze([...new Set(implies as string[])]) }
}

function checkImplies(
  name: string,
  implies: readonly string[],
  known: ReadonlyMap<string, NormalizedScope>,
): void {
  for (const implied of implies) {
    if (known.has(implied)) continue
    const suggestion = closestName(implied, [...known.keys()])
    const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`
    throw unknownScopeError(`Unknown scope "${implied}" in \`implies\` of scope "${name}".${hint}`)
  }
}

/** Direct edges: explicit `implies`, plus every `p:<x>` for a registered wildcard `p:*`. */
function directEdges(name: string, scopes: ReadonlyMap<string, NormalizedScope>): string[] {
  const edges = [...(scopes.get(name)?.implies ?? [])]
  for (const target of wildcardTargets(name, scopes.keys())) {
    if (!edges.includes(target)) edges.push(target)
  }
  return edges
}

function wildcardTargets(name: string, names: Iterable<string>): string[] {
  if (!name.endsWith(WILDCARD_SUFFIX)) return []
  const prefix = name.slice(0, -1)
  const targets: string[] = []
  for (const other of names) {
    if (other !== name && other.startsWith(prefix)) targets.push(other)
  }
  return targets
}

/** Breadth-first reachability; cycles are fine (visited set). */
function reach(start: string, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = []
  const seen = new Set([start])
  const queue = [...(edges.get(start) ?? [])]
  for (let i = 0; i < queue.length; i++) {
    const next = queue[i] as string
    if (seen.has(next)) continue
    seen.add(next)
    order.push(next)
    queue.push(...(edges.get(next) ?? []))
  }
  return order
}

function computeClosures(
  scopes: ReadonlyMap<string, NormalizedScope>,
): Map<string, ReadonlySet<string>> {
  const edges = new Map<string, readonly string[]>()
  for (const name of scopes.keys()) edges.set(name, directEdges(name, scopes))
  const closures = new Map<string, ReadonlySet<string>>()
  for (const name of scopes.keys()) closures.set(name, new Set(reach(name, edges)))
  addUnregisteredWildcards(scopes, edges, closures)
  return closures
}

/** An unregistered granted `p:*` still implies every registered `p:<x>` (and their closures). */
function addUnregisteredWildcards(
  scopes: ReadonlyMap<string, NormalizedScope>,
  edges: Map<string, readonly string[]>,
  closures: Map<string, ReadonlySet<string>>,
): void {
  for (const name of scopes.keys()) {
    for (let i = name.indexOf(':'); i !== -1; i = name.indexOf(':', i + 1)) {
      const wildcard = `${name.slice(0, i)}${WILDCARD_SUFFIX}`
      if (closures.has(wildcard)) continue
      edges.set(wildcard, wildcardTargets(wildcard, scopes.keys()))
      closures.set(wildcard, new Set(reach(wildcard, edges)))
    }
  }
}

function buildEntries(
  scopes: ReadonlyMap<string, NormalizedScope>,
  closures: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, ScopeEntry> {
  const entries = new Map<string, ScopeEntry>()
  for (const [name, scope] of scopes) {
    const implied = Object.freeze([...(closures.get(name) ?? [])])
    entries.set(name, Object.freeze({ name, ...scope, implied }))
  }
  return entries
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** The registered name nearest to `name`, if it is a plausible typo (distance ≤ max(1, len/3)). */
function closestName(name: string, names: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of names) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

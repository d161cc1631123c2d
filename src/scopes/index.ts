export { ScopeSyntaxError } from './errors.js'
export type { ScopeSyntaxReason } from './errors.js'
export { formatScope, isScopeToken, parseScope, tryParseScope } from './parse.js'
export { ScopeRegistry } from './registry.js'
export type {
  ScopeDefinition,
  ScopeDefinitions,
  ScopeEntry,
  ScopeMatchMode,
} from './registry.js'

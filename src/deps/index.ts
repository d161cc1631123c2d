export {
  AnyOf,
  Dependency,
  DependencyUse,
  Depends,
  Security,
  anyOf,
  anyScope,
  assertDependencyInputs,
  dependency,
  isSecurityScheme,
} from './dependency.js'
export type {
  AnyScope,
  AnySecurityScheme,
  DependencyContext,
  DependencyFunction,
  DependencyInput,
  DependencyInputs,
  DependencyMode,
  DependencyOptions,
  DependencyTarget,
  DependencyUseOptions,
  DependencyValue,
  InputValue,
  InputValues,
  ScopeGroup,
  SecurityOptions,
} from './dependency.js'
export { CleanupStack } from './cleanup.js'
export type { CleanupFailure, CleanupGenerator } from './cleanup.js'
export { DependencyOverrides } from './overrides.js'
export type { OverrideReplacement, OverrideTarget } from './overrides.js'
export { ResolutionPlan, compilePlan, compileTarget } from './plan.js'
export type {
  AnyOfNode,
  CompileOptions,
  DependencyNode,
  PlanNode,
  Presence,
  SchemeNode,
} from './plan.js'
export type { SecurityRequirement } from './requirements.js'
export { Resolution } from './resolve.js'
export type { Settled } from './resolve.js'
export { SecurityScopes } from './security-scopes.js'
export type { ScopeRegistrySource } from './security-scopes.js'

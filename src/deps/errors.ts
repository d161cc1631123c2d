/**
 * Errors of the deps layer.
 *
 * Codes (`GH_ERR_DEP_*`) are stable API; messages may change. A retired code is never reused.
 *
 * | code | thrown by | meaning |
 * |---|---|---|
 * | `GH_ERR_DEP_INVALID` | `dependency()`, `Security()`, `Depends()`, `anyOf()`, plan compilation | a declaration is not a scheme, dependency or use |
 * | `GH_ERR_DEP_CYCLE` | plan compilation (route registration / `ready()`) | a dependency needs itself |
 */
import { GatehouseConfigError } from '../errors.js'

/** Builds the configuration error for a malformed declaration. */
export function invalidDependencyError(message: string): GatehouseConfigError {
  return new GatehouseConfigError(message, { code: 'GH_ERR_DEP_INVALID' })
}

/** Builds the configuration error for a dependency cycle; `path` lists the names around it. */
export function dependencyCycleError(path: readonly string[], where: string): GatehouseConfigError {
  return new GatehouseConfigError(`Dependency cycle in ${where}: ${path.join(' -> ')}`, {
    code: 'GH_ERR_DEP_CYCLE',
  })
}

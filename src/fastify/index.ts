export type { ResolvedDeps } from './augment.js'
export {
  createErrorHandler,
  gatehouseErrorHandler,
  notFoundHandler,
} from './error-handler.js'
export type { ErrorBody, ErrorHandlerOptions, GatehouseErrorHandler } from './error-handler.js'
export { documentRoute, errorBodySchema, gatehouseSwagger } from './openapi.js'
export type { SwaggerOptions } from './openapi.js'
export type { GatehouseOptions, SecurityLogLevel } from './options.js'
export { gatehouse } from './plugin.js'
export type { GatehouseDecorator } from './plugin.js'
export { RequestAborted } from './routes.js'

/**
 * Gatehouse: FastAPI's security model for Fastify, and an OAuth2 token service built on it.
 * The package root re-exports the public API of every layer.
 */
export * from './errors.js'
export * from './scopes/index.js'
export * from './security/index.js'
export * from './deps/index.js'
export * from './fastify/index.js'

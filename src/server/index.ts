export { buildApp } from './app.js'
export type { AppOptions } from './app.js'
export {
  generateSigningKey,
  loadConfig,
  LOG_LEVELS,
  parseSigningKeys,
  withConfig,
} from './config.js'
export type {
  Config,
  ConfigFlags,
  LoadConfigInput,
  LogLevel,
  ServerMode,
  SigningKeySource,
  TLSConfig,
} from './config.js'
export {
  DATABASE_FILE_NAME,
  DEFAULT_AUDIENCE,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_LOG_LEVEL,
  DEFAULT_PORT,
  DEFAULT_TOKEN_RATE_LIMIT,
  DEMO_USERS,
  GENERATED_KEY_BYTES,
  SERVER_SCOPES,
  SIGNING_KEY_FILE_NAME,
  TOKEN_RATE_LIMIT_WINDOW_MS,
} from './defaults.js'
export { createDemoUsers, formatDevBanner, prepareDevFiles } from './dev-setup.js'
export type { DemoUserSink, DevSetupReport } from './dev-setup.js'
export { createLoggerOptions, REDACT_PATHS } from './logger.js'
export type { LoggerOptionsInput } from './logger.js'
export { openMigratedStore } from './database.js'
export { startDevServer, startServer } from './run.js'
export type { RunningServer, StartOptions } from './run.js'
export { createServerSecurity } from './security.js'
export type {
  CurrentUser,
  PrincipalDirectory,
  PrincipalRecord,
  ServerSecurity,
  ServerSecurityOptions,
} from './security.js'
export { principals, resourceOwners } from './services.js'
export type { ServerUsers } from './services.js'

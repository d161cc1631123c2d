/** Defaults of the gatehouse plugin's options (docs/configuration.md is written from these). */

/** Install the Gatehouse error handler (RFC 6750 bodies and challenges) on the app. */
export const DEFAULT_ERROR_HANDLER = true

/** Leave the 404 handler alone unless asked: apps often have their own. */
export const DEFAULT_NOT_FOUND_HANDLER = false

/**
 * Log level of expected rejections (4xx: missing or bad credentials, validation errors).
 * `info` keeps them visible in production logs without the noise of `warn`.
 */
export const DEFAULT_SECURITY_LOG_LEVEL = 'info'

/** `gatehouse start-dev` and `gatehouse start`. */
import { parseArgs } from 'node:util'
import { formatDevBanner, loadConfig, startDevServer, startServer } from '../../server/index.js'
import type { ConfigFlags, RunningServer, ServerMode } from '../../server/index.js'
import type { CliIO } from '../io.js'

const SERVER_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'log-level': { type: 'string' },
} as const

/**
 * Runs the server until SIGINT or SIGTERM; resolves with the exit code after a graceful close.
 *
 * @example
 * await startCommand(['--port', '9000'], io, 'development')
 */
export async function startCommand(args: string[], io: CliIO, mode: ServerMode): Promise<number> {
  const config = loadConfig({ mode, flags: serverFlags(args), env: io.env, cwd: io.cwd })
  const server = await launch(config, io, mode)
  const signal = await io.untilSignal()
  server.app.log.info({ signal }, 'shutting down')
  await server.close()
  return 0
}

async function launch(
  config: ReturnType<typeof loadConfig>,
  io: CliIO,
  mode: ServerMode,
): Promise<RunningServer> {
  if (mode === 'production') return startServer(config)
  const { server, report } = await startDevServer(config)
  io.stdout.write(formatDevBanner(report, server.url))
  return server
}

/**
 * Parses the server flags shared by `start-dev` and `start`.
 *
 * @example
 * serverFlags(['--port', '9000']) // { port: '9000' }
 */
export function serverFlags(args: string[]): ConfigFlags {
  const { values } = parseArgs({ args, options: SERVER_OPTIONS, strict: true })
  return stripUndefined({
    port: values.port,
    host: values.host,
    dataDir: values['data-dir'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    logLevel: values['log-level'],
  })
}

function stripUndefined(flags: Record<string, string | undefined>): ConfigFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined))
}

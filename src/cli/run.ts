/**
 * The `gatehouse` command: argument dispatch, error reporting and exit codes
 * (0 success, 1 runtime failure, 2 usage or configuration error).
 */
import { GatehouseConfigError } from '../errors.js'
import { InvalidUsernameError } from '../store/index.js'
import { UsageError, type CliIO } from './io.js'
import { MAIN_HELP } from './usage.js'

type Command = (args: string[], io: CliIO) => Promise<number>

// Loaded on demand: `keys generate` and the users commands need neither Fastify nor Swagger UI.
const COMMANDS: Readonly<Record<string, Command>> = {
  'start-dev': async (args, io) =>
    (await import('./commands/start.js')).startCommand(args, io, 'development'),
  start: async (args, io) =>
    (await import('./commands/start.js')).startCommand(args, io, 'production'),
  migrate: async (args, io) => (await import('./commands/database.js')).migrateCommand(args, io),
  users: async (args, io) => (await import('./commands/users.js')).usersCommand(args, io),
  keys: async (args, io) => (await import('./commands/keys.js')).keysCommand(args, io),
}

/**
 * Runs one `gatehouse` invocation and resolves with its exit code. Never throws.
 *
 * @example
 * process.exitCode = await runCli(['users', 'list'], processIO())
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(MAIN_HELP)
    return name === undefined ? 2 : 0
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(MAIN_HELP)
    return 0
  }
  const command = COMMANDS[name]
  if (command === undefined) return report(io, new UsageError(`Unknown command "${name}".`))
  try {
    return await command(args, io)
  } catch (error) {
    return report(io, error)
  }
}

function report(io: CliIO, error: unknown): number {
  const code = exitCode(error)
  const message = error instanceof Error ? error.message : String(error)
  io.stderr.write(`gatehouse: ${message}\n`)
  if (code === 2 && !(error instanceof GatehouseConfigError)) {
    io.stderr.write('Run `gatehouse --help` for usage.\n')
  }
  if (code === 1 && !isExpected(error)) io.stderr.write(`${(error as Error)?.stack ?? ''}\n`)
  return code
}

function exitCode(error: unknown): number {
  if (error instanceof UsageError || error instanceof GatehouseConfigError) return 2
  if (error instanceof InvalidUsernameError || isParseArgsError(error)) return 2
  return 1
}

/**
 * Errors with a code (store not found or conflict, EADDRINUSE, ECONNREFUSED) are expected
 * outcomes: their message is enough. Anything else also gets its stack.
 */
function isExpected(error: unknown): boolean {
  return typeof (error as { code?: unknown } | null)?.code === 'string'
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')
}

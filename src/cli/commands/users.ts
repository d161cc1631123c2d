/** `gatehouse users add|list|set-scopes|passwd|disable|enable|delete`. */
import { parseArgs } from 'node:util'
import { parseScope, ScopeRegistry } from '../../scopes/index.js'
import { createArgon2Hasher } from '../../passwords/index.js'
// The light modules of the server layer, not its index: these commands must not load Fastify.
import { SERVER_SCOPES } from '../../server/defaults.js'
import { StoreNotFoundError, type Store, type User } from '../../store/index.js'
import { readNewPassword, UsageError, type CliIO } from '../io.js'
import { openCliStore } from './database.js'

type UsersAction = (
  store: Store,
  positionals: string[],
  io: CliIO,
  scopes: string | undefined,
) => Promise<void>

const registry = new ScopeRegistry(SERVER_SCOPES)

const ACTIONS: Readonly<Record<string, { arity: number; run: UsersAction }>> = {
  add: { arity: 1, run: addUser },
  list: { arity: 0, run: listUsers },
  'set-scopes': { arity: 2, run: setScopes },
  passwd: { arity: 1, run: changePassword },
  disable: { arity: 1, run: (store, [name], io) => setDisabled(store, name, true, io) },
  enable: { arity: 1, run: (store, [name], io) => setDisabled(store, name, false, io) },
  delete: { arity: 1, run: deleteUser },
}

/**
 * Manages users in the server's database.
 *
 * @example
 * await usersCommand(['add', 'alice', '--scopes', 'read write'], io) // password from stdin
 */
export async function usersCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { scopes: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  const [name = '', ...rest] = positionals
  const action = ACTIONS[name]
  if (action === undefined)
    throw new UsageError(`Unknown users command "${name}". Run gatehouse --help.`)
  if (rest.length !== action.arity) {
    throw new UsageError(
      `gatehouse users ${name} takes ${action.arity} argument(s), got ${rest.length}.`,
    )
  }
  if (values.scopes !== undefined && name !== 'add')
    throw new UsageError('--scopes is only for users add.')
  const store = await openCliStore(values['data-dir'], io)
  try {
    await action.run(store, rest, io, values.scopes)
  } finally {
    await store.close()
  }
  return 0
}

/**
 * Parses and checks scopes against the server's registry (read, write, admin).
 *
 * @throws {UsageError} for bad syntax or an unknown scope.
 * @example
 * parseServerScopes('read write') // ['read', 'write']
 */
export function parseServerScopes(text: string): string[] {
  let scopes: string[]
  try {
    scopes = parseScope(text.trim())
  } catch (cause) {
    throw new UsageError(`Invalid scopes "${text}": ${(cause as Error).message}`)
  }
  const unknown = scopes.filter((scope) => !registry.has(scope))
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown scope(s): ${unknown.join(', ')}. Known scopes: ${registry.names().join(', ')}.`,
    )
  }
  return scopes
}

async function addUser(store: Store, args: string[], io: CliIO, scopes: string | undefined) {
  const [username = ''] = args
  const granted = parseServerScopes(scopes ?? 'read')
  const password = await readNewPassword(io)
  const passwordHash = await createArgon2Hasher().hash(password)
  const user = await store.users.create({ username, passwordHash, scopes: granted })
  io.stdout.write(`Added ${user.username} with scopes: ${formatScopes(user)}\n`)
}

async function listUsers(store: Store, _positionals: string[], io: CliIO) {
  const users = await store.users.list()
  const width = Math.max(8, ...users.map((user) => user.username.length))
  io.stdout.write(`${'USERNAME'.padEnd(width)}  ${'STATUS'.padEnd(8)}  SCOPES\n`)
  for (const user of users) {
    const status = user.disabled ? 'disabled' : 'enabled'
    io.stdout.write(`${user.username.padEnd(width)}  ${status.padEnd(8)}  ${formatScopes(user)}\n`)
  }
}

async function setScopes(store: Store, args: string[], io: CliIO) {
  const [username = '', scopes = ''] = args
  const user = await store.users.setScopes(username, parseServerScopes(scopes))
  io.stdout.write(`${user.username} now has scopes: ${formatScopes(user)}\n`)
}

async function changePassword(store: Store, args: string[], io: CliIO) {
  const [username = ''] = args
  // Fail before prompting when the user does not exist.
  if ((await store.users.findByUsername(username)) === undefined) {
    throw new StoreNotFoundError(`user ${JSON.stringify(username)} not found`)
  }
  const passwordHash = await createArgon2Hasher().hash(await readNewPassword(io))
  const user = await store.users.setPasswordHash(username, passwordHash)
  io.stdout.write(
    `Password changed for ${user.username}; tokens issued before now no longer work.\n`,
  )
}

async function setDisabled(
  store: Store,
  username: string | undefined,
  disabled: boolean,
  io: CliIO,
) {
  const user = await store.users.setDisabled(username ?? '', disabled)
  io.stdout.write(
    `${user.username} is now ${disabled ? 'disabled; its tokens no longer work' : 'enabled'}.\n`,
  )
}

async function deleteUser(store: Store, args: string[], io: CliIO) {
  const [username = ''] = args
  await store.users.delete(username)
  io.stdout.write(`Deleted ${username}.\n`)
}

function formatScopes(user: User): string {
  return user.scopes.length === 0 ? '(none)' : user.scopes.join(' ')
}

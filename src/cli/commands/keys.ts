/** `gatehouse keys generate`. */
// The light modules of the server layer, not its index: these commands must not load Fastify.
import { generateSigningKey } from '../../server/config.js'
import { UsageError, type CliIO } from '../io.js'

/**
 * Prints a new random 256-bit signing key, base64url-encoded, for GATEHOUSE_SIGNING_KEY.
 *
 * @example
 * await keysCommand(['generate'], io) // prints e.g. "m3V…Q\n"
 */
export async function keysCommand(args: string[], io: CliIO): Promise<number> {
  const [action, ...rest] = args
  if (action !== 'generate' || rest.length > 0) {
    throw new UsageError('Usage: gatehouse keys generate')
  }
  io.stdout.write(`${generateSigningKey()}\n`)
  return 0
}

/** Entry point of the `gatehouse` bin (bin/gatehouse.js loads it through tsx). */
import { processIO } from './io.js'
import { runCli } from './run.js'

process.exitCode = await runCli(process.argv.slice(2), processIO())

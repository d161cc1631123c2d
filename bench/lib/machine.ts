/**
 * A description of the machine a run measured, for the report.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { canPin } from './cores.js'
import { defaultTool } from './load.js'

/** Facts about the machine that belong next to the numbers. */
export interface MachineInfo {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryGiB: number
  readonly node: string
  readonly kernel: string
  readonly pinned: boolean
  readonly generator: string
  /** 1-minute load average when the run started: other work on the machine skews results. */
  readonly loadAverage: number
}

/** Reads the machine's facts. */
export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: readKernel(),
    pinned: canPin(),
    generator: defaultTool() === 'wrk' ? 'wrk (Debian)' : 'autocannon',
    loadAverage: loadavg()[0] ?? 0,
  }
}

function readKernel(): string {
  try {
    return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()
  } catch {
    return process.platform
  }
}

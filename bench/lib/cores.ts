/**
 * CPU pinning. The server under test runs on core 0 and the load generator on core 1 when
 * `taskset` exists and the machine has at least two cores; otherwise both run unpinned.
 */
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/** Where a process runs: a core list for `taskset -c`, or anywhere. */
export type Placement = 'server' | 'generator' | 'any'

let tasksetPath: string | null | undefined

function taskset(): string | null {
  if (tasksetPath !== undefined) return tasksetPath
  try {
    tasksetPath = execFileSync('which', ['taskset'], { encoding: 'utf8' }).trim() || null
  } catch {
    tasksetPath = null
  }
  return tasksetPath
}

/** True when server and generator can be pinned to different cores. */
export function canPin(): boolean {
  return availableParallelism() >= 2 && taskset() !== null
}

/** Wraps a command so it runs on the cores of its placement: `[file, args]`. */
export function placed(
  placement: Placement,
  file: string,
  args: readonly string[],
): [string, string[]] {
  const tool = taskset()
  if (placement === 'any' || tool === null || !canPin()) return [file, [...args]]
  const core = placement === 'server' ? '0' : '1'
  return [tool, ['-c', core, file, ...args]]
}

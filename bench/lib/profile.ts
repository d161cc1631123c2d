/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): the frames with the most self time, and self
 * time per package, so a report can say where a case spends its CPU.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

/** A frame and its share of the profile's samples. */
export interface FrameShare {
  readonly frame: string
  readonly share: number
}

/** Self time per frame and per package, largest first. */
export interface ProfileSummary {
  readonly name: string
  readonly frames: readonly FrameShare[]
  readonly packages: readonly FrameShare[]
}

/** Reads one profile and attributes each sample's time to its leaf frame. */
export function summarizeProfile(name: string, profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const frames = new Map<string, number>()
  const packages = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const micros = profile.timeDeltas[i] ?? 0
    if (node === undefined || node.callFrame.functionName === '(idle)') return
    total += micros
    add(frames, frameName(node), micros)
    add(packages, packageOf(node.callFrame.url, node.callFrame.functionName), micros)
  })
  return { name, frames: shares(frames, total, top), packages: shares(packages, total, top) }
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value)
}

function shares(map: Map<string, number>, total: number, top: number): FrameShare[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, micros]) => ({ frame, share: total === 0 ? 0 : micros / total }))
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  if (url === '') return functionName || '(anonymous)'
  const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')
  return `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`
}

function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg?.[1] !== undefined) return pkg[1]
  if (url.startsWith('node:')) return 'node: core'
  const own = /\/(src\/[^/]+|bench)\//.exec(url)
  return own?.[1] ?? url
}

/** Node's default profile name: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile. */
const MAIN_THREAD_PROFILE = /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/

/**
 * Formats the main-thread profile of every case directory under `dir` (one directory per server
 * run, named after the case), one block per case.
 */
export function summarizeProfiles(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const caseDir = join(dir, name)
      const main = readdirSync(caseDir).find((file) => MAIN_THREAD_PROFILE.test(file))
      if (main === undefined) return []
      const profile = JSON.parse(readFileSync(join(caseDir, main), 'utf8')) as CpuProfile // adapter: V8 format
      return [formatSummary(summarizeProfile(name, profile))]
    })
    .join('\n\n')
}

function formatSummary(summary: ProfileSummary): string {
  const pct = (s: number): string => `${(s * 100).toFixed(1).padStart(5)} %`
  return [
    `profile ${summary.name} (self time, idle excluded)`,
    '  by package:',
    ...summary.packages.slice(0, 8).map((p) => `    ${pct(p.share)}  ${p.frame}`),
    '  top frames:',
    ...summary.frames.map((f) => `    ${pct(f.share)}  ${f.frame}`),
  ].join('\n')
}

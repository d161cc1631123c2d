/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): the frames with the most self time, and self
 * time per package, so a report can say where a case spends its CPU.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProfileNode {
  readonly id: number
  readonly children?: readonly number[]
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

/** Self time per frame and per package, and inclusive time per package, largest first. */
export interface ProfileSummary {
  readonly name: string
  readonly frames: readonly FrameShare[]
  readonly packages: readonly FrameShare[]
  /** Share of samples with at least one frame of the package on the stack. */
  readonly inclusive: readonly FrameShare[]
}

/** Reads one profile and attributes each sample's time to its leaf frame. */
export function summarizeProfile(name: string, profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parents = parentMap(profile.nodes)
  const frames = new Map<string, number>()
  const packages = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)
    const micros = profile.timeDeltas[i] ?? 0
    if (node === undefined || node.callFrame.functionName === '(idle)') return
    total += micros
    add(frames, frameName(node), micros)
    add(packages, packageOf(node.callFrame.url, node.callFrame.functionName), micros)
    for (const pkg of stackPackages(node, byId, parents)) add(inclusive, pkg, micros)
  })
  return {
    name,
    frames: shares(frames, total, top),
    packages: shares(packages, total, top),
    inclusive: shares(inclusive, total, top),
  }
}

function parentMap(nodes: readonly ProfileNode[]): Map<number, number> {
  const parents = new Map<number, number>()
  for (const node of nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  return parents
}

/** The packages on a sample's stack, each once (our own layers and npm packages only). */
function stackPackages(
  leaf: ProfileNode,
  byId: ReadonlyMap<number, ProfileNode>,
  parents: ReadonlyMap<number, number>,
): Set<string> {
  const seen = new Set<string>()
  for (let node: ProfileNode | undefined = leaf; node !== undefined; node = byId.get(parents.get(node.id) ?? -1)) {
    const { url } = node.callFrame
    if (/node_modules\/|\/(src|bench)\//.test(url)) seen.add(packageOf(url, ''))
  }
  return seen
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

/**
 * Formats the main-thread profile of every case directory under `dir` (one directory per server
 * run, named after the case, holding `main.cpuprofile`), one block per case.
 */
export function summarizeProfiles(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'main.cpuprofile')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(dir, name, 'main.cpuprofile')
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile // adapter: V8 format
      return formatSummary(summarizeProfile(name, profile))
    })
    .join('\n\n')
}

function formatSummary(summary: ProfileSummary): string {
  const pct = (s: number): string => `${(s * 100).toFixed(1).padStart(5)} %`
  return [
    `profile ${summary.name} (self time, idle excluded)`,
    '  self time by package:',
    ...summary.packages.slice(0, 8).map((p) => `    ${pct(p.share)}  ${p.frame}`),
    '  inclusive time by package (on the stack):',
    ...summary.inclusive.slice(0, 10).map((p) => `    ${pct(p.share)}  ${p.frame}`),
    '  top frames:',
    ...summary.frames.map((f) => `    ${pct(f.share)}  ${f.frame}`),
  ].join('\n')
}

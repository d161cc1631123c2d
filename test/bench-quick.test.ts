/**
 * `npm run bench -- --quick` works: every case server starts, answers its check request and
 * survives a second of load, and every stage reports (no thresholds are asserted here; speed
 * goals live in the full bench and docs/benchmarks.md).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

function runQuickBench(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('npm run bench -- --quick', () => {
  it('runs every case and stage and writes .tmp/bench/quick.md', { timeout: 300_000 }, async () => {
    const { code, stderr } = await runQuickBench()
    assert.equal(code, 0, stderr.slice(-4000))
    const report = readFileSync(new URL('.tmp/bench/quick.md', `file://${ROOT}`), 'utf8')
    for (const heading of ['## Results', '## Targets']) assert.match(report, new RegExp(heading))
    assert.match(report, /\| \(5\) Gatehouse HS256 \+ revocation \+ user status \| \d+/)
  })
})

/**
 * `npm run bench -w @oneshot/verifier`: grades per second and p50/p99 latency
 * on full responses, in one process, for every mode.
 */
import type { VerifierMode } from "@oneshot/core"
import { grade } from "../src/index.ts"
import { corpus } from "./Corpus.ts"

const items = corpus()
const passes = Number(process.env["BENCH_PASSES"] ?? 3)
const modes: ReadonlyArray<VerifierMode> = ["strict", "deepscaler", "qwen-eval", "format"]

// Warm-up: one pass (JIT, the CAS start-up and first parses, the parse cache), reported separately.
const c0 = process.cpuUsage()
const w0 = performance.now()
for (const it of items) grade(it.response, it.gold)
const coldWall = (performance.now() - w0) / 1000
const coldCpu = process.cpuUsage(c0)

const load = (await import("node:os")).loadavg()[0]?.toFixed(1)
console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} CPUs, load average ${load}`)
console.log(`corpus: ${items.length} full responses (MATH500 + Minerva reference solutions, with reformatted/unboxed/wrong variants); ${passes} passes per mode`)
console.log(
  `cold first pass (strict, fresh process): ${Math.round(items.length / coldWall)} grades/s wall, ${Math.round(items.length / ((coldCpu.user + coldCpu.system) / 1e6))} grades/s CPU`
)
for (const mode of modes) {
  const times: Array<number> = []
  const cpuTimes: Array<number> = []
  let correct = 0
  const byVariant = new Map<string, { n: number; ok: number }>()
  const t0 = performance.now()
  for (let p = 0; p < passes; p++) {
    for (const it of items) {
      const c = process.cpuUsage()
      const t = performance.now()
      const g = grade(it.response, it.gold, { mode })
      times.push(performance.now() - t)
      const dc = process.cpuUsage(c)
      cpuTimes.push((dc.user + dc.system) / 1000)
      if (p === 0) {
        if (g.correct) correct++
        const v = byVariant.get(it.variant) ?? { n: 0, ok: 0 }
        byVariant.set(it.variant, { n: v.n + 1, ok: v.ok + (g.correct ? 1 : 0) })
      }
    }
  }
  const total = (performance.now() - t0) / 1000
  times.sort((a, b) => a - b)
  cpuTimes.sort((a, b) => a - b)
  const at = (xs: ReadonlyArray<number>, f: number) => (xs[Math.min(xs.length - 1, Math.floor(xs.length * f))] as number).toFixed(3)
  const q = (f: number) => at(times, f)
  const variants = [...byVariant].map(([k, v]) => `${k} ${v.ok}/${v.n}`).join(", ")
  console.log(
    `${mode.padEnd(10)} ${Math.round(times.length / total)} grades/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${q(1)} ms  (CPU time: ${Math.round(cpuTimes.length / (cpuTimes.reduce((a, b) => a + b, 0) / 1000))} grades/s, p50 ${at(cpuTimes, 0.5)} p99 ${at(cpuTimes, 0.99)} ms)  | correct: ${variants}`
  )
}

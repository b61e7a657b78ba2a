/**
 * Where sampling time goes on the world base model (a worker's share of the
 * organism step: 2 prompts × 8 rollouts, ≤ 240 tokens, temperature 0.6):
 * wall time, tokens, and per-kernel counts and times from `tf.profile`.
 *
 *   npx tsx bench/GenProfile.ts [--rows 16] [--reps 3] [--profile] [--shapes] [--simd]
 */
import * as tf from "@tensorflow/tfjs"
import { GenerateOptions } from "@oneshot/core"
import { Effect } from "effect"
import { loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { selectBackend } from "../src/Backend.ts"
import { loadCheckpoint } from "../src/Checkpoint.ts"
import { generateTokens } from "../src/Generate.ts"
import { useKernels } from "../src/KernelChoice.ts"
import { Runtime } from "../src/Model.ts"
import { weightsFromTensors } from "../src/Weights.ts"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt
}
const rows = Number(arg("rows", "16"))
const reps = Number(arg("reps", "3"))
const dir = join(fileURLToPath(new URL(".", import.meta.url)), "../../world/models/base")

const program = Effect.gen(function* () {
  yield* selectBackend("wasm")
  if (process.argv.includes("--simd")) useKernels("simd")
  const ck = yield* loadCheckpoint(dir)
  const w = weightsFromTensors(ck.config, ck.tensors, true)
  const rt = new Runtime(ck.config)
  const prompt = ck.tokenizer.promptIds("Q: Compute 2/3-2/7.\nA: ")
  const prompts = Array.from({ length: Math.max(1, rows / 8) }, () => prompt)
  const opts = (seed: number) => GenerateOptions.make({ n: Math.min(8, rows), temperature: 0.6, topP: 1, maxTokens: 240, stop: [], seed })
  console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(" ")}; prompt ${prompt.length} tokens, ${prompts.length}×${Math.min(8, rows)} rows`)
  generateTokens(ck.config, rt, w, ck.tokenizer, prompts, opts(99))
  const walls: Array<number> = []
  const cpus: Array<number> = []
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const out = generateTokens(ck.config, rt, w, ck.tokenizer, prompts, opts(r))
    const cu = process.cpuUsage(c0)
    const cpu = (cu.user + cu.system) / 1000
    const ms = performance.now() - t0
    walls.push(ms)
    cpus.push(cpu)
    const lens = out.flat().map((s) => s.tokenIds.length)
    const toks = lens.reduce((a, b) => a + b, 0)
    console.log(`rep ${r}: ${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms), ${toks} tokens (max ${Math.max(...lens)}), ${(toks / ms * 1000).toFixed(0)} tok/s, ${(ms / Math.max(...lens)).toFixed(2)} ms/step; hash ${out.flat().map((s) => s.tokenIds.join(",")).join("|").length}`)
  }
  const med = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(`${process.argv.includes("--simd") ? "simd" : "tfjs"}: wall min ${Math.min(...walls).toFixed(0)} median ${med(walls).toFixed(0)} ms; CPU min ${Math.min(...cpus).toFixed(0)} median ${med(cpus).toFixed(0)} ms`)
  if (process.argv.includes("--profile")) {
    const info = yield* Effect.promise(() => tf.profile(() => { generateTokens(ck.config, rt, w, ck.tokenizer, prompts, opts(0)) }))
    const by = new Map<string, { n: number; ms: number }>()
    for (const k of info.kernels) {
      const key = process.argv.includes("--shapes") ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name
      const e = by.get(key) ?? { n: 0, ms: 0 }
      e.n++
      e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0
      by.set(key, e)
    }
    console.log(`kernels: ${info.kernels.length}`)
    for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40)) console.log(`${name.padEnd(20)} ${String(e.n).padStart(7)} ${e.ms.toFixed(1).padStart(9)} ms`)
  }
})

Effect.runPromise(program).catch((e) => {
  console.error(e)
  process.exit(1)
})

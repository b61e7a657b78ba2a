/**
 * Where a micro-batch's score forward and forward+backward go on the world
 * base model (the organism update's shapes: 8 rows × ~170 positions):
 * wall time and per-kernel counts/times from `tf.profile`.
 *
 *   npx tsx bench/TrainProfile.ts [--rows 8] [--width 170] [--reps 3] [--profile] [--shapes] [--simd]
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { selectBackend } from "../src/Backend.ts"
import { loadCheckpoint } from "../src/Checkpoint.ts"
import { useKernels } from "../src/KernelChoice.ts"
import { Runtime, scoreForward } from "../src/Model.ts"
import { weightsFromTensors } from "../src/Weights.ts"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt
}
const B = Number(arg("rows", "8"))
const T = Number(arg("width", "170"))
const reps = Number(arg("reps", "3"))
const dir = join(fileURLToPath(new URL(".", import.meta.url)), "../../world/models/base")

const report = (info: Awaited<ReturnType<typeof tf.profile>>) => {
  const by = new Map<string, { n: number; ms: number }>()
  for (const k of info.kernels) {
    const key = process.argv.includes("--shapes") ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name
    const e = by.get(key) ?? { n: 0, ms: 0 }
    e.n++
    e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0
    by.set(key, e)
  }
  console.log(`kernels: ${info.kernels.length}, total ${[...by.values()].reduce((a, e) => a + e.ms, 0).toFixed(0)} ms`)
  for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) console.log(`${name.padEnd(50)} ${String(e.n).padStart(7)} ${e.ms.toFixed(1).padStart(9)} ms`)
}

const program = Effect.gen(function* () {
  yield* selectBackend("wasm")
  if (process.argv.includes("--simd")) useKernels("simd")
  const ck = yield* loadCheckpoint(dir)
  const w = weightsFromTensors(ck.config, ck.tensors, true)
  const rt = new Runtime(ck.config)
  let s = 1
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32)
  const tokens = Array.from({ length: B }, () => Array.from({ length: T }, () => 1 + Math.floor(rnd() * (ck.config.vocab_size - 1))))
  const fwd = () => tf.tidy(() => { const o = scoreForward(ck.config, rt, w, tokens, false, 0.6); o.logprobs.dataSync() })
  const fb = () => {
    const { value, grads } = tf.variableGrads(() => {
      const o = scoreForward(ck.config, rt, w, tokens, false, 0.6)
      return tf.add(tf.mean(o.logprobs), tf.mul(0.001, tf.mean(o.entropies))) as tf.Scalar
    }, [...w.transformer])
    value.dataSync()
    tf.dispose([value, ...Object.values(grads)])
  }
  console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(" ")}; ${B}×${T}`)
  fwd()
  fb()
  const cpuMs = (f: () => void): number => {
    const c0 = process.cpuUsage()
    f()
    const c = process.cpuUsage(c0)
    return (c.user + c.system) / 1000
  }
  const f: Array<number> = []
  const g: Array<number> = []
  for (let r = 0; r < reps; r++) {
    f.push(cpuMs(fwd))
    g.push(cpuMs(fb))
  }
  const med = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(`${process.argv.includes("--simd") ? "simd" : "tfjs"} CPU ms: forward min ${Math.min(...f).toFixed(0)} median ${med(f).toFixed(0)}; forward+backward min ${Math.min(...g).toFixed(0)} median ${med(g).toFixed(0)}`)
  if (process.argv.includes("--profile")) {
    console.log("forward:")
    report(yield* Effect.promise(() => tf.profile(fwd)))
    console.log("forward+backward:")
    report(yield* Effect.promise(() => tf.profile(fb)))
  }
})

Effect.runPromise(program).catch((e) => {
  console.error(e)
  process.exit(1)
})

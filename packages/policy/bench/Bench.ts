/**
 * Throughput of the policy on the active backend (ONESHOT_BACKEND, default
 * wasm): sampling tokens/s (KV cache, temperature 1, EOS ignored so every row
 * runs the full length) and training tokens/s (forward + backward + AdamW on
 * B×T tokens), for the presets and batch sizes RL uses, with numTensors
 * before/after. Reports wall time and process CPU time: on a shared machine
 * the CPU time is the better measure of what the code costs.
 *
 *   npm run bench -w @oneshot/policy -- [--sizes tiny,small,medium] [--batches 16,256]
 *     [--seq 128] [--prompt 16] [--steps 3] [--micro 16] [--skip-train-above 60000] [--out results.json]
 */
import * as tf from "@tensorflow/tfjs"
import { GenerateOptions } from "@oneshot/core"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { backendFromEnv, selectBackend } from "../src/Backend.ts"
import { generateTokens } from "../src/Generate.ts"
import { Runtime, scoreForward } from "../src/Model.ts"
import { type ModelPresetName, ModelPresets, parameterCount } from "../src/ModelConfig.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"
import { disposeWeights, initWeights } from "../src/Weights.ts"

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt
}
const sizes = arg("sizes", "tiny,small,medium").split(",") as Array<ModelPresetName>
const batches = arg("batches", "16,256").split(",").map(Number)
const seq = Number(arg("seq", "128"))
const promptLen = Number(arg("prompt", "16"))
const steps = Number(arg("steps", "3"))
/** Skip a training measurement when params × tokens exceeds this many millions (it would take minutes). */
const trainLimit = Number(arg("skip-train-above", "60000"))
const sampleLimit = Number(arg("skip-sample-above", "1000000"))
const out = arg("out", "")
/** Sequences per micro-batch for the tiny model (scaled down by width for larger ones). */
const micro = Number(arg("micro", "16"))

const timed = <A>(f: () => A): { value: A; wallMs: number; cpuMs: number } => {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = f()
  const cu = process.cpuUsage(c0)
  return { value, wallMs: performance.now() - t0, cpuMs: (cu.user + cu.system) / 1000 }
}

/**
 * AdamW (decoupled weight decay, then Adam) on gradients summed over
 * micro-batches: the wasm heap (≤ 4 GB) holds the activations of only a few
 * dozen 128-token sequences at once, so large RL batches are accumulated.
 */
const adamW = (lr: number, wd: number) => {
  const adam = tf.train.adam(lr, 0.9, 0.95, 1e-8)
  return {
    step: (vars: ReadonlyArray<tf.Variable>, losses: ReadonlyArray<() => tf.Scalar>) => {
      let total = 0
      let acc: Record<string, tf.Tensor> = {}
      for (const loss of losses) {
        const { value, grads } = tf.variableGrads(loss, [...vars])
        total += value.dataSync()[0]!
        value.dispose()
        if (Object.keys(acc).length === 0) acc = grads
        else {
          const next: Record<string, tf.Tensor> = {}
          for (const k of Object.keys(grads)) next[k] = tf.add(acc[k]!, grads[k]!)
          tf.dispose([...Object.values(acc), ...Object.values(grads)])
          acc = next
        }
      }
      tf.tidy(() => {
        for (const v of vars) if (v.shape.length === 2) v.assign(tf.mul(v, 1 - lr * wd))
      })
      adam.applyGradients(acc as Parameters<typeof adam.applyGradients>[0])
      tf.dispose(Object.values(acc))
      return total / losses.length
    },
    dispose: () => adam.dispose()
  }
}

const main = Effect.gen(function* () {
  const backend = yield* selectBackend(backendFromEnv())
  const results: Array<Record<string, unknown>> = []
  console.log(`backend ${backend}, ${cpus().length} cpus (${cpus()[0]?.model ?? "?"}), node ${process.version}`)
  for (const size of sizes) {
    const c = ModelPresets[size]
    const params = parameterCount(c)
    for (const B of batches) {
      const w = initWeights(c, 1)
      const rt = new Runtime(c)
      const row: Record<string, unknown> = { size, params, batch: B, seq, backend }
      const before = tf.memory().numTensors
      // Sampling: B prompts of promptLen tokens, seq - promptLen new tokens each.
      const newTokens = seq - promptLen
      if ((params / 1e6) * B * newTokens <= sampleLimit) {
        const prompts = Array.from({ length: B }, (_, b) => [1, ...CharTokenizer.encode(`${b} + ${b} = ?`.padEnd(promptLen - 1, " "))])
        const opts = new GenerateOptions({ temperature: 1, maxTokens: newTokens, seed: 1 })
        // Warm-up at the same batch (JIT, kernel setup), then the measured run.
        generateTokens(c, rt, w, CharTokenizer, prompts, new GenerateOptions({ temperature: 1, maxTokens: 8, seed: 2 }), { ignoreEos: true })
        // Best of `steps` runs (like the training step), so one-off JIT or GC pauses do not count.
        const runs = Array.from({ length: steps }, () => timed(() => generateTokens(c, rt, w, CharTokenizer, prompts, opts, { ignoreEos: true })))
        const g = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a))
        const n = g.value.flat().reduce((a, s) => a + s.tokenIds.length, 0)
        Object.assign(row, {
          sampleTokens: n,
          sampleWallS: +(g.wallMs / 1000).toFixed(3),
          sampleCpuS: +(g.cpuMs / 1000).toFixed(3),
          sampleTokPerS: Math.round((n / g.wallMs) * 1000),
          sampleTokPerCpuS: Math.round((n / g.cpuMs) * 1000)
        })
      }
      // Training: forward + backward + AdamW on B × seq tokens.
      if ((params / 1e6) * B * seq <= trainLimit) {
        const tokens = Array.from({ length: B }, (_, b) => Array.from({ length: seq }, (_, t) => 4 + ((b * 31 + t * 7) % 96)))
        const opt = adamW(1e-3, 0.01)
        const mb = Math.min(B, Math.max(1, Math.floor(micro * (ModelPresets.tiny.hidden_size / c.hidden_size))))
        const losses = Array.from({ length: Math.ceil(B / mb) }, (_, i) => {
          const part = tokens.slice(i * mb, (i + 1) * mb)
          return () => tf.mul(tf.neg(tf.mean(scoreForward(c, rt, w, part, false).logprobs)), part.length / B) as tf.Scalar
        })
        row["microBatch"] = mb
        opt.step(w.transformer, losses) // warm-up (creates Adam slots)
        const ts = Array.from({ length: steps }, () => timed(() => opt.step(w.transformer, losses)))
        const wall = Math.min(...ts.map((t) => t.wallMs))
        const cpu = Math.min(...ts.map((t) => t.cpuMs))
        Object.assign(row, {
          trainStepWallS: +(wall / 1000).toFixed(3),
          trainStepCpuS: +(cpu / 1000).toFixed(3),
          trainTokPerS: Math.round((B * seq) / (wall / 1000)),
          trainTokPerCpuS: Math.round((B * seq) / (cpu / 1000)),
          loss: +ts.at(-1)!.value.toFixed(4)
        })
        opt.dispose()
      }
      row["loadAvg1m"] = +loadavg()[0]!.toFixed(2)
      row["numTensorsBefore"] = before
      row["numTensorsAfter"] = tf.memory().numTensors
      disposeWeights(w)
      rt.dispose()
      results.push(row)
      console.log(JSON.stringify(row))
    }
  }
  if (out !== "") writeFileSync(out, JSON.stringify(results, null, 2) + "\n")
})

Effect.runPromise(main).catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})

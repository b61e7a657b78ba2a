/**
 * CPU time of one worker's share of the organism step (π1, 2 prompts × 8
 * rollouts ≤ 240 tokens, temperature 0.6; the 16 responses in two packed
 * micro-batches of 8; KL and entropy on), stage by stage, in process, with
 * the tfjs kernels (the historical path) and the SIMD kernels (what worker
 * replicas run). Single-threaded, so CPU time is the cost even on a busy
 * machine; each figure is the minimum (and median) of `--reps` runs.
 *
 *   npx tsx bench/WorkerShare.ts [--reps 5]
 */
import { GenerateOptions, Problem } from "@oneshot/core"
import { Policy, useKernels } from "@oneshot/policy"
import { Context, Effect, Layer } from "effect"
import { loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { decodeConfig } from "../src/Config.ts"
import { policySourceFor } from "../src/PolicySource.ts"
import { actorGradientsLocally, scoreLocally } from "../src/Replicas.ts"
import { microBatches, type Rollout, rowWidth, tokenRows } from "../src/StepBatch.ts"
import * as tf from "@tensorflow/tfjs"

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..")
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt
}
const reps = Number(arg("reps", "5"))

const cpu = <A>(f: () => A): [A, number] => {
  const c0 = process.cpuUsage()
  const a = f()
  const c = process.cpuUsage(c0)
  return [a, (c.user + c.system) / 1000]
}
const stats = (xs: Array<number>) => `min ${Math.min(...xs).toFixed(0)} median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0)} ms`

const program = Effect.gen(function* () {
  const config = yield* decodeConfig({ experiment: "x", seed: 0, model: { path: join(root, "packages/world/models/base") }, data: { train: join(root, "packages/world/data/world-train.jsonl"), ids: ["world-train/0114"], duplicateTo: 4, promptTemplate: "Q: {prompt}\nA: " }, actor: { microBatchSize: 16 }, rollout: { n: 8, temperature: 0.6, maxTokens: 240 }, trainer: { batchSize: 4, runDir: "/tmp/unused" } })
  const policy = Context.get(yield* Layer.build(policySourceFor(config)(undefined)), Policy)
  const reference = yield* policy.snapshot()
  const tok = policy.tokenizer
  const prompt = tok.promptIds("Q: Compute 2/3-2/7.\nA: ")
  const options = (seed: number) => GenerateOptions.make({ n: 8, temperature: 0.6, topP: 1, maxTokens: 240, stop: [], seed })
  const spec = { temperature: 0.6, loss: { pgCoef: 1, entropyCoef: 0.001, klCoef: 0.001, klEstimator: "k3" as const, aggregation: "token-mean" as const, clip: { clipLow: 0.2, clipHigh: 0.28 } } }
  console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`)
  for (const k of (process.argv.includes("--simd-only") ? ["simd"] : ["tfjs", "simd"]) as ReadonlyArray<"tfjs" | "simd">) {
    useKernels(k)
    const gen: Array<number> = []
    const ref: Array<number> = []
    const grad: Array<number> = []
    for (let r = 0; r < reps + 1; r++) {
      const [samples, g] = cpu(() => Effect.runSync(policy.generateIds([prompt, prompt], options(r))))
      const batch: Array<Rollout> = samples.flatMap((ss, row) =>
        ss.map((s) => ({ row, problem: Problem.make({ id: "p", prompt: "", answer: "", source: "t" }), prompt, response: s.tokenIds, text: s.text, truncated: false }))
      )
      const idx = batch.map((_, i) => i)
      const plan = microBatches(batch, idx, 8, { pack: true, fullT: rowWidth(batch, idx) })
      const jobs = plan.map((mb) => ({ batch: tokenRows(batch, mb.idx, mb.T, tok.padId), withValues: false, temperature: 0.6 }))
      const [scored, s] = cpu(() => scoreLocally(reference, jobs))
      const actorJobs = plan.map((mb, c) => ({
        batch: jobs[c]!.batch,
        refLogprobs: scored[c]!.logprobs,
        advantages: jobs[c]!.batch.responseMask.map((m, i) => m.map((x) => x * (i % 2 === 0 ? 1 : -1))),
        weight: mb.idx.length / batch.length
      }))
      const [grads, a] = cpu(() => actorGradientsLocally(policy, actorJobs, spec))
      tf.dispose(Object.values(grads.grads))
      // --grads-only N: N more gradient passes on this batch (for a profiler).
      for (let x = 0; x < Number(arg("grads-only", "0")); x++) tf.dispose(Object.values(actorGradientsLocally(policy, actorJobs, spec).grads))
      if (r === 0) continue
      gen.push(g)
      ref.push(s)
      grad.push(a)
      if (r === 1) console.log(`${k}: widths ${plan.map((mb) => mb.T).join(", ")}, ${batch.reduce((n, x) => n + x.response.length, 0)} response tokens`)
    }
    console.log(`${k}: gen ${stats(gen)}; ref ${stats(ref)}; actor gradients ${stats(grad)}`)
  }
})

Effect.runPromise(Effect.scoped(program)).catch((e) => {
  console.error(e)
  process.exit(1)
})

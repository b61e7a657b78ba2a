/**
 * Worker-thread replicas: jobs are balanced and partitioned, a worker
 * computes what the in-process policy computes, and a run with workers is
 * deterministic for its worker count.
 */
import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions, Problem } from "@oneshot/core"
import { Policy } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Context, Effect, FastCheck as fc, Layer } from "effect"
import { policySourceFor } from "../src/PolicySource.ts"
import { loadConfig } from "../src/Presets.ts"
import { type ActorJob, localReplicas } from "../src/Replicas.ts"
import { microBatches, type Rollout, rowWidth, tokenRows } from "../src/StepBatch.ts"
import { assignJobs, splitSizes, workerReplicas } from "../src/WorkerReplicas.ts"
import { tempDir } from "./support/Task.ts"
import { comparableRunLog, REFERENCE_RUNS } from "./support/ReferenceRuns.ts"

describe("job assignment", () => {
  it("partitions the jobs; loads differ by at most the largest job", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (costs, W) => {
        const plan = assignJobs(costs, W)
        expect(plan).toHaveLength(W)
        expect(plan.flat().sort((a, b) => a - b)).toEqual(costs.map((_, i) => i))
        for (const js of plan) expect(js).toEqual([...js].sort((a, b) => a - b))
        const loads = plan.map((js) => js.reduce((s, i) => s + costs[i]!, 0))
        expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.max(0, ...costs))
      })
    )
  })

  it("splitSizes: blocks that sum to the total and differ by at most one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 8 }), (total, parts) => {
        const s = splitSizes(total, parts)
        expect(s.reduce((a, b) => a + b, 0)).toBe(total)
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1)
      })
    )
  })
})

describe("worker replicas", () => {
  it.scoped("score as the in-process policy (the workers' SIMD kernels: up to float rounding), and sum gradients to its gradient", () =>
    Effect.gen(function* () {
      const config = yield* loadConfig({ preset: "demo-next-digit", sets: ["rollout.maxTokens=8", `trainer.runDir=${tempDir("wr")}`] })
      const policy = Context.get(yield* Layer.build(policySourceFor(config)(undefined)), Policy)
      const local = localReplicas(policy, undefined)
      const workers = yield* workerReplicas(2)({ config, policy, reference: undefined })
      const prompts = [[policy.tokenizer.bosId, 3], [policy.tokenizer.bosId, 7]]
      const samples = yield* local.generateIds(prompts, GenerateOptions.make({ n: 6, temperature: 1, maxTokens: 8, seed: 5 }))
      const batch: Array<Rollout> = samples.flatMap((ss, row) =>
        ss.map((s) => ({ row, problem: Problem.make({ id: String(row), prompt: "", answer: "", source: "t" }), prompt: prompts[row]!, response: s.tokenIds, text: s.text, truncated: false }))
      )
      const idx = batch.map((_, i) => i)
      const plan = microBatches(batch, idx, 3, { pack: true, fullT: rowWidth(batch, idx) })
      const scoreJobs = plan.map((mb) => ({ batch: tokenRows(batch, mb.idx, mb.T, policy.tokenizer.padId), withValues: false, temperature: 1 }))
      const got = yield* workers.score("policy", scoreJobs)
      const want = yield* local.score("policy", scoreJobs)
      expect(got.length).toBe(want.length)
      want.forEach((w, j) => w.logprobs.forEach((row, r) => row.forEach((x, t) => expect(Math.abs(got[j]!.logprobs[r]![t]! - x)).toBeLessThan(1e-4))))

      const jobs: Array<ActorJob> = plan.map((mb) => ({
        batch: tokenRows(batch, mb.idx, mb.T, policy.tokenizer.padId),
        advantages: mb.idx.map((i) => new Array<number>(mb.T).fill(0).map((_, t) => (t >= 2 ? (i % 3) - 1 : 0))),
        weight: mb.idx.length / batch.length
      }))
      const spec = { temperature: 1, loss: { pgCoef: 1, entropyCoef: 0.01, klCoef: 0, klEstimator: "k3" as const, aggregation: "token-mean" as const, clip: { clipLow: 0.2, clipHigh: 0.2 } } }
      const a = yield* local.actorGradients(jobs, spec)
      const b = yield* workers.actorGradients(jobs, spec)
      expect(Object.keys(b.grads).sort()).toEqual(Object.keys(a.grads).sort())
      for (const [name, g] of Object.entries(a.grads)) {
        const x = g.dataSync()
        const y = b.grads[name]!.dataSync()
        const scale = Math.max(1e-6, ...Array.from(x, Math.abs))
        for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!) / scale).toBeLessThan(1e-5)
      }
      expect(b.loss).toBeCloseTo(a.loss, 6)
      tf.dispose([...Object.values(a.grads), ...Object.values(b.grads)])
    }),
    { timeout: 300_000 }
  )

  it.effect("a run on two workers is deterministic (PPO: scoring, critic and actor on the workers)", () =>
    Effect.gen(function* () {
      const run = REFERENCE_RUNS.find((r) => r.name === "transformer-ppo")!
      const options = { replicas: workerReplicas(2), skipRedundant: true, pack: true }
      const first = comparableRunLog(yield* run.run(tempDir("det1"), options))
      const second = comparableRunLog(yield* run.run(tempDir("det2"), options))
      expect(second).toBe(first)
      expect(first).toContain("critic/vf_loss")
    }),
    { timeout: 300_000 } // four worker start-ups on a shared 2-core machine
  )
})

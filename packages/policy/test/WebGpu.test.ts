/**
 * The WebGPU backend on a real GPU: score equals the independent float64
 * reference, cached sampling runs, no tensors leak. Skipped (and the suite
 * title says why) on machines without a GPU adapter, such as CI.
 */
import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { selectBackend } from "../src/Backend.ts"
import { weightsToNamed } from "../src/Checkpoint.ts"
import { makePolicy } from "../src/PolicyLive.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"
import { initWeights } from "../src/Weights.ts"
import { micro, rows } from "./fixtures.ts"
import { naiveScore } from "./Naive.ts"

const probe = await Effect.runPromise(Effect.either(selectBackend("webgpu")))
const noGpu = probe._tag === "Left" ? `skipped: needs a GPU adapter (${probe.left.message})` : "on this machine's GPU"
if (probe._tag === "Left") console.warn(`WebGpu.test.ts: webgpu backend tests ${noGpu}`)

describe.skipIf(probe._tag === "Left")(`webgpu backend — ${noGpu}`, () => {
  it.effect("score matches the float64 reference; sampling runs; numTensors unchanged", () =>
    Effect.gen(function* () {
      expect(tf.getBackend()).toBe("webgpu")
      const w = initWeights(micro, 5)
      for (const [name, v] of w.byName) {
        if (!name.includes("norm") && !name.startsWith("value_head")) v.assign(tf.tidy(() => tf.mul(v, 10)))
      }
      const policy = makePolicy(micro, CharTokenizer, w)
      const named = new Map(weightsToNamed(micro, w))
      const tokens = rows(2, 10)
      const before = tf.memory().numTensors
      const s = yield* policy.score({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })
      for (let b = 0; b < 2; b++) {
        const ref = naiveScore(micro, named, tokens[b]!)
        for (let t = 0; t < 10; t++) expect(s.logprobs[b]![t]!).toBeCloseTo(ref.logprobs[t]!, 2)
      }
      const out = yield* policy.generate(["1+1="], new GenerateOptions({ n: 4, temperature: 1, maxTokens: 16, seed: 3 }))
      expect(out[0]!.length).toBe(4)
      expect(tf.memory().numTensors).toBe(before)
      yield* policy.dispose
    })
  )
})

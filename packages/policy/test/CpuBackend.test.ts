/** The same model on the `cpu` backend, where the KV cache grows by concat (no in-place heap writes). */
import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { beforeAll } from "vitest"
import { selectBackend } from "../src/Backend.ts"
import { weightsToNamed } from "../src/Checkpoint.ts"
import { makePolicy } from "../src/PolicyLive.ts"
import { makeRng, pickToken } from "../src/Sampler.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"
import { initWeights } from "../src/Weights.ts"
import { micro, rows } from "./fixtures.ts"
import { naiveLogits, naiveScore } from "./Naive.ts"

beforeAll(async () => {
  await Effect.runPromise(selectBackend("cpu"))
})

describe("model on the cpu backend", () => {
  it.effect("scores like the float64 reference; cached sampling equals no-cache sampling; no leaks", () =>
    Effect.gen(function* () {
      expect(tf.getBackend()).toBe("cpu")
      const w = initWeights(micro, 21)
      for (const [name, v] of w.byName) if (!name.includes("norm") && !name.startsWith("value_head")) v.assign(tf.mul(v, 10))
      const policy = makePolicy(micro, CharTokenizer, w)
      const named = new Map(weightsToNamed(micro, w))
      const tokens = rows(2, 8)
      const s = yield* policy.score({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })
      const ref = naiveScore(micro, named, tokens[1]!)
      for (let t = 0; t < 8; t++) expect(s.logprobs[1]![t]!).toBeCloseTo(ref.logprobs[t]!, 3)
      const before = tf.memory().numTensors
      const prompts = [[1, 40, 41, 42], [1, 50]]
      const out = yield* policy.generateIds(prompts, new GenerateOptions({ n: 2, temperature: 1, maxTokens: 8, seed: 4, stop: ["e", " "] }))
      expect(tf.memory().numTensors).toBe(before)
      out.forEach((samples, i) =>
        samples.forEach((sample, j) => {
          const rng = makeRng(4, i * 2 + j)
          const seq = [...prompts[i]!]
          const ids: Array<number> = []
          for (let step = 0; step < sample.tokenIds.length; step++) {
            const tok = pickToken(naiveLogits(micro, named, seq).at(-1)!, 1, 1, rng)
            ids.push(tok)
            seq.push(tok)
          }
          expect(sample.tokenIds).toEqual(ids)
        })
      )
      yield* policy.dispose
    })
  )
})

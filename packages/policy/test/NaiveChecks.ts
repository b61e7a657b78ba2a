/** Checks against the float64 naive model (`Naive.ts`) shared by the tfjs-path and SIMD-path tests. */
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import { weightsToNamed } from "../src/Checkpoint.ts"
import type { ModelConfig } from "../src/ModelConfig.ts"
import type { PolicyShape } from "../src/Policy.ts"
import type { Weights } from "../src/Weights.ts"
import { rows } from "./fixtures.ts"
import { naiveScore } from "./Naive.ts"

/** Every position of a batch scored (no mask). */
export const full = (tokens: Array<Array<number>>) => ({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })

/** Log-probs and entropies of 3 rows × 12 tokens equal the naive model's to 3 decimals; disposes the policy. */
export const expectScoreMatchesNaive = (config: ModelConfig, w: Weights, policy: PolicyShape) =>
  Effect.gen(function* () {
    const named = new Map(weightsToNamed(config, w))
    const tokens = rows(3, 12)
    const s = yield* policy.score(full(tokens))
    for (let b = 0; b < 3; b++) {
      const ref = naiveScore(config, named, tokens[b]!)
      for (let t = 0; t < 12; t++) {
        expect(s.logprobs[b]![t]!).toBeCloseTo(ref.logprobs[t]!, 3)
        expect(s.entropies[b]![t]!).toBeCloseTo(ref.entropies[t]!, 3)
      }
    }
    yield* policy.dispose
  })

import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Backend } from "../src/Backend.ts"
import { Policy } from "../src/Policy.ts"
import { PolicyLive } from "../src/PolicyLive.ts"
import { micro, rows } from "./fixtures.ts"

const live = Layer.provideMerge(PolicyLive.init(micro, { seed: 11 }), Backend.wasm)

/** log-sum-exp over a row of log-probs rescaled by 1/T, to renormalise at another temperature. */
const renormalised = (lpAtT1: ReadonlyArray<number>, t: number): Array<number> => {
  const scaled = lpAtT1.map((x) => x / t)
  const m = Math.max(...scaled)
  const lse = m + Math.log(scaled.reduce((a, x) => a + Math.exp(x - m), 0))
  return scaled.map((x) => x - lse)
}

describe("score at a temperature (verl scores the actor at the rollout temperature)", () => {
  it.effect("temperature 1 is the default; a very high temperature gives entropy ≈ log V", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const tokens = rows(2, 9)
      const batch = { tokens, responseMask: tokens.map((r) => r.map(() => 1)) }
      const a = yield* p.score(batch)
      const b = yield* p.score(batch, { temperature: 1 })
      expect(b.logprobs).toEqual(a.logprobs)
      const hot = yield* p.score(batch, { temperature: 1e4 })
      for (const row of hot.entropies) for (const e of row.slice(1)) expect(e).toBeCloseTo(Math.log(100), 3)
    }).pipe(Effect.provide(live))
  )

  it.effect("log p_T(x) = log softmax(logits / T): consistent with the T = 1 distribution renormalised", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      // Score every possible next token after one prefix: the T=1 log-probs of all V continuations
      // give the logits up to a constant, from which the T=0.6 log-probs follow.
      const prefix = [1, 20, 30, 40]
      const tokens = Array.from({ length: 100 }, (_, v) => [...prefix, v])
      const batch = { tokens, responseMask: tokens.map((r) => r.map(() => 1)) }
      const t1 = (yield* p.score(batch)).logprobs.map((r) => r[4]!)
      const t06 = (yield* p.score(batch, { temperature: 0.6 })).logprobs.map((r) => r[4]!)
      const expected = renormalised(t1, 0.6)
      for (let v = 0; v < 100; v++) expect(t06[v]!).toBeCloseTo(expected[v]!, 4)
    }).pipe(Effect.provide(live))
  )

  it.effect("a non-positive temperature is refused with a clear error", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const tokens = rows(1, 4)
      const r = yield* Effect.either(p.score({ tokens, responseMask: tokens.map((x) => x.map(() => 1)) }, { temperature: 0 }))
      expect(r._tag).toBe("Left")
      expect(String(r._tag === "Left" ? r.left.message : "")).toMatch(/temperature/)
    }).pipe(Effect.provide(live))
  )
})

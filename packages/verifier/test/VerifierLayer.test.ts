import { describe, expect, it } from "@effect/vitest"
import { Verifier } from "@oneshot/core"
import { Effect } from "effect"
import { VerifierLive, VerifierTest } from "../src/index.ts"

describe("Verifier service", () => {
  it.effect("VerifierLive grades one and many", () =>
    Effect.gen(function* () {
      const v = yield* Verifier
      const g = yield* v.grade("so $\\boxed{\\frac{1}{2}}$", "0.5")
      expect(g.correct).toBe(true)
      expect(g.extracted).toBe("\\frac{1}{2}")
      const gs = yield* v.gradeBatch(
        [
          { response: "\\boxed{3}", gold: "3" },
          { response: "\\boxed{4}", gold: "3" },
          { response: "nothing", gold: "3" }
        ],
        { mode: "deepscaler" }
      )
      expect(gs.map((x) => x.correct)).toEqual([true, false, false])
      expect(gs.every((x) => x.mode === "deepscaler")).toBe(true)
    }).pipe(Effect.provide(VerifierLive))
  )
  it.effect("VerifierTest is deterministic and simple", () =>
    Effect.gen(function* () {
      const v = yield* Verifier
      const g = yield* v.grade("the result is 42", "42")
      expect(g.correct).toBe(true)
      expect(g.extracted).toBe("42")
      const gs = yield* v.gradeBatch([{ response: "", gold: "1" }], { mode: "format" })
      expect(gs[0]?.correct).toBe(false)
    }).pipe(Effect.provide(VerifierTest))
  )
})

import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { decodeConfig } from "@oneshot/trainer/Config"
import { Effect } from "effect"
import { roundWinner, SWEEP_ROUNDS, sweepConfig, sweepRunName, sweepScore, tieMargin } from "../src/Sweep.ts"
import selection from "../experiments/selection.json" with { type: "json" }

const score = fc.double({ min: 0, max: 1, noNaN: true })

describe("the sweep's decision rule", () => {
  it("picks a value within one standard error of the best, and no earlier value is", () => {
    fc.assert(
      fc.property(fc.array(score, { minLength: 1, maxLength: 5 }), (scores) => {
        const round = scores.map((s, i) => [i, s] as const)
        const w = roundWinner(round)
        const best = Math.max(...scores)
        expect(scores[w]!).toBeGreaterThanOrEqual(best - tieMargin(best))
        for (let i = 0; i < w; i++) expect(scores[i]!).toBeLessThan(best - tieMargin(best))
      })
    )
  })
  it("a clear winner wins; a near-tie goes to the earlier value", () => {
    expect(roundWinner([[5e-5, 0.2], [1e-4, 0.3], [2e-4, 0.25]])).toBe(1e-4)
    expect(roundWinner([[5e-5, 0.29], [1e-4, 0.3]])).toBe(5e-5)
  })
  it("a run's score needs every scored step", () => {
    expect(sweepScore(new Map([[40, 0.2], [50, 0.3]]))).toBeUndefined()
    expect(sweepScore(new Map([[40, 0.2], [50, 0.3], [60, 0.4], [10, 0.9]]))).toBeCloseTo(0.3)
  })
  it("every sweep run decodes as a trainer config scored on world-val, one name per point", async () => {
    const names = new Set<string>()
    const points = new Set<string>()
    for (const round of SWEEP_ROUNDS) {
      for (const v of round.values) {
        const p = round.set({ lr: 1e-4, entropyCoef: 0.001, n: 8 }, v)
        const c = await Effect.runPromise(decodeConfig(sweepConfig(p, selection, "/base", "/run"), "sweep"))
        expect(c.eval.benchmarks).toEqual(["world-val"])
        expect(c.rollout.n * c.trainer.batchSize).toBeGreaterThanOrEqual(64)
        expect(c.actor.optimizer.lr).toBe(p.lr)
        expect(c.actor.entropyCoef).toBe(p.entropyCoef)
        names.add(sweepRunName(p))
        points.add(JSON.stringify(p))
      }
    }
    // A point shared by two rounds (a round's winner is the next round's first candidate) is one run.
    expect(names.size).toBe(points.size)
  })
})

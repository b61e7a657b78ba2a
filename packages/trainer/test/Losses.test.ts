import { describe, expect, it } from "@effect/vitest"
import * as tf from "@tensorflow/tfjs"
import { FastCheck as fc } from "effect"
import { actorLoss, actorLossTensor, padRagged } from "../src/ActorLoss.ts"
import { klPenalty, klPenaltyTensor } from "../src/Kl.ts"
import { aggregate, aggregateTensor } from "../src/LossAggregation.ts"
import { clippedSurrogate, unclippedSurrogate } from "../src/PolicyLoss.ts"

const lp = fc.double({ min: -8, max: 0, noNaN: true })
const adv = fc.double({ min: -5, max: 5, noNaN: true })
const clip = fc.record({
  clipLow: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  clipHigh: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  clipRatioC: fc.option(fc.double({ min: 1.5, max: 10, noNaN: true }), { nil: undefined })
})

describe("clipped surrogate", () => {
  it("the clipped objective never exceeds the unclipped one", () => {
    fc.assert(fc.property(lp, lp, adv, clip, (a, b, A, c) => {
      const clipped = -clippedSurrogate(a, b, A, { clipLow: c.clipLow, clipHigh: c.clipHigh }).loss
      expect(clipped).toBeLessThanOrEqual(-unclippedSurrogate(a, b, A) + 1e-12)
    }))
  })
  it("equals −A when the policy has not moved (ratio 1), whatever the clip ranges", () => {
    fc.assert(fc.property(lp, adv, clip, (a, A, c) => {
      expect(clippedSurrogate(a, a, A, c).loss).toBeCloseTo(-A, 12)
    }))
  })
  it("clip-higher: a positive-advantage token is clipped at 1 + ε_high, not 1 + ε_low", () => {
    const r = clippedSurrogate(Math.log(1.25), 0, 1, { clipLow: 0.2, clipHigh: 0.28 })
    expect(r.loss).toBeCloseTo(-1.25, 12)
    expect(r.clipped).toBe(false)
    const s = clippedSurrogate(Math.log(1.25), 0, 1, { clipLow: 0.2 })
    expect(s.loss).toBeCloseTo(-1.2, 12)
  })
  it("dual-clip bounds the loss of negative-advantage tokens by −c·A", () => {
    const r = clippedSurrogate(Math.log(10), 0, -1, { clipRatioC: 3 })
    expect(r.loss).toBeCloseTo(3, 12)
    expect(r.dualClipped).toBe(true)
    expect(clippedSurrogate(Math.log(10), 0, -1).loss).toBeCloseTo(10, 12)
  })
})

describe("KL estimators", () => {
  it("k3 ≥ 0 and = 0 iff the log-probs are equal", () => {
    fc.assert(fc.property(lp, lp, (a, b) => {
      const k = klPenalty(a, b, "k3")
      expect(k).toBeGreaterThanOrEqual(0)
      if (a === b) expect(k).toBe(0)
      else if (Math.abs(a - b) > 1e-4) expect(k).toBeGreaterThan(0)
    }))
  })
  it("k3 is clamped to 10 as verl's low_var_kl", () => {
    expect(klPenalty(-30, 0, "k3")).toBe(10)
    expect(klPenalty(0, -30, "k3")).toBe(10)
  })
  it("k1, k2, abs", () => {
    expect(klPenalty(-1, -3, "k1")).toBe(2)
    expect(klPenalty(-3, -1, "abs")).toBe(2)
    expect(klPenalty(-1, -3, "k2")).toBe(2)
  })
  it("tensor versions agree with the arrays", () => {
    const a = [-0.1, -2, -5, -0.5]
    const b = [-0.3, -1, -5, -4]
    for (const e of ["k1", "abs", "k2", "k3"] as const) {
      const t = klPenaltyTensor(tf.tensor1d(a), tf.tensor1d(b), e).arraySync() as Array<number>
      t.forEach((x, i) => expect(x).toBeCloseTo(klPenalty(a[i]!, b[i]!, e), 4))
    }
  })
})

describe("loss aggregation", () => {
  const rows = (len: number) => fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: len, maxLength: len }), { minLength: 1, maxLength: 6 })
  it("modes agree when all lengths are equal (token-sum = length × token-mean)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((L) => rows(L).map((r) => [L, r] as const)), ([L, r]) => {
      const tm = aggregate(r, "token-mean")
      expect(aggregate(r, "seq-mean-token-mean")).toBeCloseTo(tm, 9)
      expect(aggregate(r, "seq-mean-token-sum")).toBeCloseTo(L * tm, 9)
    }))
  })
  it("differ on ragged lengths as verl's agg_loss, and the tensor version matches", () => {
    const r = [[1, 1, 1, 1], [0]]
    expect(aggregate(r, "token-mean")).toBeCloseTo(0.8)
    expect(aggregate(r, "seq-mean-token-mean")).toBeCloseTo(0.5)
    expect(aggregate(r, "seq-mean-token-sum")).toBeCloseTo(2)
    const { mask, values } = padRagged(r)
    for (const m of ["token-mean", "seq-mean-token-mean", "seq-mean-token-sum"] as const) {
      expect(aggregateTensor(values, mask, m).arraySync()).toBeCloseTo(aggregate(r, m), 5)
    }
  })
})

describe("actor loss", () => {
  it("tensor and array versions agree, term by term", () => {
    const logprobs = [[-0.5, -1.2, -0.1], [-2.0, -0.3]]
    const oldLogprobs = [[-0.6, -1.0, -0.1], [-1.5, -0.9]]
    const refLogprobs = [[-0.7, -1.1, -0.2], [-2.2, -0.4]]
    const advantages = [[1, 1, 1], [-0.5, -0.5]]
    const entropies = [[0.9, 1.1, 0.2], [1.5, 0.4]]
    for (const aggregation of ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean"] as const) {
      const config = { pgCoef: 1, entropyCoef: 0.001, klCoef: 0.001, klEstimator: "k3", aggregation, clip: { clipLow: 0.2, clipHigh: 0.28, clipRatioC: 3 } } as const
      const ref = actorLoss({ logprobs, oldLogprobs, refLogprobs, advantages, entropies }, config)
      const p = (x: typeof logprobs) => padRagged(x).values
      const t = actorLossTensor({ logprobs: p(logprobs), oldLogprobs: p(oldLogprobs), refLogprobs: p(refLogprobs), advantages: p(advantages), entropies: p(entropies), mask: padRagged(logprobs).mask }, config)
      expect(t.loss.arraySync()).toBeCloseTo(ref.loss, 5)
      expect(t.pgLoss.arraySync()).toBeCloseTo(ref.pgLoss, 5)
      expect(t.klLoss.arraySync()).toBeCloseTo(ref.klLoss, 5)
      expect(t.entropy.arraySync()).toBeCloseTo(ref.entropy, 5)
      expect(t.clipfrac.arraySync()).toBeCloseTo(ref.clipfrac, 5)
      expect(t.ppoKl.arraySync()).toBeCloseTo(ref.ppoKl, 5)
    }
  })
  it("pgCoef 0 leaves only the regularisers (Table 5's 'policy gradient off')", () => {
    const r = actorLoss({ logprobs: [[-1]], oldLogprobs: [[-1]], refLogprobs: [[-1]], advantages: [[5]], entropies: [[2]] }, { pgCoef: 0, entropyCoef: 0.5, klCoef: 1, klEstimator: "k3", aggregation: "token-mean", clip: {} })
    expect(r.loss).toBeCloseTo(-1, 12)
  })
})

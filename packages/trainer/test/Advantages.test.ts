import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { gae, grpoAdvantages, drGrpoAdvantages, rlooAdvantages, unbiasedStd, whiten } from "../src/Advantages.ts"

/** Groups of 2..8 rewards each, flattened with their group ids. */
const groups = fc
  .array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 6 })
const flatten = (gs: ReadonlyArray<ReadonlyArray<number>>) => ({
  rewards: gs.flat(),
  ids: gs.flatMap((g, i) => g.map(() => i))
})
const sums = (xs: ReadonlyArray<number>, ids: ReadonlyArray<number>) => {
  const out = new Map<number, number>()
  xs.forEach((x, i) => out.set(ids[i]!, (out.get(ids[i]!) ?? 0) + x))
  return [...out.values()]
}

describe("GRPO advantages", () => {
  it("match verl on a worked example (unbiased std, 1e-6 epsilon)", () => {
    // rewards [1, 0, 0, 0]: mean 0.25, unbiased std = sqrt(0.75/3) = 0.5
    const a = grpoAdvantages([1, 0, 0, 0], ["u", "u", "u", "u"])
    expect(a[0]).toBeCloseTo(0.75 / (0.5 + 1e-6), 12)
    expect(a[1]).toBeCloseTo(-0.25 / (0.5 + 1e-6), 12)
    expect(unbiasedStd([1, 0, 0, 0])).toBeCloseTo(0.5, 15)
  })
  it("a group of one gets mean 0 and std 1 (verl)", () => {
    expect(grpoAdvantages([0.7], ["x"])[0]).toBeCloseTo(0.7 / (1 + 1e-6), 12)
  })
  it("sum to 0 in every group", () => {
    fc.assert(fc.property(groups, (gs) => {
      const { ids, rewards } = flatten(gs)
      for (const s of sums(grpoAdvantages(rewards, ids), ids)) expect(Math.abs(s)).toBeLessThan(1e-6)
    }))
  })
  it("do not change when a constant is added to a group's rewards", () => {
    fc.assert(fc.property(groups, fc.double({ min: -5, max: 5, noNaN: true }), (gs, c) => {
      const { ids, rewards } = flatten(gs)
      const a = grpoAdvantages(rewards, ids)
      const b = grpoAdvantages(rewards.map((r) => r + c), ids)
      a.forEach((x, i) => expect(b[i]).toBeCloseTo(x, 6))
    }))
  })
  it("are invariant to positive scaling up to the epsilon", () => {
    // integer rewards, like verifiable 0/1 rewards: a group's std is 0 or at least ~0.35
    const intGroups = fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 6 })
    fc.assert(fc.property(intGroups, fc.double({ min: 0.5, max: 20, noNaN: true }), (gs, k) => {
      const { ids, rewards } = flatten(gs)
      const a = grpoAdvantages(rewards, ids, { epsilon: 0 })
      const b = grpoAdvantages(rewards.map((r) => r * k), ids, { epsilon: 0 })
      a.forEach((x, i) => {
        if (Number.isFinite(x)) expect(Math.abs(b[i]! - x)).toBeLessThan(1e-6 * (1 + Math.abs(x)))
      })
      // with the epsilon, the difference is bounded by ε/std relative error
      const ae = grpoAdvantages(rewards, ids)
      const be = grpoAdvantages(rewards.map((r) => r * k), ids)
      ae.forEach((x, i) => expect(Math.abs(be[i]! - x)).toBeLessThan(1e-3 * (1 + Math.abs(x))))
    }), { numRuns: 100 })
  })
  it("are all 0 when a group's rewards are equal", () => {
    fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: 2, max: 16 }), (r, n) => {
      for (const a of grpoAdvantages(Array(n).fill(r), Array(n).fill("g"))) expect(a).toBe(0)
    }))
  })
  it("Dr. GRPO is the mean-centred reward", () => {
    expect(drGrpoAdvantages([1, 0, 0, 1], [0, 0, 1, 1])).toEqual([0.5, -0.5, -0.5, 0.5])
  })
})

describe("RLOO", () => {
  it("leave-one-out identity: A_i = r_i − mean of the others", () => {
    fc.assert(fc.property(groups, (gs) => {
      const { ids, rewards } = flatten(gs)
      const a = rlooAdvantages(rewards, ids)
      rewards.forEach((r, i) => {
        const others = rewards.filter((_, j) => j !== i && ids[j] === ids[i])
        const baseline = others.reduce((s, x) => s + x, 0) / others.length
        expect(a[i]).toBeCloseTo(r - baseline, 9)
      })
    }))
  })
})

describe("GAE", () => {
  it("with γ = λ = 1 equals reward-to-go returns minus values", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 20 }), (pairs) => {
      const rs = pairs.map((p) => p[0])
      const vs = pairs.map((p) => p[1])
      const { advantages, returns } = gae(rs, vs, 1, 1)
      rs.forEach((_, t) => {
        const rtg = rs.slice(t).reduce((s, x) => s + x, 0)
        expect(advantages[t]).toBeCloseTo(rtg - vs[t]!, 9)
        expect(returns[t]).toBeCloseTo(rtg, 9)
      })
    }))
  })
  it("with λ = 0 is the one-step TD error", () => {
    const { advantages } = gae([0, 0, 1], [0.5, 0.2, 0.4], 0.9, 0)
    expect(advantages[0]).toBeCloseTo(0 + 0.9 * 0.2 - 0.5, 12)
    expect(advantages[2]).toBeCloseTo(1 - 0.4, 12)
  })
  it("whitening gives mean 0 and unbiased variance 1", () => {
    const w = whiten([[1, 2, 3], [4, 10]]).flat()
    const m = w.reduce((s, x) => s + x, 0) / w.length
    expect(m).toBeCloseTo(0, 9)
    expect(unbiasedStd(w)).toBeCloseTo(1, 6)
  })
  it("rejects mismatched lengths naming the inputs", () => {
    expect(() => gae([1, 2], [1], 1, 1)).toThrow(/tokenRewards and values/)
    expect(() => grpoAdvantages([1, 2], ["a"])).toThrow(/rewards and groupIds/)
  })
})

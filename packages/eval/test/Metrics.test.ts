import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  avgAtK,
  countCorrect,
  groupAccuracy,
  hasBoxed,
  hasReflection,
  majAtK,
  passAtK,
  reflectionWordCount,
  sixBenchmarkAverage
} from "../src/Metrics.ts"

/** n ≥ 1 samples with c correct. */
const nc = fc.integer({ min: 1, max: 64 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n })))

/** Exact 1 - C(n-c,k)/C(n,k) with bigints, for small n. */
const binom = (n: number, k: number): bigint => {
  if (k < 0 || k > n) return 0n
  let r = 1n
  for (let i = 0; i < k; i++) r = (r * BigInt(n - i)) / BigInt(i + 1)
  return r
}

describe("passAtK", () => {
  it("equals the mean (c/n) at k = 1", () => {
    fc.assert(fc.property(nc, ([n, c]) => Math.abs(passAtK(n, c, 1) - c / n) < 1e-12))
  })
  it("is monotone non-decreasing in k", () => {
    fc.assert(
      fc.property(nc, ([n, c]) => {
        for (let k = 1; k < n; k++) if (passAtK(n, c, k + 1) < passAtK(n, c, k) - 1e-12) return false
        return true
      })
    )
  })
  it("is 1 when every sample is correct and 0 when none is", () => {
    fc.assert(
      fc.property(nc, ([n]) => {
        for (let k = 1; k <= n; k++) if (passAtK(n, n, k) !== 1 || passAtK(n, 0, k) !== 0) return false
        return true
      })
    )
  })
  it("matches the exact binomial formula", () => {
    fc.assert(
      fc.property(nc.filter(([n]) => n <= 30), fc.integer({ min: 1, max: 30 }), ([n, c], k0) => {
        const k = Math.min(k0, n)
        const exact = 1 - Number(binom(n - c, k)) / Number(binom(n, k))
        return Math.abs(passAtK(n, c, k) - exact) < 1e-9
      })
    )
  })
  it("hand-made cases", () => {
    expect(passAtK(8, 1, 8)).toBe(1)
    expect(passAtK(2, 1, 2)).toBe(1)
    expect(passAtK(4, 2, 2)).toBeCloseTo(1 - 1 / 6, 12) // C(2,2)/C(4,2) = 1/6
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12) // C(7,5)/C(10,5)
  })
  it("rejects k > n and c > n, naming the arguments", () => {
    expect(() => passAtK(4, 1, 5)).toThrow(/n=4, c=1, k=5/)
    expect(() => passAtK(4, 5, 1)).toThrow(/expected integers/)
  })
})

describe("avgAtK", () => {
  it("hand-made cases", () => {
    expect(avgAtK([true, false, true, false, false, false, false, true])).toBe(3 / 8)
    expect(avgAtK([true, false, true, true], 2)).toBe(1 / 2)
    expect(avgAtK([false])).toBe(0)
  })
  it("at k = n equals pass@1", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (cs) =>
        Math.abs(avgAtK(cs) - passAtK(cs.length, countCorrect(cs), 1)) < 1e-12
      )
    )
  })
  it("rejects k = 0", () => {
    expect(() => avgAtK([true], 0)).toThrow(/1 ≤ k ≤ 1/)
  })
})

describe("majAtK", () => {
  it("picks the most frequent answer", () => {
    const votes = [
      { key: "12.7", correct: false },
      { key: "12.8", correct: true },
      { key: "12.7", correct: false },
      { key: null, correct: false }
    ]
    expect(majAtK(votes)).toBe(0)
    expect(majAtK(votes, 2)).toBe(0) // tie 1-1: first answer (12.7) wins
    expect(majAtK([{ key: "a", correct: false }, { key: "b", correct: true }, { key: "b", correct: true }])).toBe(1)
  })
  it("ignores samples without an answer and is 0 when none has one", () => {
    expect(majAtK([{ key: null, correct: false }, { key: null, correct: false }, { key: "4", correct: true }])).toBe(1)
    expect(majAtK([{ key: null, correct: false }])).toBe(0)
  })
  it("equals the single grade at k = 1 when there is an answer", () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (key, correct) => majAtK([{ key, correct }], 1) === (correct ? 1 : 0)))
  })
  it("is 1 when every answered sample is correct and agrees", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), (n) => majAtK(Array.from({ length: n }, () => ({ key: "x", correct: true }))) === 1)
    )
  })
})

describe("format and reflection signals", () => {
  it("counts reflection words case-insensitively, as substrings", () => {
    expect(reflectionWordCount("Let me RECHECK. Rethink: recalculate, rethinking")).toBe(4)
    expect(hasReflection("no reflection here, just re-check")).toBe(false)
    expect(hasReflection("I will Recalculate")).toBe(true)
  })
  it("detects \\boxed{", () => {
    expect(hasBoxed("so the answer is \\boxed{4}.")).toBe(true)
    expect(hasBoxed("so the answer is \\boxed {4}.")).toBe(true)
    expect(hasBoxed("the answer is 4")).toBe(false)
    expect(hasBoxed("\\fbox{4}")).toBe(false)
  })
})

describe("groupAccuracy and the 6-benchmark average", () => {
  it("groups and averages, skipping undefined keys", () => {
    const g = groupAccuracy(
      [
        { s: "Algebra", v: 1 },
        { s: "Algebra", v: 0 },
        { s: "Geometry", v: 1 },
        { s: undefined, v: 1 }
      ],
      (x) => x.s,
      (x) => x.v
    )
    expect(g).toEqual({ Algebra: { accuracy: 0.5, n: 2 }, Geometry: { accuracy: 1, n: 1 } })
  })
  it("reproduces Table 8's base row average (17.6)", () => {
    const avg = sixBenchmarkAverage({ math500: 36.0, aime24: 6.7, amc23: 28.1, minerva_math: 8.1, olympiadbench: 22.2, aime25: 4.6 })
    expect(avg).toBeCloseTo(17.6, 1)
  })
  it("names the missing benchmarks", () => {
    expect(() => sixBenchmarkAverage({ math500: 1 })).toThrow(/missing aime24, amc23, minerva_math, olympiadbench, aime25/)
  })
})

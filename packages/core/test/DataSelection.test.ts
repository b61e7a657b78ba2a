import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { pairwiseSum, parseAccuracyHistory, populationStd, rankByHistoricalVariance } from "../src/DataSelection.ts"

describe("DataSelection", () => {
  it("pairwiseSum agrees with a plain sum up to rounding", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 600 }), (xs) => {
        const plain = xs.reduce((a, b) => a + b, 0)
        expect(Math.abs(pairwiseSum(xs) - plain)).toBeLessThanOrEqual(1e-6 * (1 + xs.reduce((a, b) => a + Math.abs(b), 0)))
      })
    )
  })

  it("populationStd is 0 for constant histories and invariant to shifts", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 60 }), (x, n) => {
        expect(populationStd(Array.from({ length: n }, () => x))).toBeCloseTo(0, 12)
      })
    )
    expect(populationStd([0, 1])).toBe(0.5)
    expect(populationStd([])).toBe(0)
  })

  it("ranks by descending std with ties in file order", () => {
    const history = parseAccuracyHistory('{"9": [0, 1], "2": [0.5, 0.5], "10": [0, 1], "1": [0.25, 0.75]}')
    expect(history.map(([id]) => id)).toEqual(["9", "2", "10", "1"])
    expect(rankByHistoricalVariance(history).map((r) => [r.id, r.rank])).toEqual([
      ["9", 1],
      ["10", 2],
      ["1", 3],
      ["2", 4]
    ])
  })

  it("rejects a history that is not id → number[]", () => {
    expect(() => parseAccuracyHistory("[1,2]")).toThrow(/expected a JSON object/)
    expect(() => parseAccuracyHistory('{"1": ["a"]}')).toThrow(/key 1/)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  argmax,
  kendallTau,
  movingAverage,
  normalize,
  postSaturationGain,
  saturationStep,
  type Series,
  successiveVariance,
  windowMean
} from "../src/Series.ts"

const acc = fc.double({ min: 0, max: 1, noNaN: true })
const series = (values: ReadonlyArray<number>, start = 1): Series => values.map((value, i) => ({ step: start + i, value }))

describe("movingAverage", () => {
  it("preserves length, stays within [min, max], and is constant on constant input", () => {
    fc.assert(
      fc.property(fc.array(acc, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 20 }), (xs, w) => {
        const ma = movingAverage(xs, w)
        expect(ma.length).toBe(xs.length)
        for (const v of ma) {
          expect(v).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-12)
          expect(v).toBeLessThanOrEqual(Math.max(...xs) + 1e-12)
        }
        const c = movingAverage(xs.map(() => xs[0]!), w)
        for (const v of c) expect(v).toBeCloseTo(xs[0]!, 12)
      })
    )
  })

  it("is causal: appending values never changes earlier averages", () => {
    fc.assert(
      fc.property(fc.array(acc, { minLength: 1, maxLength: 50 }), fc.array(acc, { maxLength: 30 }), fc.integer({ min: 1, max: 12 }), (xs, more, w) => {
        expect(movingAverage([...xs, ...more], w).slice(0, xs.length)).toEqual(movingAverage(xs, w))
      })
    )
  })

  it("rejects a window that is not a positive integer", () => {
    expect(() => movingAverage([1], 0)).toThrow(/window must be a positive integer, got 0/)
  })
})

describe("saturationStep", () => {
  it("is invariant to appending steps after saturation", () => {
    const high = fc.double({ min: 0.95, max: 1, noNaN: true })
    fc.assert(
      fc.property(fc.array(acc, { maxLength: 40 }), fc.array(high, { minLength: 10, maxLength: 10 }), fc.array(acc, { maxLength: 40 }), (prefix, block, more) => {
        const xs = [...prefix, ...block]
        const t = saturationStep(series(xs))
        expect(t).toBeDefined()
        expect(t!).toBeLessThanOrEqual(xs.length)
        expect(saturationStep(series([...xs, ...more]))).toBe(t)
      })
    )
  })

  it("finds the first full window at the threshold, and never saturates below it", () => {
    expect(saturationStep(series([0, 0, 0, ...Array<number>(10).fill(1)]))).toBe(13)
    expect(saturationStep(series(Array<number>(50).fill(0.9)))).toBeUndefined()
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.94, noNaN: true }), { maxLength: 60 }), (xs) => {
        expect(saturationStep(series(xs))).toBeUndefined()
      })
    )
  })
})

describe("postSaturationGain", () => {
  it("is exactly 0 for a constant test curve", () => {
    fc.assert(
      fc.property(acc, fc.integer({ min: 4, max: 40 }), fc.integer({ min: 0, max: 50 }), (v, n, tSat) => {
        const test = Array.from({ length: n }, (_, i) => ({ step: i * 5, value: v }))
        const g = postSaturationGain(test, tSat)
        if (g !== undefined) expect(g.gain === 0).toBe(true)
      })
    )
  })

  it("is positive for a rising curve and negative for a falling one", () => {
    const up = Array.from({ length: 20 }, (_, i) => ({ step: i * 10, value: i / 20 }))
    expect(postSaturationGain(up, 10)!.gain).toBeGreaterThan(0)
    expect(postSaturationGain(up.map((p) => ({ ...p, value: 1 - p.value })), 10)!.gain).toBeLessThan(0)
    expect(postSaturationGain(up.slice(0, 2), 0)).toBeUndefined()
  })
})

describe("kendallTau", () => {
  it("is +1 for strictly rising, −1 for strictly falling, 0 for constant, and odd under reversal", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 }), (xs) => {
        const sorted = [...xs].sort((a, b) => a - b)
        expect(kendallTau(sorted)).toBe(1)
        expect(kendallTau([...sorted].reverse())).toBe(-1)
        expect(kendallTau(xs.map(() => 3))).toBe(0)
        expect(kendallTau([...xs].reverse())).toBeCloseTo(-kendallTau(xs), 12)
      })
    )
  })
})

describe("successiveVariance", () => {
  it("is 0 for constant input, ignores a linear trend's level, and is shift-invariant", () => {
    fc.assert(
      fc.property(fc.array(acc, { minLength: 2, maxLength: 40 }), fc.double({ min: -5, max: 5, noNaN: true }), (xs, c) => {
        expect(successiveVariance(xs.map(() => xs[0]!))).toBe(0)
        expect(successiveVariance(xs.map((x) => x + c))).toBeCloseTo(successiveVariance(xs), 9)
      })
    )
    expect(successiveVariance([0, 1, 2, 3])).toBeCloseTo(0.5, 12)
    expect(successiveVariance([0, 1, 0, 1])).toBeCloseTo(0.5 * 3 / 3, 12)
  })
})

describe("series helpers", () => {
  it("normalize sorts, keeps the last value of a repeated step and drops non-finite values", () => {
    expect(normalize([{ step: 2, value: 1 }, { step: 1, value: 5 }, { step: 2, value: 3 }, { step: 3, value: Number.NaN }])).toEqual([
      { step: 1, value: 5 },
      { step: 2, value: 3 }
    ])
  })

  it("windowMean and argmax", () => {
    const s = series([1, 5, 3, 5])
    expect(windowMean(s, 2, 3)).toBe(4)
    expect(windowMean(s, 10, 20)).toBeUndefined()
    expect(argmax(s)).toEqual({ step: 2, value: 5 })
    expect(argmax([])).toBeUndefined()
  })
})

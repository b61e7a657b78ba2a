import { describe, expect, it } from "@effect/vitest"
import { Problem } from "@oneshot/core"
import { FastCheck as fc } from "effect"
import { fitRow, microBatches, paddedArea, placeRows, type Rollout, rowWidth, tokenRows } from "../src/StepBatch.ts"

const problem = Problem.make({ id: "0", prompt: "0", answer: "1", source: "t" })
const rollout = (p: number, l: number): Rollout => ({
  row: 0,
  problem,
  prompt: Array.from({ length: p }, (_, i) => 1 + (i % 5)),
  response: Array.from({ length: l }, (_, i) => 2 + (i % 7)),
  text: "",
  truncated: false
})
const batches = fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 40 }).map((xs) => xs.map(([p, l]) => rollout(p, l)))

describe("micro-batches", () => {
  it("partition the indices, in chunks of at most `size`, packed or not", () => {
    fc.assert(
      fc.property(batches, fc.integer({ min: 1, max: 16 }), fc.boolean(), (rs, size, pack) => {
        const idx = rs.map((_, i) => i)
        const plan = microBatches(rs, idx, size, { pack, fullT: rowWidth(rs, idx) })
        expect(plan.flatMap((m) => m.idx).sort((a, b) => a - b)).toEqual(idx)
        for (const m of plan) expect(m.idx.length).toBeLessThanOrEqual(size)
      })
    )
  })

  it("packed: every row fits its chunk's width, and the padded area never exceeds the unpacked one", () => {
    fc.assert(
      fc.property(batches, fc.integer({ min: 1, max: 16 }), (rs, size) => {
        const idx = rs.map((_, i) => i)
        const fullT = rowWidth(rs, idx)
        const packed = microBatches(rs, idx, size, { pack: true, fullT })
        for (const m of packed) for (const i of m.idx) expect(rs[i]!.prompt.length + rs[i]!.response.length).toBeLessThanOrEqual(m.T)
        expect(paddedArea(packed)).toBeLessThanOrEqual(paddedArea(microBatches(rs, idx, size, { pack: false, fullT })))
      })
    )
  })

  it("unpacked: consecutive chunks at the full width (the historical layout)", () => {
    const rs = [rollout(2, 3), rollout(2, 9), rollout(3, 1)]
    expect(microBatches(rs, [0, 1, 2], 2, { pack: false, fullT: 11 })).toEqual([
      { idx: [0, 1], T: 11 },
      { idx: [2], T: 11 }
    ])
  })
})

describe("rows", () => {
  it("fitRow keeps a row's content at any width that holds it, and pads with 0", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 20 }), fc.integer({ min: 0, max: 10 }), (row, extra) => {
        const T = row.length + extra
        const fitted = fitRow(row, T)
        expect(fitted).toHaveLength(T)
        expect(fitted.slice(0, row.length)).toEqual(row)
        expect(fitted.slice(row.length).every((x) => x === 0)).toBe(true)
      })
    )
  })

  it("placeRows puts response values under the response mask of tokenRows", () => {
    fc.assert(
      fc.property(batches, (rs) => {
        const idx = rs.map((_, i) => i)
        const T = rowWidth(rs, idx)
        const values = rs.map((r) => r.response.map((_, j) => j + 1))
        const placed = placeRows(rs, idx, values, T)
        const { responseMask, tokens } = tokenRows(rs, idx, T, 0)
        placed.forEach((row, k) => {
          row.forEach((v, t) => expect(v !== 0).toBe(responseMask[k]![t] === 1))
          expect(tokens[k]).toHaveLength(T)
        })
      })
    )
  })
})

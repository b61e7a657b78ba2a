import { describe, expect, it } from "@effect/vitest"
import { grade } from "@oneshot/verifier"
import { FastCheck as fc } from "effect"
import { CATEGORIES, generateProblem, LEVELS } from "../src/Generator.ts"
import { Rng } from "../src/Rng.ts"
import { formatPrompt } from "../src/Template.ts"

describe("Rng", () => {
  it("is deterministic for a seed and matches known mulberry32 outputs", () => {
    const a = new Rng(42)
    const b = new Rng(42)
    const xs = Array.from({ length: 5 }, () => a.nextU32())
    expect(xs).toEqual(Array.from({ length: 5 }, () => b.nextU32()))
    // Pinned so a platform or refactor change is caught.
    expect(new Rng(1).nextU32()).toBe(2693262067) // 0.6270739405881613 * 2^32, the published mulberry32(1) value
  })
  it("int stays within bounds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, lo, span) => {
        const x = new Rng(seed).int(lo, lo + span)
        return x >= lo && x <= lo + span && Number.isInteger(x)
      })
    )
  })
  it("rejects bad bounds with a clear error", () => {
    expect(() => new Rng(1).int(3, 2)).toThrow(/lo <= hi/)
  })
})

describe("Generator", () => {
  it("is deterministic for a seed", () => {
    for (const c of CATEGORIES) {
      for (const l of LEVELS) {
        const p1 = generateProblem(new Rng(9), c, l, "x", "t")
        const p2 = generateProblem(new Rng(9), c, l, "x", "t")
        expect(p1).toEqual(p2)
      }
    }
  })

  it("has at least 6 categories", () => {
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(6)
  })

  it("every answer grades correct against its own solution (strict and deepscaler), and the prompt+solution fits 256 chars", () => {
    let longest = 0
    for (const c of CATEGORIES) {
      for (const l of LEVELS) {
        const rng = new Rng(1000 + l)
        for (let i = 0; i < 25; i++) {
          const p = generateProblem(rng, c, l, "x", "t")
          for (const mode of ["strict", "deepscaler"] as const) {
            const g = grade(p.solution, p.answer, { mode })
            if (!g.correct) throw new Error(`${c.name} L${l} ${mode}: ${p.solution} vs ${p.answer} (${g.rule})`)
          }
          expect(p.solution.endsWith(`\\boxed{${p.answer}}.`)).toBe(true)
          longest = Math.max(longest, (formatPrompt(p.prompt) + p.solution).length)
        }
      }
    }
    expect(longest).toBeLessThanOrEqual(256)
  })

  it("a wrong answer does not grade correct (the check has teeth)", () => {
    const p = generateProblem(new Rng(3), CATEGORIES[0]!, 3, "x", "t")
    expect(grade(p.solution, `${p.answer}1`, { mode: "strict" }).correct).toBe(false)
  })
})

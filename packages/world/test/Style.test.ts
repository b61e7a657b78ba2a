import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { BASE_FLAW_RATES, corpusDocument, V2_CAREFUL_FLAW_RATES, V2_FLAW_RATES, V2_LEAD_FLAW_RATES } from "../src/Corpus.ts"
import { CATEGORY_NAMES } from "../src/Generator.ts"
import { classifyStyle, drawStyle, recheckTail, type Style, styleProbabilities, STYLES } from "../src/Style.ts"
import { MAX_STYLED_CHARS } from "../src/StyledCorpus.ts"

const styles = V2_FLAW_RATES.styles!
const p = styleProbabilities(styles)

/** A share within 4.5 binomial standard errors of `prob` (a false alarm about once in 150,000 checks). */
const withinSe = (share: number, prob: number, n: number) => expect(Math.abs(share - prob)).toBeLessThanOrEqual(4.5 * Math.sqrt((prob * (1 - prob)) / n))

describe("Style", () => {
  it("styles are drawn at the configured mix", () => {
    const n = 6000
    const counts: Record<Style, number> = { careful: 0, terse: 0, selfcheck: 0 }
    for (let i = 0; i < n; i++) counts[drawStyle(11, i, styles)]++
    for (const s of STYLES) withinSe(counts[s] / n, p[s], n)
  })

  it("the style mix is the same in every category (independent of the problem)", () => {
    const n = 7000
    const cells = new Map<string, Record<Style, number>>()
    for (let i = 0; i < n; i++) {
      const d = corpusDocument(5, i, V2_FLAW_RATES)
      if (d.category === "drill") continue
      expect(d.style).toBeDefined()
      const row = cells.get(d.category) ?? { careful: 0, terse: 0, selfcheck: 0 }
      row[d.style!]++
      cells.set(d.category, row)
    }
    expect([...cells.keys()].sort()).toEqual([...CATEGORY_NAMES].sort())
    for (const row of cells.values()) {
      const m = row.careful + row.terse + row.selfcheck
      for (const s of STYLES) withinSe(row[s] / m, p[s], m)
    }
  })

  it("styles change how a problem is solved, never which problem", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100000 }), (seed, index) => {
        const a = corpusDocument(seed, index, BASE_FLAW_RATES)
        const b = corpusDocument(seed, index, V2_FLAW_RATES)
        expect(b.text.slice(0, b.promptLength)).toBe(a.text.slice(0, a.promptLength))
        expect(b.gold).toBe(a.gold)
      }),
      { numRuns: 200 }
    )
  })

  const v2Rates = fc.constantFrom(V2_FLAW_RATES, V2_LEAD_FLAW_RATES, V2_CAREFUL_FLAW_RATES)

  it("the classifier reads every document's style back from its surface", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100000 }), v2Rates, (seed, index, rates) => {
        const d = corpusDocument(seed, index, rates)
        if (d.category === "drill") return
        const seen = classifyStyle(d.text.slice(d.promptLength))
        // A careful solution whose slip was caught inline (`recalculate: …`) reads as self-checking,
        // unless an early stop cut the document before the reflection.
        const shows = /recheck|rethink|recalculate/.test(d.text)
        expect(seen).toBe(d.style === "careful" && d.reflected && shows ? "selfcheck" : d.style)
      }),
      { numRuns: 500 }
    )
  })

  it("terse and self-checking documents end with the right answer; styled documents fit the context", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100000 }), v2Rates, (seed, index, rates) => {
        const d = corpusDocument(seed, index, rates)
        expect(d.text.length).toBeLessThanOrEqual(MAX_STYLED_CHARS)
        if (d.style === "terse" || d.style === "selfcheck") expect(d.answer).toBe(d.gold)
        if (d.style === "terse") expect(d.text.slice(d.promptLength)).toMatch(/^(The answer is [^ ]+\.)( The answer is [^ ]+\.)*$/)
        if (d.style === "selfcheck") expect(d.text).toContain("Recheck:")
      }),
      { numRuns: 500 }
    )
  })

  it("a shared lead only opens the worked solutions: terse documents are unchanged, careful ones gain the opening", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100000 }), (seed, index) => {
        const a = corpusDocument(seed, index, V2_FLAW_RATES)
        const b = corpusDocument(seed, index, V2_LEAD_FLAW_RATES)
        expect(b.style).toBe(a.style)
        const body = b.text.slice(b.promptLength)
        if (a.style === "terse" || a.category === "drill") expect(b.text).toBe(a.text)
        else expect(body.startsWith("Steps: ")).toBe(true)
        if (a.style === "careful") expect(body.slice("Steps: ".length)).toBe(a.text.slice(a.promptLength))
      }),
      { numRuns: 300 }
    )
  })

  it("a recheck re-derives a suffix of the steps that fits the budget, never nothing", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: -5, max: 200 }), (steps, budget) => {
        const tail = recheckTail(steps, budget)
        expect(tail.length).toBeGreaterThanOrEqual(1)
        expect(tail).toEqual(steps.slice(steps.length - tail.length))
        if (tail.length > 1) expect(tail.join(" ").length).toBeLessThanOrEqual(budget)
        // Maximal: one more step would not fit.
        if (tail.length < steps.length && tail.length > 0) {
          const more = steps.slice(steps.length - tail.length - 1)
          expect(more.join(" ").length).toBeGreaterThan(budget)
        }
      })
    )
  })

  it("classifies hand-written responses", () => {
    expect(classifyStyle("The answer is \\boxed{12}.")).toBe("terse")
    expect(classifyStyle("The answer is 12.")).toBe("terse")
    expect(classifyStyle("")).toBe("terse")
    expect(classifyStyle("x=35/7=5. The answer is \\boxed{5}.")).toBe("careful")
    expect(classifyStyle("x=35/7=5.")).toBe("careful")
    expect(classifyStyle("7^2.")).toBe("careful")
    expect(classifyStyle("  The answer is 4.")).toBe("terse")
    expect(classifyStyle("x=35/7=6. Recheck: x=35/7=5. The answer is 5.")).toBe("selfcheck")
    expect(classifyStyle("4-2=3, rethink: 4-2=2. The answer is 2.")).toBe("selfcheck")
  })
})

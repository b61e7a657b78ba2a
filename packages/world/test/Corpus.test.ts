import { describe, expect, it } from "@effect/vitest"
import { BASE_FLAW_RATES, corpusDocument, corpusStats } from "../src/Corpus.ts"
import { generateAllSplits } from "../src/Splits.ts"
import { formatPrompt } from "../src/Template.ts"

describe("Corpus", () => {
  it("is deterministic and random-access", () => {
    expect(corpusDocument(7, 123)).toEqual(corpusDocument(7, 123))
    expect(corpusDocument(7, 123).text).not.toBe(corpusDocument(8, 123).text)
  })

  it("flaw rates are within bounds of the configured rates", () => {
    const s = corpusStats(1, 3000)
    const meanBox =
      Object.values(BASE_FLAW_RATES.boxRate).reduce((a, b) => a + b, 0) / Object.keys(BASE_FLAW_RATES.boxRate).length
    expect(s.boxed).toBeGreaterThan((1 - BASE_FLAW_RATES.earlyStop) * meanBox - 0.05)
    expect(s.boxed).toBeLessThan((1 - BASE_FLAW_RATES.earlyStop) * meanBox + 0.05)
    expect(Math.abs(s.earlyStop - BASE_FLAW_RATES.earlyStop)).toBeLessThan(0.02)
    expect(s.slipped).toBeGreaterThan(0.08)
    expect(s.slipped).toBeLessThanOrEqual(BASE_FLAW_RATES.slip + 0.02)
    expect(s.reflected).toBeGreaterThan(0.03)
    expect(s.reflectionWordsPerDoc).toBeCloseTo(s.reflected, 2)
    expect(Math.abs(s.repeated - BASE_FLAW_RATES.repeat * (1 - BASE_FLAW_RATES.earlyStop))).toBeLessThan(0.02)
    // Most written answers are right (latent skill), but not all (slips).
    expect(s.correct).toBeGreaterThan(0.8)
    expect(s.correct).toBeLessThan(0.95)
    expect(s.maxChars).toBeLessThanOrEqual(320)
  })

  it("a reflected slip is corrected, an uncorrected slip changes the answer", () => {
    let sawReflect = false
    let sawWrong = false
    for (let i = 0; i < 2000 && !(sawReflect && sawWrong); i++) {
      const d = corpusDocument(3, i)
      if (d.earlyStop) continue
      if (d.reflected) {
        sawReflect = true
        expect(d.text).toMatch(/recheck|rethink|recalculate/)
        expect(d.answer).toBe(d.gold)
      } else if (d.slipped && d.answer !== d.gold) sawWrong = true
    }
    expect(sawReflect && sawWrong).toBe(true)
  })

  it("skips problems of the test splits", () => {
    const { splits } = generateAllSplits()
    const exclude = new Set((splits.get("world-math500") ?? []).map((p) => p.prompt))
    for (let i = 0; i < 500; i++) {
      const d = corpusDocument(1, i, BASE_FLAW_RATES, exclude)
      // formatPrompt(p) = "Q: " + p + "\nA: "
      const prompt = d.text.slice(3, d.promptLength - 4)
      expect(formatPrompt(prompt)).toBe(d.text.slice(0, d.promptLength))
      expect(exclude.has(prompt)).toBe(false)
    }
  })
})

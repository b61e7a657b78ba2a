import { describe, expect, it } from "@effect/vitest"
import { createHash } from "node:crypto"
import { BASE_FLAW_RATES, corpusDocument, corpusStats, V2_FLAW_RATES } from "../src/Corpus.ts"
import { generateAllSplits } from "../src/Splits.ts"
import { formatPrompt } from "../src/Template.ts"

describe("Corpus", () => {
  it("is deterministic and random-access", () => {
    expect(corpusDocument(7, 123)).toEqual(corpusDocument(7, 123))
    expect(corpusDocument(7, 123).text).not.toBe(corpusDocument(8, 123).text)
  })

  it("flaw rates are within bounds of the configured rates", () => {
    const s = corpusStats(1, 3000)
    const r = BASE_FLAW_RATES
    // Drill documents carry no answer line; every other rate applies to the worked solutions.
    const solved = 1 - (r.drill ?? 0)
    const meanBox = Object.values(r.boxRate).reduce((a, b) => a + b, 0) / Object.keys(r.boxRate).length
    expect(s.boxed).toBeGreaterThan(solved * (1 - r.earlyStop) * meanBox - 0.05)
    expect(s.boxed).toBeLessThan(solved * (1 - r.earlyStop) * meanBox + 0.05)
    expect(Math.abs(s.earlyStop - solved * r.earlyStop)).toBeLessThan(0.02)
    expect(s.slipped).toBeGreaterThan(0.5 * solved * r.slip)
    expect(s.slipped).toBeLessThanOrEqual(solved * r.slip + 0.02)
    expect(s.reflected).toBeGreaterThan(0.01)
    expect(s.reflectionWordsPerDoc).toBeCloseTo(s.reflected, 2)
    expect(Math.abs(s.repeated - solved * r.repeat * (1 - r.earlyStop))).toBeLessThan(0.02)
    // Most written answers are right (latent skill), but not all (slips, early stops).
    expect(s.correct).toBeGreaterThan(0.8 * solved)
    expect(s.correct).toBeLessThan(0.97 * solved)
    expect(s.maxChars).toBeLessThanOrEqual(320)
  })

  it("drills are a quarter of the documents and every fact in them is true", () => {
    const n = 2000
    let drills = 0
    for (let i = 0; i < n; i++) {
      const d = corpusDocument(1, i)
      if (d.category !== "drill") continue
      drills++
      const facts = d.text.slice(d.promptLength).replace(/\.$/, "").split(". ")
      expect(facts.length).toBe(8)
      for (const f of facts) {
        const m = /^(\d+)([-+*/])(\d+)=(-?\d+)$/.exec(f)
        expect(m, f).not.toBeNull()
        const [a, op, b, c] = [Number(m![1]), m![2], Number(m![3]), Number(m![4])]
        expect(op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b, f).toBe(c)
      }
    }
    expect(Math.abs(drills / n - (BASE_FLAW_RATES.drill ?? 0))).toBeLessThan(0.03)
  })

  it("a corpus without drills is the same stream as before drills existed", () => {
    const { drill: _drill, ...noDrill } = BASE_FLAW_RATES
    for (let i = 0; i < 50; i++) expect(corpusDocument(4, i, { ...noDrill, drill: 0 })).toEqual(corpusDocument(4, i, noDrill))
  })

  it("the base preset's stream is pinned: 3000 documents hash as before styles existed", () => {
    // sha256 over the JSON of documents 0..2999 (seed 2, every split excluded), recorded before the v2 styles were added.
    const { reserved } = generateAllSplits()
    const h = createHash("sha256")
    for (let i = 0; i < 3000; i++) h.update(JSON.stringify(corpusDocument(2, i, BASE_FLAW_RATES, reserved)) + "\n")
    expect(h.digest("hex")).toBe("02a7613fa41cfed0d985b20b00647e83db3c1a2f4c7f26acd4513e94d9f6d565")
  })

  it("a corpus without styles is the base stream (the v2 rates minus styles are the base rates)", () => {
    const { styles: _styles, ...noStyles } = V2_FLAW_RATES
    for (let i = 0; i < 100; i++) expect(corpusDocument(4, i, noStyles)).toEqual(corpusDocument(4, i, BASE_FLAW_RATES))
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

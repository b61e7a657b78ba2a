import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { gradeJsonl, parseGradeLine } from "../src/index.ts"

describe("gradeJsonl (rlvr grade)", () => {
  it("echoes each input plus correct/extracted, reports malformed lines by number and continues", () => {
    const text = [
      JSON.stringify({ id: 1, response: "so \\boxed{4}", gold: "4" }),
      "not json",
      "",
      JSON.stringify({ response: 3, gold: "4" }),
      JSON.stringify({ id: 2, response: "no answer here", gold: "4" }),
      JSON.stringify({ id: 3, response: "The answer is 5.", gold: "4" })
    ].join("\n")
    const r = gradeJsonl(text, "in.jsonl")
    expect(r.lines.map((l) => JSON.parse(l))).toEqual([
      { id: 1, response: "so \\boxed{4}", gold: "4", correct: true, extracted: "4" },
      { id: 2, response: "no answer here", gold: "4", correct: false, extracted: null },
      { id: 3, response: "The answer is 5.", gold: "4", correct: false, extracted: "5" }
    ])
    expect(r.errors.map((e) => e.input)).toEqual(["in.jsonl:2", "in.jsonl:4"])
    expect(r.errors[0]?.message).toContain("in.jsonl:2: expected a JSON object")
    expect(r.summary.count).toBe(3)
    expect(r.summary.correct).toBe(1)
    expect(r.summary.malformed).toBe(2)
    expect(r.summary.accuracy).toBeCloseTo(1 / 3)
  })
  it("rejects non-object JSON with the line number", () => {
    const e = parseGradeLine("[1,2]", 7, "f.jsonl")
    expect(Either.isLeft(e) && e.left.message.startsWith("f.jsonl:7")).toBe(true)
  })
  it("grades 1000 full responses quickly", () => {
    const lines = Array.from({ length: 1000 }, (_, k) =>
      JSON.stringify({ response: `We compute ${k} + 1 step by step.\n\nTherefore the answer is $\\boxed{${k + 1}}$.`, gold: String(k + 1) })
    ).join("\n")
    const r = gradeJsonl(lines, "big.jsonl")
    expect(r.summary.accuracy).toBe(1)
    expect(r.summary.cpuSeconds).toBeLessThan(1)
  })
})

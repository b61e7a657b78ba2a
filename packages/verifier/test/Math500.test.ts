import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { grade } from "../src/index.ts"

const rows = readFileSync(new URL("../data/math500.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as { solution: string; answer: string; unique_id: string })

describe("MATH500 reference solutions graded against their own answers", () => {
  for (const mode of ["strict", "deepscaler", "qwen-eval"] as const) {
    it(`${mode}: at least 99.5% correct`, () => {
      const wrong = rows.filter((r) => !grade(r.solution, r.answer, { mode, timeoutMs: 2000 }).correct)
      expect(rows.length).toBe(500)
      expect((rows.length - wrong.length) / rows.length, wrong.map((r) => r.unique_id).join(", ")).toBeGreaterThanOrEqual(0.995)
    })
  }
  it("format: every reference solution has an answer", () => {
    expect(rows.every((r) => grade(r.solution, r.answer, { mode: "format" }).correct)).toBe(true)
  })
})

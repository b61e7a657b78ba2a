import { InvalidInput, Problem } from "@oneshot/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadJsonl } from "../src/Benchmark.ts"
import { lastBoxed } from "../src/Boxed.ts"
import { Aime24, Amc23, Math500, MinervaMath, OlympiadBench, PAPER_BENCHMARKS } from "../src/PaperBenchmarks.ts"

describe("paper benchmarks", () => {
  it.effect("every row of every benchmark loads, with the documented counts", () =>
    Effect.gen(function* () {
      const counts: Record<string, number> = {}
      for (const b of PAPER_BENCHMARKS) {
        const ps = yield* b.load
        counts[b.name] = ps.length
        expect(new Set(ps.map((p) => p.id)).size).toBe(ps.length)
        for (const p of ps) {
          expect(p.prompt.length).toBeGreaterThan(0)
          expect(p.answer.length).toBeGreaterThan(0)
          expect(p.source).toBe(b.name)
        }
      }
      expect(counts).toEqual({ math500: 500, aime24: 30, amc23: 40, minerva_math: 272, olympiadbench: 675, aime25: 30 })
    })
  )

  it.effect("MATH500 keeps subject and level (7 subjects, levels 1-5)", () =>
    Effect.gen(function* () {
      const ps = yield* Math500.load
      expect(new Set(ps.map((p) => p.subject)).size).toBe(7)
      expect([...new Set(ps.map((p) => p.level))].sort()).toEqual([1, 2, 3, 4, 5])
      expect(ps[0]!.id).toBe("math500/0")
      expect(ps[0]!.answer).toBe("\\left( 3, \\frac{\\pi}{2} \\right)")
    })
  )

  it.effect("normalises AMC numbers, Minerva boxed answers and OlympiadBench $…$", () =>
    Effect.gen(function* () {
      const amc = yield* Amc23.load
      expect(amc[0]!.answer).toBe("27")
      const minerva = yield* MinervaMath.load
      expect(minerva[0]!.answer).toBe("1.6")
      expect(minerva[0]!.subject).toBe("Introduction to Astronomy (8.282J Spring 2006)")
      const olympiad = yield* OlympiadBench.load
      expect(olympiad.every((p) => !p.answer.startsWith("$") && !p.answer.endsWith("$"))).toBe(true)
      expect(olympiad[0]!.answer).toBe("2")
      const aime = yield* Aime24.load
      expect(aime.every((p) => /^\d+$/.test(p.answer))).toBe(true)
    })
  )

  it.effect("a malformed row fails with the file and line", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "eval-bench-"))
      const file = join(dir, "bad.jsonl")
      writeFileSync(file, '{"problem":"1+1","answer":"2"}\n\n{"problem":"2+2"}\n')
      const row = Schema.Struct({ problem: Schema.String, answer: Schema.String })
      const toProblem = (r: typeof row.Type, i: number) => new Problem({ id: `t/${i}`, prompt: r.problem, answer: r.answer, source: "t" })
      const err = yield* Effect.flip(loadJsonl(file, row, "a row {problem, answer}", toProblem))
      expect(err).toBeInstanceOf(InvalidInput)
      expect(err.message).toContain(`${file}:3: expected a row {problem, answer}`)
      writeFileSync(file, "not json\n")
      const err2 = yield* Effect.flip(loadJsonl(file, row, "a row", toProblem))
      expect(err2.message).toContain(`${file}:1: expected one JSON object per line`)
      const err3 = yield* Effect.flip(loadJsonl(join(dir, "missing.jsonl"), row, "a row", toProblem))
      expect(err3._tag).toBe("FileError")
      expect(err3.message).toContain("missing.jsonl")
    })
  )
})

describe("lastBoxed", () => {
  it("takes the last box with balanced braces", () => {
    expect(lastBoxed("\\boxed{1} then \\boxed{\\frac{1}{2}}.")).toBe("\\frac{1}{2}")
    expect(lastBoxed("\\fbox{x}")).toBe("x")
    expect(lastBoxed("\\boxed{\\{1,2\\}}")).toBe("\\{1,2\\}")
    expect(lastBoxed("no box")).toBeNull()
    expect(lastBoxed("\\boxed{unclosed")).toBeNull()
  })
})

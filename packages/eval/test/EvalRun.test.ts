import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { encodeOutput, evalRun, formatOutput, readEvalOutput, writeJsonAtomic } from "../src/EvalRun.ts"
import { Problem } from "@oneshot/core"
import { fromProblems } from "../src/Benchmark.ts"
import { PAPER_BENCHMARKS } from "../src/PaperBenchmarks.ts"
import { StubVerifier } from "./support/StubVerifier.ts"

const dir = mkdtempSync(join(tmpdir(), "eval-run-"))

/** A generations file where problem i is answered correctly iff i % every === 0. */
const writeFile = (name: string, ids: ReadonlyArray<{ id: string; answer: string }>, every: number, n = 1): string => {
  const file = join(dir, `${name}.jsonl`)
  writeFileSync(
    file,
    ids.map((p, i) => JSON.stringify({ id: p.id, responses: Array.from({ length: n }, () => (i % every === 0 ? `\\boxed{${p.answer}}` : "\\boxed{wrong}")) })).join("\n")
  )
  return file
}

describe("evalRun (what rlvr eval does)", () => {
  it.effect("six generations files give the six accuracies and their unweighted mean", () =>
    Effect.gen(function* () {
      const files: Array<string> = []
      const expected: Record<string, number> = {}
      for (const b of PAPER_BENCHMARKS) {
        const ps = yield* b.load
        const n = ["aime24", "aime25", "amc23"].includes(b.name) ? 8 : 1
        files.push(writeFile(b.name, ps, 2, n))
        expected[b.name] = Math.ceil(ps.length / 2) / ps.length
      }
      const out = yield* evalRun({ benchmarks: PAPER_BENCHMARKS.map((b) => b.name), generations: files })
      for (const r of out.reports) expect(r.summary.accuracy).toBeCloseTo(expected[r.summary.benchmark]!, 12)
      const mean = Object.values(expected).reduce((a, b) => a + b, 0) / 6
      expect(out.average).toBeCloseTo(mean, 12)
      const table = formatOutput(out)
      expect(table).toContain("Avg (6)")
      expect(table).toContain((100 * mean).toFixed(1))
      const path = join(dir, "out.json")
      yield* writeJsonAtomic(path, encodeOutput(out))
      const back = JSON.parse(readFileSync(path, "utf8")) as { reports: Array<{ summary: { benchmark: string } }>; average: number }
      expect(back.reports.map((r) => r.summary.benchmark)).toEqual(PAPER_BENCHMARKS.map((b) => b.name))
      expect(back.average).toBeCloseTo(mean, 12)
      const decoded = yield* readEvalOutput(path)
      expect(decoded.reports.map((r) => r.summary)).toEqual(out.reports.map((r) => r.summary))
      expect(decoded.reports[0]!.problems).toEqual(out.reports[0]!.problems)
      const smallPath = join(dir, "small.json")
      yield* writeJsonAtomic(smallPath, encodeOutput(out, { summaryOnly: true }))
      const notFull = yield* Effect.flip(readEvalOutput(smallPath))
      expect(notFull.message).toContain(`${smallPath}: expected an rlvr eval output`)
      const small = encodeOutput(out, { summaryOnly: true }) as { summaries: Array<{ benchmark: string; accuracy: number }>; average: number }
      expect(small.summaries.map((s) => s.benchmark)).toEqual(PAPER_BENCHMARKS.map((b) => b.name))
      expect(small.average).toBeCloseTo(mean, 12)
      expect("reports" in small).toBe(false)
    }).pipe(Effect.provide(StubVerifier))
  )

  it.effect("a protocol file is registered and used; --verifier-mode overrides the grading mode", () =>
    Effect.gen(function* () {
      const ps = yield* PAPER_BENCHMARKS[0]!.load
      const file = writeFile("m", ps, 1, 2)
      const protoFile = join(dir, "p.json")
      writeFileSync(protoFile, JSON.stringify({ name: "mine", template: "{problem}", maxTokens: 10, n: 2, temperature: 1 }))
      const out = yield* evalRun({ benchmarks: ["math500"], generations: [file], protocolFile: protoFile, verifierMode: "format" })
      expect(out.reports[0]!.summary.protocol).toBe("mine")
      expect(out.reports[0]!.summary.metric).toBe("avg@2")
      expect(out.reports[0]!.settings.verifierMode).toBe("format")
      expect(out.average).toBeUndefined()
    }).pipe(Effect.provide(StubVerifier))
  )

  it.effect("extra benchmarks and a named suite: expanded, and averaged when all ran", () =>
    Effect.gen(function* () {
      const mk = (name: string, k: number) =>
        fromProblems(name, Array.from({ length: k }, (_, i) => new Problem({ id: `${name}/${i}`, prompt: `p${i}`, answer: String(i), source: name })), {
          defaultProtocol: "plain-greedy"
        })
      const a = mk("a", 4)
      const b = mk("b", 2)
      const fa = writeFile("a", yield* a.load, 2) // 2 of 4
      const fb = writeFile("b", yield* b.load, 1) // 2 of 2
      const out = yield* evalRun({ benchmarks: ["ab"], generations: [fa, fb], registry: { benchmarks: [a, b] }, suites: { ab: ["a", "b"] } })
      expect(out.reports.map((r) => [r.summary.benchmark, r.summary.accuracy])).toEqual([["a", 0.5], ["b", 1]])
      expect(out.suiteAverages).toEqual({ ab: 0.75 })
      expect(out.average).toBeUndefined()
      expect(formatOutput(out)).toContain("ab average: 75.0%")
    }).pipe(Effect.provide(StubVerifier))
  )

  it.effect("fails clearly when files and benchmarks do not pair up", () =>
    Effect.gen(function* () {
      const err = yield* Effect.flip(evalRun({ benchmarks: ["all"], generations: ["a.jsonl"] }))
      expect(err.message).toBe(
        "--generations: expected one generations file per benchmark (math500, aime24, amc23, minerva_math, olympiadbench, aime25), got 1 file(s)"
      )
      const none = yield* Effect.flip(evalRun({ benchmarks: [], generations: [] }))
      expect(none.message).toContain("--benchmark: expected at least one benchmark name")
      const missing = yield* Effect.flip(evalRun({ benchmarks: ["math500"], generations: [join(dir, "nope.jsonl")] }))
      expect(missing._tag).toBe("FileError")
    }).pipe(Effect.provide(StubVerifier))
  )
})

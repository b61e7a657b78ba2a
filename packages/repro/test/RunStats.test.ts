import { describe, expect, it } from "@effect/vitest"
import { EvalSummary } from "@oneshot/core"
import { FastCheck as fc } from "effect"
import { subjectsFromDir, subjectsOfJsonl, worldSubjects } from "../src/ProblemSubjects.ts"
import type { PerProblem, RunStat } from "../src/Replication.ts"
import { RunRecord } from "../src/RunRecord.ts"
import { baseStat, type Metric, windowStat } from "../src/RunStats.ts"
import { meanOf } from "../src/Stats.ts"

const T = 20
const LATE = { from: 0.5, to: 1 }

/** One evaluation of `scores` (0/1 per problem), with per-subject accuracies when labels are given. */
const evaluation = (step: number, benchmark: string, scores: ReadonlyArray<number>, labels?: ReadonlyArray<string>, keep = true) => {
  const bySubject: Record<string, { accuracy: number; n: number }> = {}
  for (const s of new Set(labels ?? [])) {
    const mine = scores.filter((_, i) => labels![i] === s)
    bySubject[s] = { accuracy: meanOf(mine), n: mine.length }
  }
  return {
    step,
    summary: EvalSummary.make({
      benchmark, protocol: "greedy", n: scores.length, accuracy: meanOf(scores), bySubject, byLevel: {}, ...(keep ? { problemScores: scores } : {})
    })
  }
}

const runWith = (evals: ReadonlyArray<ReturnType<typeof evaluation>>): RunRecord =>
  RunRecord.make({
    runId: "r", role: "1shot-pi1", source: "run-log", path: "x/r.jsonl", config: {},
    steps: Array.from({ length: T }, (_, i) => ({ step: i + 1, metrics: {} })),
    evals, accuracy: [], generations: [], warnings: []
  })

/** Overall mean of per-problem contributions: mean over benchmarks of the mean over problems. */
const overall = (p: PerProblem): number => meanOf([...p.values()].map(meanOf))

const TEST: Metric = { kind: "test" }
const steps = [0, 5, 10, 15, 20]

describe("per-problem contributions of test-accuracy statistics", () => {
  it("a window mean's per-problem contributions average to its value, over benchmarks of different sizes", () => {
    const bits = (n: number) => fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n })
    fc.assert(
      fc.property(fc.array(fc.tuple(bits(7), bits(3)), { minLength: steps.length, maxLength: steps.length }), (perStep) => {
        const run = runWith(perStep.flatMap(([a, b], j) => [evaluation(steps[j]!, "a", a), evaluation(steps[j]!, "b", b)]))
        for (const stat of [windowStat(TEST, LATE, 2), baseStat(TEST)]) {
          const v = stat.compute(run) as RunStat
          const p = stat.perProblem!(run)!
          expect([...p.keys()].sort()).toEqual(["a", "b"])
          expect(p.get("a")!.length).toBe(7)
          expect(overall(p)).toBeCloseTo(v.value, 9)
        }
      }),
      { numRuns: 50 }
    )
  })

  it("a problem's contribution is its score (pp) averaged over the window's evaluations; at step 0 the base model's score", () => {
    const run = runWith(steps.map((t) => evaluation(t, "a", [1, t >= 15 ? 1 : 0, 0])))
    expect([...windowStat(TEST, LATE, 2).perProblem!(run)!.get("a")!]).toEqual([100, 100, 0]) // steps 15, 20
    expect([...windowStat(TEST, { from: 0, to: 1 }, 2).perProblem!(run)!.get("a")!]).toEqual([100, 50, 0]) // steps 5–20
    expect([...baseStat(TEST).perProblem!(run)!.get("a")!]).toEqual([100, 0, 0])
  })

  it("undefined (unpaired) when an evaluation in the window lacks scores, has one per problem too few, or disagrees with its accuracy", () => {
    const lacking = runWith(steps.map((t) => evaluation(t, "a", [1, 0, 1], undefined, t !== 15)))
    expect(windowStat(TEST, LATE, 2).perProblem!(lacking)).toBeUndefined()
    expect(baseStat(TEST).perProblem!(lacking)).toBeDefined() // step 0 has them
    const short = runWith(steps.map((t) => ({ ...evaluation(t, "a", [1, 0, 1]), summary: EvalSummary.make({ ...evaluation(t, "a", [1, 0, 1]).summary, n: 4 }) })))
    expect(windowStat(TEST, LATE, 2).perProblem!(short)).toBeUndefined()
    const other = runWith(steps.map((t) => ({ ...evaluation(t, "a", [1, 0, 1]), summary: EvalSummary.make({ ...evaluation(t, "a", [1, 0, 1]).summary, accuracy: 0.9 }) })))
    expect(windowStat(TEST, LATE, 2).perProblem!(other)).toBeUndefined()
  })

  it("undefined when the window has too few evaluations (the statistic itself is missing)", () => {
    const run = runWith(steps.map((t) => evaluation(t, "a", [1, 0])))
    expect(typeof windowStat(TEST, { from: 0.9, to: 1 }, 2).compute(run)).toBe("string")
    expect(windowStat(TEST, { from: 0.9, to: 1 }, 2).perProblem!(run)).toBeUndefined()
  })

  it("only statistics of test accuracy have them", () => {
    expect(windowStat({ kind: "boxed" }, LATE, 2).perProblem).toBeUndefined()
    expect(baseStat({ kind: "train" }).perProblem).toBeUndefined()
  })

  describe("a subject's problems, known through a lookup", () => {
    const labels = ["alg", "geo", "alg", "geo", "alg"]
    const lookup = (b: string) => (b === "a" ? labels : undefined)
    const ALG: Metric = { kind: "test", subject: "alg" }
    const run = runWith(steps.flatMap((t) => [evaluation(t, "a", [1, 0, t > 10 ? 1 : 0, 1, 0], labels), evaluation(t, "c", [1, 0], ["geo", "geo"])]))

    it("restricts to the subject's problems; benchmarks without the subject count for nothing, as in the statistic", () => {
      const stat = windowStat(ALG, LATE, 2, lookup)
      const p = stat.perProblem!(run)!
      expect([...p.keys()]).toEqual(["a"])
      expect([...p.get("a")!]).toEqual([100, 100, 0])
      expect(overall(p)).toBeCloseTo((stat.compute(run) as RunStat).value, 9)
      expect(overall(baseStat(ALG, lookup).perProblem!(run)!)).toBeCloseTo((baseStat(ALG).compute(run) as RunStat).value, 9)
    })

    it("unpaired without a lookup, or when the lookup's subjects do not reproduce the logged per-subject accuracy", () => {
      expect(windowStat(ALG, LATE, 2).perProblem!(run)).toBeUndefined()
      expect(windowStat(ALG, LATE, 2, () => ["alg", "alg", "geo", "geo", "alg"]).perProblem!(run)).toBeUndefined()
      expect(windowStat(ALG, LATE, 2, () => ["alg", "geo"]).perProblem!(run)).toBeUndefined()
    })
  })
})

describe("problem subjects from benchmark files", () => {
  it("reads the world's benchmarks: one subject per problem, in order", () => {
    const s = worldSubjects("world-math500")!
    expect(s.length).toBe(500)
    expect(s.every((x) => x.length > 0)).toBe(true)
  })
  it("an unknown benchmark or a name that is not a plain file name is unknown, never an error", () => {
    expect(worldSubjects("math500")).toBeUndefined()
    expect(worldSubjects("../world/data/world-math500")).toBeUndefined()
    expect(subjectsFromDir("/nonexistent")("world-math500")).toBeUndefined()
  })
  it("a file with a line lacking a subject gives none", () => {
    expect(subjectsOfJsonl("{\"subject\":\"a\"}\n{\"subject\":\"b\"}\n")).toEqual(["a", "b"])
    expect(subjectsOfJsonl("{\"subject\":\"a\"}\n{\"id\":1}\n")).toBeUndefined()
    expect(subjectsOfJsonl("not json")).toBeUndefined()
  })
})

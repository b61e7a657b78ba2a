/**
 * Grading each benchmark's own reference answers as responses through the real
 * Verifier (`@oneshot/verifier`, qwen-eval mode) — a check on both the loaders'
 * normalisation and the grader: ≥ 99% everywhere, 100% on MATH500, AIME, AMC.
 */
import { describe, expect, it } from "@effect/vitest"
import { VerifierLive } from "@oneshot/verifier"
import { Effect, Layer } from "effect"
import { EvalHarness, EvaluatorLive } from "../src/Evaluator.ts"
import { PAPER_BENCHMARKS } from "../src/PaperBenchmarks.ts"

const layer = EvaluatorLive.make().pipe(Layer.provide(VerifierLive))

describe("reference answers graded as responses", () => {
  for (const b of PAPER_BENCHMARKS) {
    const floor = ["minerva_math", "olympiadbench"].includes(b.name) ? 0.99 : 1
    it.effect(`${b.name}: ≥ ${100 * floor}%`, () =>
      Effect.gen(function* () {
        const h = yield* EvalHarness
        const problems = yield* b.load
        const records = problems.map((p, i) => ({
          id: p.id,
          where: `ref:${i + 1}`,
          responses: [{ text: `Reasoning omitted. The final answer is $\\boxed{${p.answer}}$.` }]
        }))
        const report = yield* h.gradeGenerations(records, b.name, "plain-greedy")
        const wrong = report.problems.filter((p) => p.correct === 0).map((p) => `${p.id}: ${p.gold}`)
        expect(wrong.length / problems.length, wrong.slice(0, 10).join("; ")).toBeLessThanOrEqual(1 - floor)
        expect(report.summary.boxedRatio).toBe(1)
      }).pipe(Effect.provide(layer))
    )
  }
})

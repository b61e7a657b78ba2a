/**
 * Scoring a policy on the world's test sets, as the model card reports it:
 * greedy decoding under the world protocol (deepscaler grading: boxed answers
 * only), plus the same responses regraded leniently (qwen-eval: `The answer
 * is X` also counts), which measures the latent skill behind the format.
 */
import { type FileError, type InvalidInput, type TextGenerator, Verifier } from "@oneshot/core"
import { type EvalReport, formatGroups, formatTable, makeHarness } from "@oneshot/eval"
import { Effect } from "effect"
import { WORLD_PROTOCOLS, WorldLenientProtocol, worldBenchmarks } from "./Benchmarks.ts"
import { TEST_SPLITS } from "./Splits.ts"
import { WORLD_PROTOCOL } from "./Template.ts"

export interface WorldScores {
  readonly strict: ReadonlyArray<EvalReport>
  readonly lenient: ReadonlyArray<EvalReport>
  /** Mean accuracy over the test benchmarks (the paper's "average over benchmarks"). */
  readonly average: number
}

export const worldHarness = Effect.map(Verifier, (v) =>
  makeHarness(v, { benchmarks: worldBenchmarks, protocols: WORLD_PROTOCOLS, withoutPaperDefaults: true, defaultProtocol: WORLD_PROTOCOL })
)

/** Samples `generator` once per benchmark and grades the same responses both ways. */
export const scoreWorld = <E, R>(
  generator: TextGenerator<E, R>,
  benchmarks: ReadonlyArray<string> = TEST_SPLITS
): Effect.Effect<WorldScores, E | InvalidInput | FileError, R | Verifier> =>
  Effect.gen(function* () {
    const harness = yield* worldHarness
    const strict: Array<EvalReport> = []
    const lenient: Array<EvalReport> = []
    for (const b of benchmarks) {
      const report = yield* harness.run(generator, b, WORLD_PROTOCOL)
      strict.push(report)
      const records = report.problems.map((p) => ({ id: p.id, responses: p.samples.map((s) => ({ text: s.response })), where: p.id }))
      lenient.push(yield* harness.gradeGenerations(records, b, WorldLenientProtocol.name))
    }
    const average = strict.reduce((s, r) => s + r.summary.accuracy, 0) / Math.max(1, strict.length)
    return { strict, lenient, average }
  })

export const formatScores = (s: WorldScores, details = true): string =>
  [
    formatTable([...s.strict, ...s.lenient].map((r) => r.summary)),
    `average accuracy over ${s.strict.length} test benchmarks (${WORLD_PROTOCOL}): ${(100 * s.average).toFixed(1)}%`,
    ...(details ? s.strict.map((r) => formatGroups(r.summary)).filter((x) => x !== "") : [])
  ].join("\n\n")

/**
 * The evaluator a world training run uses: every world split as a benchmark,
 * the world's protocols, and the stratified subsets the recorded runs score
 * every few steps (`world-math500-sub`, `world-hard-sub`: the first
 * `perCell` problems of each subject × level cell). One definition for the
 * recorder and for `rlvr train --preset world-…`, so both score alike.
 */
import type { Evaluator, FileError, InvalidInput, Verifier } from "@oneshot/core"
import { type EvalHarness, EvaluatorLive, fromProblems } from "@oneshot/eval"
import { Effect, Layer } from "effect"
import { WORLD_PROTOCOLS, worldBenchmarks } from "./Benchmarks.ts"
import { readSplit } from "./Files.ts"
import { stratifiedSubset } from "./SelectPi1.ts"
import { WORLD_PROTOCOL } from "./Template.ts"

/** Problems per subject × level cell in the recorded runs' evaluation subsets. */
export const DEFAULT_PER_CELL = 2

/** The world evaluator, with subsets of `perCell` problems per cell; fails if a shipped split cannot be read. */
export const worldEvaluatorLayer = (perCell: number = DEFAULT_PER_CELL): Layer.Layer<EvalHarness | Evaluator, FileError | InvalidInput, Verifier> =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const math500 = stratifiedSubset(yield* readSplit("world-math500"), perCell)
      const hard = stratifiedSubset(yield* readSplit("world-hard"), perCell)
      const layer: Layer.Layer<EvalHarness | Evaluator, never, Verifier> = EvaluatorLive.make({
        benchmarks: [
          ...worldBenchmarks,
          fromProblems("world-math500-sub", math500, { defaultProtocol: WORLD_PROTOCOL, description: `world-math500, first ${perCell} per subject × level cell` }),
          fromProblems("world-hard-sub", hard, { defaultProtocol: WORLD_PROTOCOL, description: `world-hard, first ${perCell} per subject × level cell` })
        ],
        protocols: WORLD_PROTOCOLS,
        withoutPaperDefaults: true,
        defaultProtocol: WORLD_PROTOCOL
      })
      return layer
    })
  )

/** Whether a run's evaluation names a world benchmark (so it needs this evaluator, not the paper's). */
export const evaluatesOnWorld = (benchmarks: ReadonlyArray<string>): boolean => benchmarks.some((b) => b.startsWith("world-"))

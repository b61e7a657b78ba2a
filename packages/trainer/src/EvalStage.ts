/**
 * The evaluation stage: every configured benchmark through the Evaluator (when
 * one is provided), sampling on the run's replicas; each summary goes to the
 * run's sinks, and the accuracies come back as `val/test_score/<benchmark>`
 * step metrics with `timing_s/eval`. Interruptible: the trainer runs it
 * outside the uninterruptible update.
 */
import type { EvaluatorShape, TextGenerator } from "@oneshot/core"
import { Clock, Effect, Option } from "effect"
import type { TrainConfig } from "./Config.ts"
import type { RunSink } from "./RunSink.ts"
import { secondsSince } from "./Timing.ts"

export const evalStage =
  <E, R>(eval_: TrainConfig["eval"], evaluator: Option.Option<EvaluatorShape>, generate: TextGenerator<E, R>, sink: RunSink) =>
  (step: number) =>
    Effect.gen(function* () {
      const out: Record<string, number> = {}
      if (Option.isNone(evaluator) || eval_.benchmarks.length === 0) return out
      const t0 = yield* Clock.currentTimeNanos
      for (const benchmark of eval_.benchmarks) {
        const summary = yield* evaluator.value.evaluate(generate, benchmark, eval_.protocol, eval_.perProblem === true ? { perProblem: true } : {})
        yield* sink.write({ _tag: "eval", step, summary })
        out[`val/test_score/${benchmark}`] = summary.accuracy
      }
      out["timing_s/eval"] = yield* secondsSince(t0)
      return out
    })

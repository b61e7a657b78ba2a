/**
 * Evaluation summaries and the Evaluator service contract. The implementation
 * (benchmarks, protocols, metrics) lives in `@oneshot/eval`; the trainer only
 * needs this contract to evaluate every k steps.
 */
import { Context, type Effect, Schema } from "effect"
import type { TextGenerator } from "./Sampling.ts"

/** Accuracy of a group of problems (a subject, a level). */
export const GroupAccuracy = Schema.Struct({ accuracy: Schema.Number, n: Schema.Int })

/** Aggregate numbers of one benchmark under one protocol. */
export class EvalSummary extends Schema.Class<EvalSummary>("EvalSummary")({
  benchmark: Schema.String,
  protocol: Schema.String,
  /** Number of problems. */
  n: Schema.Int,
  /** Mean accuracy over problems (avg@k when k samples per problem), in [0, 1]. */
  accuracy: Schema.Number,
  bySubject: Schema.optionalWith(Schema.Record({ key: Schema.String, value: GroupAccuracy }), { default: () => ({}) }),
  byLevel: Schema.optionalWith(Schema.Record({ key: Schema.String, value: GroupAccuracy }), { default: () => ({}) }),
  /** Fraction of responses containing a `\boxed{}` answer. */
  boxedRatio: Schema.optional(Schema.Number),
  /** Mean count per response of the reflection words (rethink | recheck | recalculate). */
  reflectionRate: Schema.optional(Schema.Number),
  meanResponseLength: Schema.optional(Schema.Number),
  truncationRate: Schema.optional(Schema.Number)
}) {}

export interface EvaluatorShape {
  /** Evaluates a generator on a registered benchmark under a named protocol. */
  readonly evaluate: <E, R>(
    generator: TextGenerator<E, R>,
    benchmark: string,
    protocol?: string
  ) => Effect.Effect<EvalSummary, E, R>
}

export class Evaluator extends Context.Tag("@oneshot/core/Evaluator")<Evaluator, EvaluatorShape>() {}

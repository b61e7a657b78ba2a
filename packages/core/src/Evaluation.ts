/**
 * Evaluation summaries and the Evaluator service contract. The implementation
 * (benchmarks, protocols, metrics) lives in `@oneshot/eval`; the trainer only
 * needs this contract to evaluate every k steps.
 */
import { Context, type Effect, Schema } from "effect"
import type { FileError, InvalidInput } from "./Errors.ts"
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
  /** Mean response length, in `lengthUnit` (tokens when every response's token count is known, else characters). */
  meanResponseLength: Schema.optional(Schema.Number),
  /** Fraction of responses cut off at the max-token limit (absent when finish reasons are unknown). */
  truncationRate: Schema.optional(Schema.Number),
  /** The headline metric behind `accuracy`: `greedy` (1 sample at T 0) or `avg@k`. */
  metric: Schema.optional(Schema.String),
  /** Samples per problem (k of avg@k). */
  samplesPerProblem: Schema.optional(Schema.Int),
  /** Total number of graded responses. */
  responses: Schema.optional(Schema.Int),
  /** Unbiased pass@k (Chen et al. 2021), keyed by k. */
  passAtK: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Number })),
  /** Majority-vote accuracy over the first k samples, keyed by k. */
  majAtK: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Number })),
  /** Number of responses containing at least one reflection word (what the paper's Fig. 4 counts). */
  reflectionCount: Schema.optional(Schema.Int),
  lengthUnit: Schema.optional(Schema.Literal("tokens", "chars")),
  /**
   * Each problem's score (0/1 greedy, or its avg@k), in the benchmark's
   * problem order. Present only when the evaluation asked for it: with it,
   * two evaluations on the same problems can be compared pairwise, whose
   * variance is far below that of two independent accuracies.
   */
  problemScores: Schema.optional(Schema.Array(Schema.Number))
}) {}

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** Keep each problem's score in the summary (`problemScores`). */
  readonly perProblem?: boolean
}

export interface EvaluatorShape {
  /**
   * Evaluates a generator on a registered benchmark under a named protocol
   * (default: the benchmark's own). Fails with `InvalidInput` for an unknown
   * benchmark or protocol, `FileError`/`InvalidInput` when the benchmark cannot be loaded.
   */
  readonly evaluate: <E, R>(
    generator: TextGenerator<E, R>,
    benchmark: string,
    protocol?: string,
    options?: EvaluateOptions
  ) => Effect.Effect<EvalSummary, E | InvalidInput | FileError, R>
}

export class Evaluator extends Context.Tag("@oneshot/core/Evaluator")<Evaluator, EvaluatorShape>() {}

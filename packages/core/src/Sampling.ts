/**
 * Text generation as the rest of the system sees it: a function from prompts
 * to samples. A Policy provides one; so does a file of recorded generations.
 */
import { type Effect, Schema } from "effect"

export class GenerateOptions extends Schema.Class<GenerateOptions>("GenerateOptions")({
  /** Samples per prompt. */
  n: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 }),
  /** 0 means greedy. */
  temperature: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 0 }),
  topP: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 1)), { default: () => 1 }),
  maxTokens: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 256 }),
  stop: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  seed: Schema.optional(Schema.Int)
}) {}

export const FinishReason = Schema.Literal("eos", "length", "stop")
export type FinishReason = typeof FinishReason.Type

export class Sample extends Schema.Class<Sample>("Sample")({
  text: Schema.String,
  tokenIds: Schema.Array(Schema.Int),
  /** Log-probability of each sampled token under the sampling distribution's model (before temperature). */
  logprobs: Schema.Array(Schema.Number),
  finishReason: FinishReason
}) {}

/** prompts → for each prompt, `options.n` samples. */
export type TextGenerator<E = never, R = never> = (
  prompts: ReadonlyArray<string>,
  options: GenerateOptions
) => Effect.Effect<ReadonlyArray<ReadonlyArray<Sample>>, E, R>

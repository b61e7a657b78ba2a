/**
 * The result of grading one response against a gold answer.
 */
import { Schema } from "effect"

/**
 * - `deepscaler`: the paper's training reward (last `\boxed{}`, MATH normalisation, symbolic equivalence), 0/1.
 * - `qwen-eval`: the Qwen2.5-Math evaluation grader behind the paper's reported scores.
 * - `strict`: the most correct answer this verifier can give (Math-Verify-like).
 * - `format`: 1 iff an answer can be extracted at all.
 */
export const VerifierMode = Schema.Literal("deepscaler", "qwen-eval", "strict", "format")
export type VerifierMode = typeof VerifierMode.Type

export class Grade extends Schema.Class<Grade>("Grade")({
  correct: Schema.Boolean,
  /** The extracted final answer, `null` when the response has none (the format signal). */
  extracted: Schema.NullOr(Schema.String),
  /** Normalised forms that were compared, for debugging and reports. */
  normalizedExtracted: Schema.optional(Schema.String),
  normalizedGold: Schema.optional(Schema.String),
  /** The rule that decided (e.g. `no-answer`, `string-equal`, `rational-equal`, `set-equal`, `timeout`). */
  rule: Schema.String,
  /** True when the grading time bound ran out; such a grade is never correct. */
  timedOut: Schema.Boolean,
  mode: VerifierMode
}) {}

export interface GradeOptions {
  readonly mode?: VerifierMode
  /** Time bound in milliseconds (default 100). */
  readonly timeoutMs?: number
}

/**
 * A verifiable math problem: the unit of every benchmark, training pool and
 * synthetic-world split.
 */
import { Schema } from "effect"

export class Problem extends Schema.Class<Problem>("Problem")({
  /** Stable identifier, unique within its source (e.g. `math500/test/123`, DSR-sub `extra_info.index`). */
  id: Schema.String,
  /** The problem statement, without any chat template. */
  prompt: Schema.String,
  /** The gold answer as the source gives it (LaTeX allowed). */
  answer: Schema.String,
  /** Category (MATH subject, or a synthetic-world category). */
  subject: Schema.optional(Schema.String),
  /** Difficulty level, 1–5 for MATH-like sources. */
  level: Schema.optional(Schema.Number),
  /** Where the problem comes from: a benchmark or data-set name. */
  source: Schema.String
}) {}

export const Problems = Schema.Array(Problem)

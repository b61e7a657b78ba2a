/**
 * The wire formats: OpenRLHF's remote reward protocol and this server's own
 * `/grade` batch endpoint. Requests are decoded with these Schemas, so a wrong
 * type is a 400 that names the field.
 */
import { Grade, VerifierMode } from "@oneshot/core"
import { Schema } from "effect"

/** POST `/get_reward` (OpenRLHF `--remote_rm_url`): `query[i]` = prompt + response, `labels[i]` = gold answer. */
export const OpenRlhfRequest = Schema.Struct({
  query: Schema.Array(Schema.String),
  /** Optional: without prompts the whole query is graded. */
  prompts: Schema.optional(Schema.Array(Schema.String)),
  labels: Schema.Array(Schema.String)
})
export type OpenRlhfRequest = typeof OpenRlhfRequest.Type

/**
 * OpenRLHF reads `rewards` (advantages), `scores` (0–1, dynamic filtering) and
 * logs every `extra_logs` entry; entries here are per-sample lists, like the
 * `{"dummy_scores": reward}` of OpenRLHF's own reward-function example.
 */
export const OpenRlhfResponse = Schema.Struct({
  rewards: Schema.Array(Schema.Number),
  scores: Schema.Array(Schema.Number),
  extra_logs: Schema.Struct({
    correct: Schema.Array(Schema.Number),
    has_answer: Schema.Array(Schema.Number),
    timed_out: Schema.Array(Schema.Number),
    prompt_found: Schema.Array(Schema.Number)
  })
})
export type OpenRlhfResponse = typeof OpenRlhfResponse.Type

/** One item of POST `/grade`. */
export const GradeItem = Schema.Struct({
  response: Schema.String,
  gold: Schema.String,
  /** Defaults to the server's `--mode`. */
  mode: Schema.optional(VerifierMode)
})
export type GradeItem = typeof GradeItem.Type

/** POST `/grade` body: a JSON array of items. */
export const GradeRequest = Schema.Array(GradeItem)

/** POST `/grade` answer: one grade per item, in order. */
export const GradeResponse = Schema.Struct({
  grades: Schema.Array(Grade),
  elapsedMs: Schema.Number
})

/** GET `/health`. */
export const HealthResponse = Schema.Struct({
  status: Schema.Literal("ok", "draining"),
  mode: VerifierMode,
  workers: Schema.Int,
  busyWorkers: Schema.Int,
  queuedItems: Schema.Int,
  workerRestarts: Schema.Int,
  inFlightRequests: Schema.Int,
  pendingItems: Schema.Int,
  requests: Schema.Int,
  gradedItems: Schema.Int,
  rejected: Schema.Int,
  uptimeS: Schema.Number
})
export type HealthResponse = typeof HealthResponse.Type

/** Every non-2xx answer. */
export const ErrorResponse = Schema.Struct({
  error: Schema.Struct({ status: Schema.Int, code: Schema.String, message: Schema.String })
})
export type ErrorResponse = typeof ErrorResponse.Type

/**
 * Errors of the policy package. Each names the input and what was expected,
 * so a failed run says what to fix.
 */
import { InputErrorFields, inputErrorMessage } from "@oneshot/core"
import { Schema } from "effect"

/**
 * A model config, token batch or generate option that cannot be used: core's
 * input-error shape (`input` is a config field, `batch.tokens[3]`, an option
 * name) under the policy's own tag.
 */
export class PolicyError extends Schema.TaggedError<PolicyError>()("PolicyError", InputErrorFields) {
  override get message(): string {
    return inputErrorMessage(this)
  }
}

/** A checkpoint directory that cannot be written or read back. */
export class CheckpointError extends Schema.TaggedError<CheckpointError>()("CheckpointError", {
  /** The file: `dir/model.safetensors`, `dir/config.json`. */
  path: Schema.String,
  /** What was wrong and what was expected. */
  reason: Schema.String,
  /** The underlying error (I/O, JSON, tokenizer library), for `--verbose`. */
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `checkpoint ${this.path}: ${this.reason}`
  }
}

/** A tfjs backend that cannot be selected here. */
export class BackendError extends Schema.TaggedError<BackendError>()("BackendError", {
  backend: Schema.String,
  /** Why, and how to get it working. */
  reason: Schema.String,
  /** The error the backend's loader threw. */
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `backend ${this.backend}: ${this.reason}`
  }
}

/**
 * Errors shared by every package. Each names the input and what was expected.
 */
import { Schema } from "effect"

/** A file or line that does not have the expected shape. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  /** What was read: a file path, `file:line`, a config field. */
  input: Schema.String,
  /** What was expected there. */
  expected: Schema.String,
  /** What was found (abbreviated). */
  actual: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return `${this.input}: expected ${this.expected}${this.actual === undefined ? "" : `, got ${this.actual}`}`
  }
}

/** A file system operation failed. */
export class FileError extends Schema.TaggedError<FileError>()("FileError", {
  path: Schema.String,
  operation: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot ${this.operation} ${this.path}: ${this.reason}`
  }
}

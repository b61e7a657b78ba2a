/**
 * Errors shared by every package. Each names the input and what was
 * expected, and keeps the error that caused it (`cause`) for `--verbose`
 * and for callers that inspect it.
 */
import { Schema } from "effect"

/**
 * The fields of an input error: every package's "this input is not what was
 * expected" error has these (core's `InvalidInput`, and any package error
 * that wants its own tag: `Schema.TaggedError<X>()("X", InputErrorFields)`).
 */
export const InputErrorFields = {
  /** What was read: a file path, `file:line`, a config field, an option. */
  input: Schema.String,
  /** What was expected there. */
  expected: Schema.String,
  /** What was found (abbreviated). */
  actual: Schema.optional(Schema.String),
  /** The underlying error, when there was one (a parse error, an I/O error). */
  cause: Schema.optional(Schema.Defect)
}

/** `input: expected X, got Y`: one line, the way every input error reads. */
export const inputErrorMessage = (e: { readonly input: string; readonly expected: string; readonly actual?: string | undefined }): string =>
  `${e.input}: expected ${e.expected}${e.actual === undefined ? "" : `, got ${e.actual}`}`

/** A file or line that does not have the expected shape. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", InputErrorFields) {
  override get message(): string {
    return inputErrorMessage(this)
  }
}

/** A file system operation failed. */
export class FileError extends Schema.TaggedError<FileError>()("FileError", {
  path: Schema.String,
  operation: Schema.String,
  reason: Schema.String,
  /** The underlying error (the errno, the stack), when there was one. */
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `cannot ${this.operation} ${this.path}: ${this.reason}`
  }
}

/** The text of an error as a reason: its message when it is an Error, else its string form. */
export const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

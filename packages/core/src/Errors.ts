/**
 * Errors shared by every package. Each names the input and what was
 * expected, and keeps the error that caused it (`cause`) for `--verbose`
 * and for callers that inspect it.
 */
import { ParseResult, Schema } from "effect"

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

/**
 * What was wrong with a value that failed to decode, as one short line that
 * names the offending field and value (`step: Expected number, actual "one"`)
 * rather than a dump of the schema: a Schema parse error's first issue, a
 * JSON syntax error's message, any other error's first line.
 */
export const decodeFailureSummary = (e: unknown): string => {
  if (ParseResult.isParseError(e)) {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(e)
    const first = issues[0]
    if (first === undefined) return e.message.split("\n")[0] ?? ""
    const where = first.path.length === 0 ? "" : `${first.path.map(String).join(".")}: `
    return `${where}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`
  }
  if (e instanceof SyntaxError) return `not JSON (${e.message})`
  if (e instanceof Error) return e.message.split("\n")[0] ?? ""
  return String(e)
}

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

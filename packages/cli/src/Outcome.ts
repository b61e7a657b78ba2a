/**
 * How a command's end reaches the shell: exit 0 when it succeeded, 1 when it
 * failed, 2 when it was called wrongly (a usage error), 130 when interrupted
 * (Ctrl-C, as shells report SIGINT); a failure is one line on stderr,
 * `rlvr <command>: <what was wrong with which input>`, with the stack only
 * under `--verbose`.
 */
import { ValidationError } from "@effect/cli"
import { Cause, Exit, Option } from "effect"

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
export const EXIT_INTERRUPTED = 130

export const exitCodeOf = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return EXIT_OK
  if (Cause.isInterruptedOnly(exit.cause)) return EXIT_INTERRUPTED
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) return EXIT_USAGE
  return EXIT_FAILURE
}

/** The message of an error value: its `message` (Schema.TaggedError builds one that names the input), else its string form. */
export const messageOf = (e: unknown): string => {
  if (e instanceof Error || (typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string")) {
    const m = (e as { message: string }).message
    if (m !== "") return m
    const tag = (e as { _tag?: unknown })._tag
    return typeof tag === "string" ? tag : String(e)
  }
  return String(e)
}

/** `rlvr world eval: ` — the prefix once, even when the message already starts with it. */
const prefixed = (commandPath: ReadonlyArray<string>, message: string): string => {
  const prefix = `rlvr${commandPath.length > 0 ? ` ${commandPath.join(" ")}` : ""}: `
  let m = message.trim()
  while (m.startsWith(prefix)) m = m.slice(prefix.length)
  // Two lines at most: the first line of the message and, if there are more, a pointer to --verbose.
  const [first, ...rest] = m.split("\n")
  return `${prefix}${first ?? ""}${rest.some((l) => l.trim() !== "") ? ` (${rest.filter((l) => l.trim() !== "").length} more lines with --verbose)` : ""}`
}

/**
 * The lines to print on stderr for a failed run, or none: usage errors were
 * already printed by the parser, and an interruption is reported by the
 * command that was interrupted.
 */
export const failureLines = (cause: Cause.Cause<unknown>, commandPath: ReadonlyArray<string>, verbose: boolean): ReadonlyArray<string> => {
  if (Cause.isInterruptedOnly(cause)) return []
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) return []
  if (verbose) return [Cause.pretty(cause, { renderErrorCause: true })]
  if (Option.isSome(failure)) return [prefixed(commandPath, messageOf(failure.value))]
  const defect = Cause.dieOption(cause)
  const what = Option.isSome(defect) ? messageOf(defect.value) : "failed"
  return [prefixed(commandPath, `${what} (an internal error: --verbose shows where)`)]
}

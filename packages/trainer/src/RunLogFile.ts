/**
 * The run log on disk: core's `RunLogLine`s, one JSON object per line,
 * appended synchronously (a line is in the file before the next step starts,
 * so a kill -9 loses at most a partial last line). Resuming from a checkpoint
 * moves the lines written after it — steps that will be recomputed — to an
 * `.orphaned-*` file beside the log instead of deleting them, so the log
 * keeps each step exactly once and nothing is lost.
 */
import { decodeFailureSummary, FileError, InvalidInput, RunLogLine } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { appendFileSync, existsSync, openSync, readFileSync, readSync, closeSync, renameSync, statSync, truncateSync, writeFileSync } from "node:fs"

const fileError = (path: string, operation: string) => (e: unknown) =>
  new FileError({ path, operation, reason: e instanceof Error ? e.message : String(e) })

const encodeLine = Schema.encodeSync(RunLogLine)

/** Appends one line (validated against core's schema). */
export const appendRunLog = (path: string, line: RunLogLine): Effect.Effect<void, FileError> =>
  Effect.try({ try: () => appendFileSync(path, `${JSON.stringify(encodeLine(line))}\n`), catch: fileError(path, "append to") })

/** Current size in bytes (0 when absent): what a checkpoint records. */
export const runLogSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0)

/** Reads and decodes every line; a bad line fails naming `file:line`. */
export const readRunLog = (path: string): Effect.Effect<ReadonlyArray<RunLogLine>, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({ try: () => readFileSync(path, "utf8"), catch: fileError(path, "read") })
    const out: Array<RunLogLine> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() === "") continue
      out.push(
        yield* Effect.try({
          try: () => Schema.decodeUnknownSync(RunLogLine)(JSON.parse(lines[i]!)),
          catch: (e) => new InvalidInput({ input: `${path}:${i + 1}`, expected: "a run-log line", actual: decodeFailureSummary(e), cause: e })
        })
      )
    }
    return out
  })

/**
 * Cuts the log back to `bytes` (its size at the checkpoint being resumed),
 * saving the cut tail to `<path>.orphaned-<tag>` first. Returns the orphan path, if any.
 */
export const rewindRunLog = (path: string, bytes: number, tag: string): Effect.Effect<string | undefined, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const size = runLogSize(path)
    if (size < bytes) {
      return yield* new InvalidInput({ input: path, expected: `at least ${bytes} bytes (its size at the checkpoint)`, actual: `${size} bytes` })
    }
    if (size === bytes) return undefined
    const orphan = `${path}.orphaned-${tag}`
    yield* Effect.try({
      try: () => {
        const fd = openSync(path, "r")
        const buf = Buffer.alloc(size - bytes)
        readSync(fd, buf, 0, buf.length, bytes)
        closeSync(fd)
        writeFileSync(`${orphan}.tmp`, buf)
        renameSync(`${orphan}.tmp`, orphan)
        truncateSync(path, bytes)
      },
      catch: fileError(path, "rewind")
    })
    return orphan
  })

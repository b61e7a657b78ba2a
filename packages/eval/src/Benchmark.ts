/**
 * A benchmark is a name, some metadata and an Effect that loads its problems.
 * The registry is open: the paper's six benchmarks are registered the same way
 * as any other list of problems (e.g. the synthetic world's splits).
 */
import { decodeFailureSummary, FileError, InvalidInput, Problem } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { readFile } from "node:fs/promises"

export interface Benchmark {
  /** Registry key, e.g. `math500`. */
  readonly name: string
  readonly description: string
  /** Number of problems the source is expected to hold (checked on load when given). */
  readonly size?: number
  /** The protocol used when none is named. */
  readonly defaultProtocol?: string
  readonly load: Effect.Effect<ReadonlyArray<Problem>, InvalidInput | FileError>
}

/** A benchmark over problems already in memory (e.g. a synthetic-world split). */
export const fromProblems = (
  name: string,
  problems: ReadonlyArray<Problem>,
  options: { readonly description?: string; readonly defaultProtocol?: string } = {}
): Benchmark => ({
  name,
  description: options.description ?? `${problems.length} problems`,
  size: problems.length,
  ...(options.defaultProtocol === undefined ? {} : { defaultProtocol: options.defaultProtocol }),
  load: Effect.succeed(problems)
})

const abbreviate = (s: string, max = 200): string => (s.length <= max ? s : `${s.slice(0, max)}…`)

/**
 * Reads a JSONL file and turns each non-blank line into a Problem with `toProblem`,
 * failing with `file:line` on unparsable JSON, a row that does not match `row`,
 * or a row that `toProblem` rejects (by returning a string saying what was expected).
 */
export const loadJsonl = <A, I>(
  file: string,
  row: Schema.Schema<A, I>,
  rowDescription: string,
  toProblem: (a: A, index: number) => Problem | string
): Effect.Effect<ReadonlyArray<Problem>, InvalidInput | FileError> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => readFile(file, "utf8"),
      catch: (e) => new FileError({ path: file, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
    })
    const decode = Schema.decodeUnknownEither(row)
    const problems: Array<Problem> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!
      if (line.trim() === "") continue
      const where = `${file}:${i + 1}`
      let json: unknown
      try {
        json = JSON.parse(line)
      } catch (e) {
        return yield* new InvalidInput({ input: where, expected: "one JSON object per line", actual: e instanceof Error ? e.message : String(e), cause: e })
      }
      const decoded = decode(json)
      if (decoded._tag === "Left") {
        return yield* new InvalidInput({
          input: where,
          expected: rowDescription,
          actual: abbreviate(decodeFailureSummary(decoded.left))
        })
      }
      const p = toProblem(decoded.right, problems.length)
      if (typeof p === "string") return yield* new InvalidInput({ input: where, expected: p, actual: abbreviate(line) })
      problems.push(p)
    }
    return problems
  })

/** Checks the loaded count against `benchmark.size`. */
export const checkSize = (
  name: string,
  expected: number | undefined,
  problems: ReadonlyArray<Problem>
): Effect.Effect<ReadonlyArray<Problem>, InvalidInput> =>
  expected === undefined || problems.length === expected
    ? Effect.succeed(problems)
    : Effect.fail(new InvalidInput({ input: `benchmark ${name}`, expected: `${expected} problems`, actual: `${problems.length}` }))

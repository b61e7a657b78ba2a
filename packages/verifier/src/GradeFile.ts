/**
 * Grading JSONL lines of `{"response", "gold"}` (the logic of `rlvr grade`):
 * one output line per input line, in order, so outputs pair with inputs by line
 * number. A graded line is the input plus `correct`, `extracted`, `rule` and
 * `timedOut`; a malformed line (not JSON, not an object, fields missing or not
 * strings, or blank) becomes `{"error": "file:line: expected …, got …"}`.
 */
import { type GradeOptions, InvalidInput } from "@oneshot/core"
import { Either, Schema } from "effect"
import { grade } from "./Grader.ts"

/** One input line. Other fields are kept and echoed to the output. */
export const GradeRequest = Schema.Struct({ response: Schema.String, gold: Schema.String })
export type GradeRequest = typeof GradeRequest.Type

export interface GradeFileSummary {
  readonly count: number
  readonly correct: number
  readonly malformed: number
  readonly timedOut: number
  readonly accuracy: number
  /** Wall-clock time spent grading (excluding reading and writing), in seconds. */
  readonly seconds: number
  /** Process CPU time spent grading, in seconds (what the grading costs on a busy machine). */
  readonly cpuSeconds: number
}

/** The output for one input line. */
export type GradedLine =
  | { readonly _tag: "Graded"; readonly output: string; readonly correct: boolean; readonly timedOut: boolean; readonly ms: number }
  | { readonly _tag: "Malformed"; readonly output: string; readonly error: InvalidInput }

export interface GradeFileResult {
  /** Output lines, one per input line, in input order. */
  readonly lines: ReadonlyArray<string>
  readonly errors: ReadonlyArray<InvalidInput>
  readonly summary: GradeFileSummary
}

const decode = Schema.decodeUnknownEither(GradeRequest)

const abbreviate = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s)

const EXPECTED_LINE = 'a JSON object {"response": string, "gold": string}'

/** Parses one line: the record (with its extra fields) or an error naming `file:line`. */
export const parseGradeLine = (
  line: string,
  lineNumber: number,
  file: string
): Either.Either<Record<string, unknown> & GradeRequest, InvalidInput> => {
  const input = `${file}:${lineNumber}`
  if (line.trim().length === 0) return Either.left(new InvalidInput({ input, expected: EXPECTED_LINE, actual: "an empty line" }))
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch (e) {
    return Either.left(new InvalidInput({ input, expected: EXPECTED_LINE, actual: `${abbreviate(line)} (${e instanceof Error ? e.message : String(e)})` }))
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left(new InvalidInput({ input, expected: EXPECTED_LINE, actual: abbreviate(line) }))
  }
  return Either.match(decode(json), {
    onLeft: () => Either.left(new InvalidInput({ input, expected: 'string fields "response" and "gold"', actual: abbreviate(line) })),
    onRight: () => Either.right(json as Record<string, unknown> & GradeRequest)
  })
}

/** Grades one input line (a trailing `\r` is ignored). Never throws. */
export const gradeLine = (raw: string, lineNumber: number, file: string, options?: GradeOptions): GradedLine => {
  const parsed = parseGradeLine(raw.replace(/\r$/, ""), lineNumber, file)
  if (Either.isLeft(parsed)) {
    return { _tag: "Malformed", output: JSON.stringify({ error: parsed.left.message }), error: parsed.left }
  }
  const rec = parsed.right
  const t = performance.now()
  const g = grade(rec.response, rec.gold, options)
  const ms = performance.now() - t
  const output = JSON.stringify({ ...rec, correct: g.correct, extracted: g.extracted, rule: g.rule, timedOut: g.timedOut })
  return { _tag: "Graded", output, correct: g.correct, timedOut: g.timedOut, ms }
}

/** A running total of graded lines, for the summary. */
export class GradeTally {
  count = 0
  correct = 0
  timedOut = 0
  ms = 0
  readonly errors: Array<InvalidInput> = []
  private readonly cpu0 = process.cpuUsage()

  add(line: GradedLine): void {
    if (line._tag === "Malformed") {
      this.errors.push(line.error)
      return
    }
    this.count++
    if (line.correct) this.correct++
    if (line.timedOut) this.timedOut++
    this.ms += line.ms
  }

  summary(): GradeFileSummary {
    const cpu = process.cpuUsage(this.cpu0)
    return {
      count: this.count,
      correct: this.correct,
      malformed: this.errors.length,
      timedOut: this.timedOut,
      accuracy: this.count === 0 ? 0 : this.correct / this.count,
      seconds: this.ms / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6
    }
  }
}

/** The input lines of a JSONL text: split at `\n`; a final newline ends the last line and adds none. */
export const jsonlLines = (text: string): Array<string> => {
  const rows = text.split("\n")
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop()
  return rows
}

/** Grades every line of a JSONL text. */
export const gradeJsonl = (text: string, file: string, options?: GradeOptions): GradeFileResult => {
  const tally = new GradeTally()
  const lines = jsonlLines(text).map((raw, k) => {
    const graded = gradeLine(raw, k + 1, file, options)
    tally.add(graded)
    return graded.output
  })
  return { lines, errors: tally.errors, summary: tally.summary() }
}

export const formatSummary = (s: GradeFileSummary, mode: string): string =>
  `graded ${s.count} lines (${s.malformed} malformed${s.timedOut > 0 ? `, ${s.timedOut} timed out` : ""}) in ${mode} mode: accuracy ${(100 * s.accuracy).toFixed(2)}% (${s.correct}/${s.count}), ${s.seconds.toFixed(3)} s grading (${s.cpuSeconds.toFixed(3)} s CPU)`

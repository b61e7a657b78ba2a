/**
 * Grading a JSONL file of `{"response", "gold"}` lines (the `rlvr grade`
 * command's logic): every line is graded independently; a malformed line
 * becomes an `InvalidInput` naming its line number and the rest continue.
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
  readonly accuracy: number
  /** Wall-clock time spent grading (excluding reading and writing), in seconds. */
  readonly seconds: number
  /** Process CPU time spent grading, in seconds (what the grading costs on a busy machine). */
  readonly cpuSeconds: number
}

export interface GradeFileResult {
  /** Output lines: the input object plus `correct` and `extracted`, in input order. */
  readonly lines: ReadonlyArray<string>
  readonly errors: ReadonlyArray<InvalidInput>
  readonly summary: GradeFileSummary
}

const decode = Schema.decodeUnknownEither(GradeRequest)

const abbreviate = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s)

/** Parses one line: the record (with its extra fields) or an error naming `file:line`. */
export const parseGradeLine = (
  line: string,
  lineNumber: number,
  file: string
): Either.Either<Record<string, unknown> & GradeRequest, InvalidInput> => {
  const input = `${file}:${lineNumber}`
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch (e) {
    return Either.left(
      new InvalidInput({ input, expected: 'a JSON object {"response": string, "gold": string}', actual: `${abbreviate(line)} (${e instanceof Error ? e.message : String(e)})` })
    )
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left(new InvalidInput({ input, expected: 'a JSON object {"response": string, "gold": string}', actual: abbreviate(line) }))
  }
  return Either.match(decode(json), {
    onLeft: () =>
      Either.left(
        new InvalidInput({
          input,
          expected: 'string fields "response" and "gold"',
          actual: abbreviate(line)
        })
      ),
    onRight: () => Either.right(json as Record<string, unknown> & GradeRequest)
  })
}

/** Grades every non-empty line of a JSONL text. */
export const gradeJsonl = (text: string, file: string, options?: GradeOptions): GradeFileResult => {
  const lines: Array<string> = []
  const errors: Array<InvalidInput> = []
  let count = 0
  let correct = 0
  let ms = 0
  const cpu0 = process.cpuUsage()
  const rows = text.split("\n")
  for (let k = 0; k < rows.length; k++) {
    const raw = (rows[k] as string).replace(/\r$/, "")
    if (raw.trim().length === 0) continue
    const parsed = parseGradeLine(raw, k + 1, file)
    if (Either.isLeft(parsed)) {
      errors.push(parsed.left)
      continue
    }
    const rec = parsed.right
    const t = performance.now()
    const g = grade(rec.response, rec.gold, options)
    ms += performance.now() - t
    count++
    if (g.correct) correct++
    lines.push(JSON.stringify({ ...rec, correct: g.correct, extracted: g.extracted }))
  }
  const cpu = process.cpuUsage(cpu0)
  return {
    lines,
    errors,
    summary: { count, correct, malformed: errors.length, accuracy: count === 0 ? 0 : correct / count, seconds: ms / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
  }
}

export const formatSummary = (s: GradeFileSummary, mode: string): string =>
  `graded ${s.count} lines (${s.malformed} malformed) in ${mode} mode: accuracy ${(100 * s.accuracy).toFixed(2)}% (${s.correct}/${s.count}), ${s.seconds.toFixed(3)} s grading (${s.cpuSeconds.toFixed(3)} s CPU)`

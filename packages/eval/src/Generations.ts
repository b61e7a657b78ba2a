/**
 * Recorded generations: a JSONL file, one line per problem, with that
 * problem's sampled responses — what a vLLM script (or Qwen2.5-Math's
 * `math_eval.py`) writes. Format (README "Generations file"):
 *
 *   {"id": "math500/0" | 0, "responses": ["…", …], "finish_reasons"?: ["stop"|"length"|"eos", …], "tokens"?: [int, …]}
 *
 * Aliases: `idx` for `id`, `code` for `responses` (math_eval.py's names),
 * `response` for a single response, `num_tokens`/`lengths` for `tokens`,
 * `finishReasons` for `finish_reasons`; an optional `score` (booleans or 0/1)
 * records another grader's verdicts, to compare with. Other fields are ignored. A line whose
 * id repeats an earlier one appends its responses (a test set repeated k× becomes
 * k samples per problem).
 */
import { decodeFailureSummary, FileError, type FinishReason, InvalidInput, type Problem } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { readFile } from "node:fs/promises"
import type { ResponseRecord } from "./Report.ts"

const FinishReasonIn = Schema.Literal("stop", "length", "eos", "abort").pipe(Schema.NullOr)

export const GenerationLine = Schema.Struct({
  id: Schema.optional(Schema.Union(Schema.String, Schema.Int)),
  idx: Schema.optional(Schema.Union(Schema.String, Schema.Int)),
  responses: Schema.optional(Schema.Array(Schema.String)),
  code: Schema.optional(Schema.Array(Schema.String)),
  response: Schema.optional(Schema.String),
  finish_reasons: Schema.optional(Schema.Array(FinishReasonIn)),
  finishReasons: Schema.optional(Schema.Array(FinishReasonIn)),
  tokens: Schema.optional(Schema.Array(Schema.Int.pipe(Schema.nonNegative()))),
  num_tokens: Schema.optional(Schema.Array(Schema.Int.pipe(Schema.nonNegative()))),
  lengths: Schema.optional(Schema.Array(Schema.Int.pipe(Schema.nonNegative()))),
  /** Verdicts recorded by another grader, one per response (`math_eval.py` writes `score`). */
  score: Schema.optional(Schema.Array(Schema.Union(Schema.Boolean, Schema.Number))),
  question: Schema.optional(Schema.String),
  problem: Schema.optional(Schema.String)
})

/** One problem's recorded responses, normalised. */
export interface GenerationRecord {
  /** As written in the file: a problem id or a 0-based row index. */
  readonly id: string | number
  readonly responses: ReadonlyArray<ResponseRecord>
  /** The problem statement, when the line carries one (`question` or `problem`); used with `matchBy: "question"`. */
  readonly question?: string | undefined
  /** `file:line`, for error messages. */
  readonly where: string
}

const EXPECTED =
  'a generations line {"id": string | int, "responses": string[], "finish_reasons"?: ("stop"|"length"|"eos")[], "tokens"?: int[]}'

const toFinish = (r: "stop" | "length" | "eos" | "abort" | null): FinishReason | undefined =>
  r === null ? undefined : r === "abort" ? "stop" : r

/** Parses the text of a generations file (`where` names it in errors). */
export const parseGenerations = (text: string, where: string): Effect.Effect<ReadonlyArray<GenerationRecord>, InvalidInput> =>
  Effect.gen(function* () {
    const decode = Schema.decodeUnknownEither(GenerationLine)
    const out: Array<GenerationRecord> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!
      if (line.trim() === "") continue
      const at = `${where}:${i + 1}`
      let json: unknown
      try {
        json = JSON.parse(line)
      } catch (e) {
        return yield* new InvalidInput({ input: at, expected: "one JSON object per line", actual: e instanceof Error ? e.message : String(e), cause: e })
      }
      const d = decode(json)
      if (d._tag === "Left") {
        return yield* new InvalidInput({ input: at, expected: EXPECTED, actual: decodeFailureSummary(d.left) })
      }
      const l = d.right
      const id = l.id ?? l.idx ?? -1
      if (id === -1 && l.question === undefined && l.problem === undefined) {
        return yield* new InvalidInput({ input: at, expected: `${EXPECTED}: an "id" (or "idx", or a "question" to match by)` })
      }
      const texts = l.responses ?? l.code ?? (l.response === undefined ? undefined : [l.response])
      if (texts === undefined || texts.length === 0) {
        return yield* new InvalidInput({ input: at, expected: `${EXPECTED}: a non-empty "responses" (or "code") list` })
      }
      const finish = l.finish_reasons ?? l.finishReasons
      const tokens = l.tokens ?? l.num_tokens ?? l.lengths
      if (finish !== undefined && finish.length !== texts.length) {
        return yield* new InvalidInput({ input: at, expected: `finish_reasons with one entry per response (${texts.length})`, actual: `${finish.length}` })
      }
      if (tokens !== undefined && tokens.length !== texts.length) {
        return yield* new InvalidInput({ input: at, expected: `tokens with one entry per response (${texts.length})`, actual: `${tokens.length}` })
      }
      if (l.score !== undefined && l.score.length !== texts.length) {
        return yield* new InvalidInput({ input: at, expected: `score with one verdict per response (${texts.length})`, actual: `${l.score.length}` })
      }
      const score = l.score
      out.push({
        id,
        where: at,
        question: l.question ?? l.problem,
        responses: texts.map((text, j) => ({
          text,
          tokens: tokens?.[j],
          finishReason: finish === undefined ? undefined : toFinish(finish[j]!),
          recordedCorrect: score === undefined ? undefined : score[j] === true || score[j] === 1
        }))
      })
    }
    return out
  })

/** Reads and parses a generations file. */
export const readGenerations = (path: string): Effect.Effect<ReadonlyArray<GenerationRecord>, InvalidInput | FileError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) => new FileError({ path, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
  }).pipe(Effect.flatMap((text) => parseGenerations(text, path)))

/** Serialises records in the documented format (ids as given, `tokens`/`finish_reasons` when every response has them). */
export const formatGenerations = (records: ReadonlyArray<{ readonly id: string | number; readonly responses: ReadonlyArray<ResponseRecord> }>): string =>
  records
    .map((r) => {
      const tokens = r.responses.every((x) => x.tokens !== undefined) ? { tokens: r.responses.map((x) => x.tokens!) } : {}
      const finish = r.responses.every((x) => x.finishReason !== undefined) ? { finish_reasons: r.responses.map((x) => x.finishReason!) } : {}
      const score = r.responses.every((x) => x.recordedCorrect !== undefined) ? { score: r.responses.map((x) => x.recordedCorrect!) } : {}
      return JSON.stringify({ id: r.id, responses: r.responses.map((x) => x.text), ...finish, ...tokens, ...score })
    })
    .join("\n") + "\n"

/** How lines are matched to problems: by id (a problem id or a row index), or by the exact problem statement. */
export type MatchBy = "id" | "question"

/**
 * Matches records to a benchmark's problems: an id is a problem id, or a
 * 0-based row index (number or digits); with `matchBy: "question"` the line's
 * `question`/`problem` text must equal a problem's statement (after trimming),
 * which suits files of a test set repeated k× whose ids run past the set's
 * size (Qwen2.5-Math's `aime24x8`). Repeated problems append. Fails naming the
 * line of an unknown id; a problem without responses fails unless `partial`,
 * which evaluates only the problems present. Every problem must end with the
 * same number of responses (the k of avg@k).
 */
export const alignGenerations = (
  benchmark: string,
  problems: ReadonlyArray<Problem>,
  records: ReadonlyArray<GenerationRecord>,
  options: { readonly partial?: boolean; readonly matchBy?: MatchBy } = {}
): Effect.Effect<{ readonly problems: ReadonlyArray<Problem>; readonly responses: ReadonlyArray<ReadonlyArray<ResponseRecord>> }, InvalidInput> =>
  Effect.gen(function* () {
    const byId = new Map(problems.map((p, i) => [p.id, i] as const))
    const byText = new Map<string, number>()
    if (options.matchBy === "question") {
      problems.forEach((p, i) => {
        const k = p.prompt.trim()
        // A statement that occurs twice cannot identify its problem: mark it ambiguous.
        byText.set(k, byText.has(k) ? -1 : i)
      })
    }
    const buckets: Array<Array<ResponseRecord> | undefined> = problems.map(() => undefined)
    for (const r of records) {
      if (options.matchBy === "question") {
        const idx = r.question === undefined ? undefined : byText.get(r.question.trim())
        if (idx === undefined || idx < 0) {
          return yield* new InvalidInput({
            input: `${r.where}: ${r.question === undefined ? "no question" : `question ${JSON.stringify(r.question.slice(0, 60))}`}`,
            expected: `a "question" (or "problem") equal to exactly one problem statement of benchmark ${benchmark}`
          })
        }
        const b = buckets[idx]
        if (b === undefined) buckets[idx] = [...r.responses]
        else b.push(...r.responses)
        continue
      }
      const key = String(r.id)
      let idx = byId.get(key)
      if (idx === undefined && /^\d+$/.test(key) && Number(key) < problems.length) idx = Number(key)
      if (idx === undefined) {
        return yield* new InvalidInput({
          input: `${r.where}: id ${JSON.stringify(r.id)}`,
          expected: `an id of benchmark ${benchmark} (e.g. ${JSON.stringify(problems[0]?.id ?? "")}) or a row index 0..${problems.length - 1}`
        })
      }
      const b = buckets[idx]
      if (b === undefined) buckets[idx] = [...r.responses]
      else b.push(...r.responses)
    }
    const missing = problems.filter((_, i) => buckets[i] === undefined).map((p) => p.id)
    if (missing.length > 0 && options.partial !== true) {
      return yield* new InvalidInput({
        input: `generations for ${benchmark}`,
        expected: `responses for all ${problems.length} problems (or the partial option)`,
        actual: `${missing.length} missing, e.g. ${missing.slice(0, 5).join(", ")}`
      })
    }
    const kept = problems.map((p, i) => [p, buckets[i]] as const).filter((x): x is readonly [Problem, Array<ResponseRecord>] => x[1] !== undefined)
    if (kept.length === 0) {
      return yield* new InvalidInput({ input: `generations for ${benchmark}`, expected: "at least one problem with responses" })
    }
    const k = kept[0]![1].length
    const uneven = kept.find(([, rs]) => rs.length !== k)
    if (uneven !== undefined) {
      return yield* new InvalidInput({
        input: `generations for ${benchmark}, problem ${uneven[0].id}`,
        expected: `the same number of responses for every problem (${k}, as ${kept[0]![0].id})`,
        actual: `${uneven[1].length}`
      })
    }
    return { problems: kept.map(([p]) => p), responses: kept.map(([, rs]) => rs) }
  })

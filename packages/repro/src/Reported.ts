/**
 * The paper's reported tables as typed data (`data/reported.json`), each row
 * with its table, row label and checkpoint rule. Transcribed from
 * claims.md; see `data/PROVENANCE.md`.
 */
import { decodeFailureSummary, FileError, InvalidInput } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** Column order of every six-benchmark row. */
export const BENCHMARKS = ["math500", "aime24", "amc23", "minerva", "olympiad", "aime25"] as const
export type Benchmark = (typeof BENCHMARKS)[number]

const Six = Schema.Array(Schema.Number).pipe(Schema.itemsCount(6))

export const SixBenchRow = Schema.Struct({
  id: Schema.String,
  table: Schema.String,
  row: Schema.String,
  model: Schema.String,
  /** Which checkpoint the numbers are from: `best-avg`, `base model`, `step 20`, … */
  checkpoint: Schema.String,
  claims: Schema.Array(Schema.String),
  scores: Six,
  avg: Schema.Number,
  step: Schema.optional(Schema.Int),
  /** `tokens` for Table 19; percent otherwise. */
  unit: Schema.optional(Schema.Literal("tokens")),
  /** `\boxed{}` ratio per benchmark, then its average (Table 14). */
  boxed: Schema.optional(Schema.Array(Schema.Number).pipe(Schema.itemsCount(7)))
})
export type SixBenchRow = typeof SixBenchRow.Type

export const BestPerBenchmarkRow = Schema.Struct({
  id: Schema.String,
  table: Schema.String,
  row: Schema.String,
  model: Schema.String,
  /** The best-avg row of the same run, when the paper reports one. */
  bestAvgRow: Schema.optional(Schema.String),
  /** π index when the row is a 1-shot run. */
  oneShot: Schema.optional(Schema.Int),
  scores: Six,
  avgAtBestAvg: Schema.optional(Schema.Number),
  bestAvgStep: Schema.optional(Schema.Int)
})
export type BestPerBenchmarkRow = typeof BestPerBenchmarkRow.Type

export const CategoryRow = Schema.Struct({
  id: Schema.String,
  row: Schema.String,
  kind: Schema.Literal("base", "full", "format", "1-shot", "few-shot"),
  example: Schema.optional(Schema.Int),
  category: Schema.optional(Schema.String),
  subjects: Schema.Array(Schema.Number).pipe(Schema.itemsCount(7)),
  math500: Schema.Number,
  aime24: Schema.Number,
  step: Schema.Int
})
export type CategoryRow = typeof CategoryRow.Type

export const AblationRow = Schema.Struct({
  row: Schema.Int,
  pg: Schema.Boolean,
  wd: Schema.Boolean,
  kl: Schema.Boolean,
  entropy: Schema.NullOr(Schema.Number),
  label: Schema.String,
  converges: Schema.Boolean,
  math500: Schema.Number,
  aime24: Schema.Number
})
export type AblationRow = typeof AblationRow.Type

export const Reported = Schema.Struct({
  source: Schema.String,
  benchmarks: Schema.Array(Schema.String),
  sixBench: Schema.Array(SixBenchRow),
  bestPerBenchmark: Schema.Array(BestPerBenchmarkRow),
  categories: Schema.Struct({
    table: Schema.String,
    checkpoint: Schema.String,
    subjects: Schema.Array(Schema.String).pipe(Schema.itemsCount(7)),
    rows: Schema.Array(CategoryRow)
  }),
  ablation: Schema.Struct({ table: Schema.String, checkpoint: Schema.String, rows: Schema.Array(AblationRow) }),
  arc: Schema.Struct({
    table: Schema.String,
    checkpoint: Schema.String,
    rows: Schema.Array(Schema.Struct({ row: Schema.String, arcE: Schema.Number, arcC: Schema.Number }))
  }),
  trajectory: Schema.Struct({
    table: Schema.String,
    run: Schema.String,
    steps: Schema.Array(Schema.Int),
    boxedRatio: Schema.Array(Schema.Number),
    qwenEval: Schema.Array(Schema.Number),
    qwqJudge: Schema.Array(Schema.Number),
    disagreement: Schema.Array(Schema.Number)
  }),
  passAt8: Schema.Struct({
    table: Schema.String,
    columns: Schema.Array(Schema.String),
    rows: Schema.Array(
      Schema.Struct({
        row: Schema.String,
        run: Schema.String,
        step: Schema.optional(Schema.Int),
        best: Schema.optional(Schema.Boolean),
        scores: Schema.Array(Schema.Number).pipe(Schema.itemsCount(3)),
        avg: Schema.Number
      })
    )
  })
})
export type Reported = typeof Reported.Type

export const REPORTED_PATH = fileURLToPath(new URL("../data/reported.json", import.meta.url))

export const decodeReported = (text: string, path: string): Effect.Effect<Reported, InvalidInput> =>
  Effect.try({ try: () => JSON.parse(text) as unknown, catch: (e) => new InvalidInput({ input: path, expected: "JSON", cause: e }) }).pipe(
    Effect.flatMap(Schema.decodeUnknown(Reported)),
    Effect.mapError((e) =>
      e instanceof InvalidInput
        ? e
        : new InvalidInput({ input: path, expected: "the reported-tables schema", actual: decodeFailureSummary(e), cause: e })
    )
  )

export const loadReported = (path: string = REPORTED_PATH): Effect.Effect<Reported, InvalidInput | FileError> =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (e) => new FileError({ path, operation: "read", reason: String(e), cause: e })
  }).pipe(Effect.flatMap((text) => decodeReported(text, path)))

/** A six-benchmark row by id; a missing id is a bug in the registry, so it throws. */
export const sixRow = (reported: Reported, id: string): SixBenchRow => {
  const row = reported.sixBench.find((r) => r.id === id)
  if (row === undefined) throw new Error(`reported.json: no six-benchmark row ${id}`)
  return row
}

export const bestRow = (reported: Reported, id: string): BestPerBenchmarkRow => {
  const row = reported.bestPerBenchmark.find((r) => r.id === id)
  if (row === undefined) throw new Error(`reported.json: no best-per-benchmark row ${id}`)
  return row
}

export const categoryRow = (reported: Reported, id: string): CategoryRow => {
  const row = reported.categories.rows.find((r) => r.id === id)
  if (row === undefined) throw new Error(`reported.json: no Table 3 row ${id}`)
  return row
}

export const ablationRow = (reported: Reported, n: number): AblationRow => {
  const row = reported.ablation.rows.find((r) => r.row === n)
  if (row === undefined) throw new Error(`reported.json: no Table 5 row ${n}`)
  return row
}

/**
 * `report/verdicts.json`: the committed expectation of every verdict row.
 * `npm run repro` compares today's rows with it and fails on any difference
 * (a code change that flips a verdict is seen, with the diff); `--update`
 * rewrites it. Written one row per line so that a diff names the row.
 * A file written before cohorts (rows without `cohort`) still reads: its
 * replication rows have cohort null, so the gate lists them as gone and the
 * cohorts' rows as new until `--update`.
 */
import { decodeFailureSummary, FileError, InvalidInput } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { diffVerdicts, VerdictFile, type VerdictRow } from "./Evidence.ts"

export const VERDICTS_PATH = fileURLToPath(new URL("../report/verdicts.json", import.meta.url))

export const ABOUT = "Per claim: one paper row (the paper's own numbers recomputed), one authors-data row (the authors' recorded files) " +
  "and one replication row per cohort (`cohort`: a folder of runs recorded under one protocol, e.g. runs/world-cpu; a role's runs are pooled " +
  "within its cohort only; estimate and 95% CI in `unit`, pp = percentage points; `cohort` is null on the other rows). " +
  "Written by `npm run repro -w @oneshot/repro -- --update`; `npm run repro` fails when a verdict differs from this file (rows keyed by claim, evidence and cohort)."

export const renderVerdictFile = (rows: ReadonlyArray<VerdictRow>): string => {
  const encode = Schema.encodeSync(VerdictFile)
  const file = encode({ about: ABOUT, rows })
  return `{\n  "about": ${JSON.stringify(file.about)},\n  "rows": [\n${file.rows.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]\n}\n`
}

export const readVerdictFile = (path: string = VERDICTS_PATH): Effect.Effect<VerdictFile | undefined, InvalidInput | FileError> =>
  Effect.gen(function*() {
    if (!existsSync(path)) return undefined
    const text = yield* Effect.try({ try: () => readFileSync(path, "utf8"), catch: (e) => new FileError({ path, operation: "read", reason: String(e), cause: e }) })
    const json = yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: (e) => new InvalidInput({ input: path, expected: "JSON", cause: e }) })
    return yield* Schema.decodeUnknown(VerdictFile)(json).pipe(
      Effect.mapError((e) => new InvalidInput({ input: path, expected: "the verdicts.json schema", actual: decodeFailureSummary(e), cause: e }))
    )
  })

export const writeVerdictFile = (rows: ReadonlyArray<VerdictRow>, path: string = VERDICTS_PATH): Effect.Effect<void, FileError> =>
  Effect.try({
    try: () => {
      const tmp = `${path}.tmp-${process.pid}`
      writeFileSync(tmp, renderVerdictFile(rows))
      renameSync(tmp, path)
    },
    catch: (e) => new FileError({ path, operation: "write", reason: String(e), cause: e })
  })

export interface GateOutcome {
  /** Rows whose verdict differs from the committed file (empty when they agree or after `--update`). */
  readonly diff: ReadonlyArray<string>
  /** The file was (re)written. */
  readonly updated: boolean
  /** There was no committed file to compare with. */
  readonly missing: boolean
}

/**
 * The regression gate on the suite itself: compares the rows with the
 * committed `verdicts.json`, or rewrites it when `update` (or when it does not exist yet).
 */
export const gate = (rows: ReadonlyArray<VerdictRow>, update: boolean, path: string = VERDICTS_PATH): Effect.Effect<GateOutcome, InvalidInput | FileError> =>
  Effect.gen(function*() {
    const committed = yield* readVerdictFile(path)
    if (update || committed === undefined) {
      yield* writeVerdictFile(rows, path)
      return { diff: [], updated: true, missing: committed === undefined }
    }
    return { diff: diffVerdicts(committed.rows, rows), updated: false, missing: false }
  })

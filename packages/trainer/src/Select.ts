/**
 * Historical-variance data selection (the paper's Eq. 1, the authors'
 * `data_selection.py`) over a history file: core's parse and rank functions,
 * which reproduce numpy's scores and tie order bit for bit, plus the file
 * reading and a table for the `rlvr select` command.
 */
import { FileError, InvalidInput, parseAccuracyHistory, rankByHistoricalVariance, type RankedExample } from "@oneshot/core"
import { Effect } from "effect"
import { readRunLog } from "./RunLogFile.ts"
import { accuracyHistory, accuracyHistoryJson } from "./Trainer.ts"
import { readFileSync, renameSync, writeFileSync } from "node:fs"

/**
 * Ranks every example of a history file, highest variance first: an
 * `acc_step_N.json` (the authors' format) or a trainer run log (`*.jsonl`,
 * whose `accuracy` lines hold the same history).
 */
export const rankHistoryFile = (path: string): Effect.Effect<ReadonlyArray<RankedExample>, FileError | InvalidInput> =>
  Effect.map(readHistory(path), rankByHistoricalVariance)

/** The history of a file (acc_step JSON or run log) as `[id, accuracies]` entries in file order. */
export const readHistory = (path: string): Effect.Effect<ReadonlyArray<readonly [string, ReadonlyArray<number>]>, FileError | InvalidInput> =>
  path.endsWith(".jsonl")
    ? Effect.map(readRunLog(path), accuracyHistory)
    : Effect.gen(function* () {
        const text = yield* Effect.try({
          try: () => readFileSync(path, "utf8"),
          catch: (e) => new FileError({ path, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
        })
        return yield* Effect.try({
          try: () => parseAccuracyHistory(text),
          catch: (e) => new InvalidInput({ input: path, expected: 'an accuracy history {"<id>": [acc, …], …}', actual: e instanceof Error ? e.message : String(e), cause: e })
        })
      })

/** Writes a history in the authors' `acc_step_N.json` format (atomically). */
export const exportHistory = (history: ReadonlyArray<readonly [string, ReadonlyArray<number>]>, path: string): Effect.Effect<void, FileError> =>
  Effect.try({
    try: () => {
      writeFileSync(`${path}.tmp`, accuracyHistoryJson(history))
      renameSync(`${path}.tmp`, path)
    },
    catch: (e) => new FileError({ path, operation: "write", reason: e instanceof Error ? e.message : String(e), cause: e })
  })

/** `rank  index  score` lines of the top K. */
export const formatRanking = (ranked: ReadonlyArray<RankedExample>, top: number): string =>
  ["rank\tindex\tscore", ...ranked.slice(0, top).map((r) => `${r.rank}\t${r.id}\t${r.variance}`)].join("\n")

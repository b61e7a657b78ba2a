/**
 * Finds the runs in a directory. Every file directly inside is read by its
 * extension:
 * - `*.jsonl`: this project's run log; role = `header.config.experiment`.
 * - `*.csv`: a W&B CSV export; role = the file name up to its first dot.
 * - `*.log`, `*.txt`: a verl console log; role = the file name up to its first dot.
 * So `1shot-pi1.verl.log` and `1shot-pi1.csv` both have role `1shot-pi1`.
 * A missing directory is no runs (every run-check then says which run it needs).
 */
import { FileError, type InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import type { RunRecord } from "./RunRecord.ts"
import { parseRunLog } from "./RunLogReader.ts"
import { parseVerlConsole } from "./VerlConsoleReader.ts"
import { parseWandbCsv } from "./WandbCsvReader.ts"

export const roleFromFileName = (name: string): string => name.split(".")[0]!

export const readRunFile = (path: string): Effect.Effect<RunRecord | undefined, InvalidInput | FileError> =>
  Effect.gen(function*() {
    const name = path.split("/").at(-1)!
    const reader = name.endsWith(".jsonl")
      ? (text: string) => parseRunLog(text, path)
      : name.endsWith(".csv")
      ? (text: string) => parseWandbCsv(text, path, roleFromFileName(name))
      : name.endsWith(".log") || name.endsWith(".txt")
      ? (text: string) => parseVerlConsole(text, path, roleFromFileName(name))
      : undefined
    if (reader === undefined) return undefined
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (e) => new FileError({ path, operation: "read", reason: String(e) })
    })
    return yield* reader(text)
  })

/** Reads every run file in `dir` (not recursive), in file-name order. */
export const discoverRuns = (dir: string): Effect.Effect<ReadonlyArray<RunRecord>, InvalidInput | FileError> =>
  Effect.gen(function*() {
    if (!existsSync(dir)) return []
    const names = yield* Effect.try({
      try: () => readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort(),
      catch: (e) => new FileError({ path: dir, operation: "list", reason: String(e) })
    })
    const runs: Array<RunRecord> = []
    for (const n of names) {
      const run = yield* readRunFile(join(dir, n))
      if (run !== undefined) runs.push(run)
    }
    return runs
  })

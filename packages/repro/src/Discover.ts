/**
 * Finds the runs under a directory (and its sub-directories, 3 levels deep,
 * skipping `checkpoints/` and hidden folders). The directory is one cohort
 * (src/Cohort.ts): its sub-folders are roles of imported logs, never cohorts. Each file is read by its extension:
 * - `*.jsonl`: this project's run log; role = `header.config.experiment`
 *   (the trainer writes `<runDir>/runlog.jsonl`).
 * - `*.csv`: a W&B CSV export; `*.log`, `*.txt`: a verl console log. Their role
 *   is the name of the first folder under `dir` when they are in one
 *   (`runs/1shot-pi1/console.log`), else the file name up to its first dot
 *   (`runs/1shot-pi1.verl.txt`).
 * A file that cannot be read as a run is listed in `skipped` with the reason
 * (reported, never silently dropped), so one stray file does not hide the table.
 * A missing directory is no runs: every run-check then names the run it needs.
 */
import { FileError, type InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, sep } from "node:path"
import type { RunRecord } from "./RunRecord.ts"
import { parseRunLog } from "./RunLogReader.ts"
import { parseVerlConsole } from "./VerlConsoleReader.ts"
import { parseWandbCsv } from "./WandbCsvReader.ts"

export const roleFromFileName = (name: string): string => name.split(".")[0]!

export interface SkippedFile {
  readonly path: string
  readonly reason: string
}

export interface DiscoveredRuns {
  readonly runs: ReadonlyArray<RunRecord>
  readonly skipped: ReadonlyArray<SkippedFile>
}

/** A file name repro reads as a run (by its extension). */
export const isRunFile = (name: string): boolean => /\.(jsonl|csv|log|txt)$/.test(name)

/** Reads one run file; `role` is used for imported logs (run logs carry their own). */
export const readRunFile = (path: string, role?: string): Effect.Effect<RunRecord | undefined, InvalidInput | FileError> =>
  Effect.gen(function*() {
    const name = path.split(/[\\/]/).at(-1)!
    if (!isRunFile(name)) return undefined
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (e) => new FileError({ path, operation: "read", reason: String(e), cause: e })
    })
    const r = role ?? roleFromFileName(name)
    if (name.endsWith(".jsonl")) return yield* parseRunLog(text, path)
    if (name.endsWith(".csv")) return yield* parseWandbCsv(text, path, r)
    return yield* parseVerlConsole(text, path, r)
  })

/** Run files under `dir`, sorted, with the role an imported log gets there. */
export const listRunFiles = (dir: string, maxDepth = 3): ReadonlyArray<{ readonly path: string; readonly role: string }> => {
  const out: Array<{ path: string; role: string }> = []
  const walk = (d: string, depth: number) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name)
      if (statSync(path).isDirectory()) {
        if (depth < maxDepth && !name.startsWith(".") && name !== "checkpoints" && name !== "node_modules") walk(path, depth + 1)
      } else if (isRunFile(name)) {
        const parts = relative(dir, path).split(sep)
        out.push({ path, role: parts.length > 1 ? parts[0]! : roleFromFileName(name) })
      }
    }
  }
  walk(dir, 1)
  return out
}

/** Reads every run under `dir`, `maxDepth` folder levels deep (1: the files directly in it). */
export const discoverRuns = (dir: string, maxDepth = 3): Effect.Effect<DiscoveredRuns, FileError> =>
  Effect.gen(function*() {
    if (!existsSync(dir)) return { runs: [], skipped: [] }
    const files = yield* Effect.try({
      try: () => listRunFiles(dir, maxDepth),
      catch: (e) => new FileError({ path: dir, operation: "list", reason: String(e), cause: e })
    })
    const runs: Array<RunRecord> = []
    const skipped: Array<SkippedFile> = []
    for (const f of files) {
      const read = yield* Effect.either(readRunFile(f.path, f.role))
      if (read._tag === "Left") skipped.push({ path: f.path, reason: read.left.message })
      else if (read.right !== undefined) runs.push(read.right)
    }
    return { runs, skipped }
  })

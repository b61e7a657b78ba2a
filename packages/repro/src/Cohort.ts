/**
 * Cohorts: the runs recorded under one protocol (one base model, one run
 * length, one set of seeds). Replication pools the runs of a role only
 * within a cohort, never across: a 40-step pilot on one base model and a
 * 200-step run on another are not two seeds of one experiment.
 *
 * Where cohorts come from:
 * - each run directory given to repro (`--runs DIR`) is one cohort, named by
 *   its basename; its sub-folders stay inside it (a verl import's
 *   `DIR/1shot-pi1/console.log` is a run of role `1shot-pi1` in cohort `DIR`);
 * - the package's own runs (`packages/repro/runs/`): each immediate sub-folder
 *   is a cohort (`world-cpu`, `world-powered`); run files directly in `runs/`
 *   form a cohort named `runs`.
 * Two cohorts with one name are an error (the rows are keyed by it).
 */
import { FileError, InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import { existsSync, readdirSync, statSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { isRunFile } from "./Discover.ts"
import type { RunRecord } from "./RunRecord.ts"

/** The runs of one cohort, roles resolved. */
export interface Cohort {
  readonly name: string
  readonly runs: ReadonlyArray<RunRecord>
}

/** Where a cohort's runs are read from: `dir`, `depth` folder levels deep (1: its files only). */
export interface CohortDir {
  readonly name: string
  readonly dir: string
  readonly depth: number
}

/** The package's own runs. */
export const PACKAGE_RUNS = fileURLToPath(new URL("../runs", import.meta.url))

/** How deep a cohort's folder is read (as `discoverRuns` always has). */
export const COHORT_DEPTH = 3

/** A directory's cohort name: its basename (the path itself for a root). */
export const cohortName = (dir: string): string => basename(resolve(dir)) || resolve(dir)

/** Fails when two cohorts share a name, naming both directories. */
export const distinctCohorts = (dirs: ReadonlyArray<CohortDir>): Effect.Effect<ReadonlyArray<CohortDir>, InvalidInput> => {
  const seen = new Map<string, CohortDir>()
  for (const d of dirs) {
    const before = seen.get(d.name)
    if (before !== undefined) {
      return Effect.fail(
        new InvalidInput({
          input: d.dir,
          expected: `run directories with distinct names (each is a cohort, named by its folder name; rename or move one)`,
          actual: `a second cohort named ${d.name} (the first: ${before.dir})`
        })
      )
    }
    seen.set(d.name, d)
  }
  return Effect.succeed(dirs)
}

/** A directory given to repro as one cohort, named by its basename (a `CohortDir` as it is). */
export const asCohortDir = (d: string | CohortDir): CohortDir => (typeof d === "string" ? { name: cohortName(d), dir: resolve(d), depth: COHORT_DEPTH } : d)

/** `--runs DIR`…: each directory is one cohort, named by its basename. */
export const cohortDirs = (dirs: ReadonlyArray<string | CohortDir>): Effect.Effect<ReadonlyArray<CohortDir>, InvalidInput> =>
  distinctCohorts(dirs.map(asCohortDir))

const isCohortFolder = (name: string): boolean => !name.startsWith(".") && name !== "checkpoints" && name !== "node_modules"

/**
 * The package's layout: each immediate sub-folder of `root` is a cohort; run
 * files directly in `root` are one more, named after `root`. A missing root is no cohorts.
 */
export const packageCohorts = (root: string = PACKAGE_RUNS): Effect.Effect<ReadonlyArray<CohortDir>, InvalidInput | FileError> =>
  Effect.gen(function*() {
    if (!existsSync(root)) return []
    const entries = yield* Effect.try({
      try: () => readdirSync(root).sort().map((name) => ({ name, folder: statSync(join(root, name)).isDirectory() })),
      catch: (e) => new FileError({ path: root, operation: "list", reason: String(e), cause: e })
    })
    const folders = entries.filter((e) => e.folder && isCohortFolder(e.name)).map((e) => ({ name: e.name, dir: join(root, e.name), depth: COHORT_DEPTH }))
    const loose = entries.some((e) => !e.folder && isRunFile(e.name)) ? [{ name: cohortName(root), dir: resolve(root), depth: 1 }] : []
    return yield* distinctCohorts([...folders, ...loose])
  })

/** Cohorts in name order (code-unit order, the same on every machine). */
export const byName = <A extends { readonly name: string }>(cohorts: ReadonlyArray<A>): ReadonlyArray<A> =>
  [...cohorts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

/**
 * `rlvr repro [--runs DIR]... [--roles FILE] [--out DIR]`: every claim's verdict
 * rows (paper / authors-data / replication statistics) on the authors' data and
 * the runs in DIR (this project's run logs `*.jsonl`, verl console logs
 * `*.log`/`*.txt`, W&B CSV exports `*.csv`; every seed of a role is used; roles
 * from run tags `role:NAME` or the `--roles` JSON mapping {file name or run id:
 * role}), prints the claim table and writes `repro.md` + `index.html` into
 * `--out`. Each DIR is one cohort (a role's runs are pooled within it only).
 * Without `--runs` it checks the package's recorded runs (one cohort per
 * sub-folder of packages/repro/runs) and exits 1
 * when a verdict differs from the committed `verdicts.json`; 2 when a run file
 * cannot be read.
 * The logic lives in `@oneshot/repro`; this file only parses options.
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { readFileSync } from "node:fs"
import { outputPath } from "../Flags.ts"

const runs = Options.directory("runs", { exists: "yes" }).pipe(
  Options.repeated,
  Options.withDescription("a directory of runs to check (repeatable); default: packages/repro/runs")
)
const roles = Options.file("roles", { exists: "yes" }).pipe(
  Options.optional,
  Options.withDescription("a JSON file mapping run file names (or run ids) to roles; runs with no known role are listed as unassigned")
)
const out = outputPath("out", "directory").pipe(
  Options.withDefault("runs/repro-report"),
  Options.withDescription("where to write repro.md and index.html")
)

export const command = Command.make("repro", { runs, roles, out }, ({ out, roles, runs }) =>
  Effect.gen(function*() {
    const [{ renderTable, writeReport }, { runRepro }, { parseRoleMapping }, { gate }, { packageCohorts }] = yield* Effect.promise(() =>
      Promise.all([
        import("@oneshot/repro/Report"),
        import("@oneshot/repro/Repro"),
        import("@oneshot/repro/Roles"),
        import("@oneshot/repro/VerdictFile"),
        import("@oneshot/repro/Cohort")
      ])
    )
    const mapping = Option.isSome(roles) ? yield* Effect.try(() => parseRoleMapping(readFileSync(roles.value, "utf8"), roles.value)) : {}
    const result = yield* runRepro(runs.length > 0 ? runs : yield* packageCohorts(), mapping)
    yield* Console.log(renderTable(result))
    const files = yield* writeReport(result, out)
    yield* Console.log(`report: ${files.join(", ")}`)
    if (result.skipped.length > 0) {
      yield* Console.error(`rlvr repro: ${result.skipped.length} file(s) could not be read as runs (listed in the table)`)
      process.exitCode = 2
    }
    if (runs.length > 0) return
    const g = yield* gate(result.rows, false)
    if (g.diff.length > 0) {
      yield* Console.error(`rlvr repro: ${g.diff.length} verdict(s) differ from packages/repro/report/verdicts.json: ${g.diff.join("; ")}`)
      if (process.exitCode !== 2) process.exitCode = 1
    }
  })
).pipe(Command.withDescription("check every claim of arXiv 2504.20571 on the recorded data and on your runs"))

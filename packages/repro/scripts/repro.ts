/**
 * `npm run repro -w @oneshot/repro` (turbo's `repro` task): every claim's
 * verdict rows (paper / authors-data / replication) on the recorded data and
 * `packages/repro/runs/`; prints one table on stdout, progress on stderr;
 * writes `report/repro.md` and `report/index.html`.
 *
 * Exit 1 when a verdict differs from the committed `report/verdicts.json`
 * (the diff is printed; `--update` rewrites the file instead), 2 when an
 * input cannot be read (a run file included).
 *
 * Runs come in cohorts (src/Cohort.ts), a role's runs pooled within its
 * cohort only: by default each sub-folder of `packages/repro/runs/` is one
 * (`world-cpu`, `world-powered`).
 *
 * `-- --runs DIR [--runs DIR2] [--roles FILE] [--out DIR]` checks other runs,
 * each DIR one cohort named by its folder name (default out: `./repro-report`),
 * leaving the committed report and verdicts alone. `--roles FILE`: a JSON
 * object {file name or run id: role}.
 */
import { Console, Effect } from "effect"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { cohortDirs, type CohortDir, packageCohorts } from "../src/Cohort.ts"
import { renderTable, writeReport } from "../src/Report.ts"
import { runRepro } from "../src/Repro.ts"
import { parseRoleMapping } from "../src/Roles.ts"
import { gate } from "../src/VerdictFile.ts"

const PACKAGE_REPORT = fileURLToPath(new URL("../report", import.meta.url))

export interface Args {
  /** The `--runs` directories (each one cohort); empty: the package's own runs. */
  readonly runs: ReadonlyArray<string>
  readonly out: string
  readonly roles: string | undefined
  readonly update: boolean
  /** The package's own runs: the regression gate applies. */
  readonly own: boolean
}

export const parseArgs = (argv: ReadonlyArray<string>, cwd: string): Args => {
  const runs: Array<string> = []
  let out: string | undefined
  let roles: string | undefined
  let update = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = argv[i + 1]
    if (flag === "--update") update = true
    else if ((flag === "--runs" || flag === "--out" || flag === "--roles") && value !== undefined) {
      if (flag === "--runs") runs.push(resolve(cwd, value))
      else if (flag === "--out") out = resolve(cwd, value)
      else roles = resolve(cwd, value)
      i++
    } else {
      throw new Error(`unexpected argument ${flag}; expected --runs DIR (repeatable), --roles FILE, --out DIR, --update`)
    }
  }
  const own = runs.length === 0
  return { runs, out: out ?? (own ? PACKAGE_REPORT : resolve(cwd, "repro-report")), roles, update, own }
}

const program = Effect.gen(function*() {
  const t0 = performance.now()
  const args = yield* Effect.try(() => parseArgs(process.argv.slice(2), process.env["INIT_CWD"] ?? process.cwd()))
  const mapping = args.roles === undefined ? {} : yield* Effect.try(() => parseRoleMapping(readFileSync(args.roles!, "utf8"), args.roles!))
  const cohorts: ReadonlyArray<CohortDir> = args.own ? yield* packageCohorts() : yield* cohortDirs(args.runs)
  yield* Console.error(`repro: reading the recorded data and the runs of ${cohorts.length === 0 ? "no cohort (no run directory)" : cohorts.map((k) => `cohort ${k.name} (${k.dir})`).join(", ")} …`)
  const result = yield* runRepro(cohorts, mapping)
  yield* Console.error(`repro: ${result.runs.length} runs read in ${result.cohorts.length} cohort(s), ${result.rows.length} verdict rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; writing the report …`)
  yield* Console.log(renderTable(result))
  const files = yield* writeReport(result, args.out)
  yield* Console.error(`repro: report ${files.join(", ")}`)
  if (result.skipped.length > 0) {
    yield* Console.error(`repro: ${result.skipped.length} file(s) could not be read as runs (listed above)`)
    process.exitCode = 2
  }
  if (!args.own) return
  const g = yield* gate(result.rows, args.update)
  if (g.updated) yield* Console.error(`repro: ${g.missing ? "wrote" : "updated"} report/verdicts.json`)
  else if (g.diff.length > 0) {
    yield* Console.error(`repro: ${g.diff.length} verdict(s) differ from the committed report/verdicts.json (run with --update if intended):\n${g.diff.join("\n")}`)
    process.exitCode = process.exitCode === 2 ? 2 : 1
  } else yield* Console.error("repro: every verdict equals the committed report/verdicts.json")
})

Effect.runPromise(program).catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String((e as { message: unknown }).message) : String(e)
  console.error(`repro: ${msg.split("\n")[0]}`)
  process.exitCode = 2
})

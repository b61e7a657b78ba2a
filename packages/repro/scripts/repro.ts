/**
 * `npm run repro -w @oneshot/repro` (turbo's `repro` task): checks every claim
 * on the recorded data and on `packages/repro/runs/`, prints the table, writes
 * `report/repro.md` and `report/index.html`. Exit 1 when a regression claim
 * on the recorded data does not hold (run-check verdicts never change it).
 *
 * `npm run repro -w @oneshot/repro -- --runs DIR [--runs DIR2] [--out DIR]`
 * checks other runs instead (default out: `./repro-report`, relative to where
 * npm was started), leaving the committed report alone.
 */
import { Console, Effect } from "effect"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { renderTable, writeReport } from "../src/Report.ts"
import { runRepro } from "../src/Repro.ts"

const PACKAGE_RUNS = fileURLToPath(new URL("../runs", import.meta.url))
const PACKAGE_REPORT = fileURLToPath(new URL("../report", import.meta.url))

export const parseArgs = (argv: ReadonlyArray<string>, cwd: string): { runs: Array<string>; out: string } => {
  const runs: Array<string> = []
  let out: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = argv[i + 1]
    if ((flag === "--runs" || flag === "--out") && value !== undefined) {
      if (flag === "--runs") runs.push(resolve(cwd, value))
      else out = resolve(cwd, value)
      i++
    } else {
      throw new Error(`repro: unexpected argument ${flag}; expected --runs DIR (repeatable) and --out DIR`)
    }
  }
  return runs.length === 0 ? { runs: [PACKAGE_RUNS], out: out ?? PACKAGE_REPORT } : { runs, out: out ?? resolve(cwd, "repro-report") }
}

const program = Effect.gen(function*() {
  const args = yield* Effect.try(() => parseArgs(process.argv.slice(2), process.env["INIT_CWD"] ?? process.cwd()))
  const result = yield* runRepro(args.runs)
  yield* Console.log(renderTable(result))
  const files = yield* writeReport(result, args.out)
  yield* Console.log(`report: ${files.join(", ")}`)
  if (!result.recordedHolds) {
    yield* Console.error("repro: a claim on the recorded data does not hold (see the table)")
    process.exitCode = 1
  }
})

Effect.runPromise(program).catch((e: unknown) => {
  console.error(`repro: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 2
})

/**
 * `rlvr repro [--runs DIR]... [--out DIR]`: checks every claim of the paper on
 * the authors' recorded data and on the runs in DIR (this project's run logs
 * `*.jsonl`, verl console logs `*.log`/`*.txt`, W&B CSV exports `*.csv`), prints
 * the claim table and writes `repro.md` + `index.html` into `--out`.
 * The logic lives in `@oneshot/repro`; this file only parses options.
 */
import { Command, Options } from "@effect/cli"
import { renderTable, writeReport } from "@oneshot/repro/Report"
import { runRepro } from "@oneshot/repro/Repro"
import { Console, Effect } from "effect"
import { fileURLToPath } from "node:url"

const DEFAULT_RUNS = fileURLToPath(new URL("../../../repro/runs", import.meta.url))

const runs = Options.directory("runs", { exists: "yes" }).pipe(
  Options.repeated,
  Options.withDescription("a directory of runs to check (repeatable); default: packages/repro/runs")
)
const out = Options.directory("out").pipe(
  Options.withDefault("repro-report"),
  Options.withDescription("where to write repro.md and index.html")
)

export const command = Command.make("repro", { runs, out }, ({ out, runs }) =>
  Effect.gen(function*() {
    const result = yield* runRepro(runs.length > 0 ? runs : [DEFAULT_RUNS])
    yield* Console.log(renderTable(result))
    const files = yield* writeReport(result, out)
    yield* Console.log(`report: ${files.join(", ")}`)
    if (!result.recordedHolds) {
      yield* Console.error("rlvr repro: a claim on the recorded data does not hold (see the table)")
      process.exitCode = 1
    }
  })
).pipe(Command.withDescription("check every claim of arXiv 2504.20571 on the recorded data and on your runs"))

/**
 * `npm run repro -w @oneshot/repro` (turbo's `repro` task): checks every claim
 * on the recorded data and on `packages/repro/runs/`, prints the table, writes
 * `report/repro.md` and `report/index.html`. Exit 1 when a regression claim
 * on the recorded data does not hold.
 */
import { Console, Effect } from "effect"
import { fileURLToPath } from "node:url"
import { renderTable, writeReport } from "../src/Report.ts"
import { runRepro } from "../src/Repro.ts"

const runsDir = fileURLToPath(new URL("../runs", import.meta.url))
const reportDir = fileURLToPath(new URL("../report", import.meta.url))

const program = Effect.gen(function*() {
  const result = yield* runRepro([runsDir])
  yield* Console.log(renderTable(result))
  const files = yield* writeReport(result, reportDir)
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

/**
 * Records the reference run logs (test/fixtures/reference-runlogs/) that
 * test/ReferenceRunLog.test.ts compares against. Run once, before a change
 * that must keep the logs: `npx tsx test/support/recordReferenceRuns.ts`.
 */
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { tempDir } from "./Task.ts"
import { comparableRunLog, FIXTURES, REFERENCE_RUNS } from "./ReferenceRuns.ts"

const program = Effect.gen(function* () {
  for (const r of REFERENCE_RUNS) {
    const log = yield* r.run(tempDir(`ref-${r.name}`))
    writeFileSync(join(FIXTURES, `${r.name}.jsonl`), comparableRunLog(log))
    console.log(`recorded ${r.name}`)
  }
})
Effect.runPromise(program).catch((e) => {
  console.error(e)
  process.exit(1)
})

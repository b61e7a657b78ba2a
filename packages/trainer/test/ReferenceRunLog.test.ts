/**
 * The trainer's refactors must not change what a run computes: with one
 * worker and no skips, each reference run writes the log recorded before the
 * trainer was split into stages, line for line (timings and headers aside).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { tempDir } from "./support/Task.ts"
import { comparableRunLog, FIXTURES, REFERENCE_RUNS } from "./support/ReferenceRuns.ts"

describe("reference run logs", () => {
  for (const r of REFERENCE_RUNS) {
    it.effect(`${r.name}: byte-identical to the log recorded before the refactor`, () =>
      Effect.gen(function* () {
        const log = yield* r.run(tempDir(`ref-${r.name}`))
        expect(comparableRunLog(log)).toBe(readFileSync(join(FIXTURES, `${r.name}.jsonl`), "utf8"))
      })
    )
  }
})

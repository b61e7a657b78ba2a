/**
 * Reads a W&B CSV export into a RunRecord. Two shapes are accepted:
 * - a run-history export: a `_step` (or `Step`, `step`, `trainer/global_step`) column and one column per metric;
 * - a panel export: `Step`, then `<run name> - <metric>` columns, with `__MIN`/`__MAX` companions (dropped).
 * Empty cells (a metric not logged at that step) are skipped.
 */
import { InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import { parseCsv } from "./Csv.ts"
import { metricsOnlyRun, type RunRecord } from "./RunRecord.ts"
import { parseVerlNumber } from "./VerlConsoleReader.ts"

const STEP_COLUMNS = ["Step", "_step", "step", "trainer/global_step"]

export const parseWandbCsv = (text: string, path: string, role: string): Effect.Effect<RunRecord, InvalidInput> =>
  Effect.gen(function*() {
    const rows = parseCsv(text)
    const head = rows[0]
    const stepCol = head?.findIndex((h) => STEP_COLUMNS.includes(h.trim())) ?? -1
    if (head === undefined || stepCol < 0) {
      return yield* new InvalidInput({
        input: path,
        expected: `a W&B CSV export with a step column (${STEP_COLUMNS.join(" | ")})`,
        actual: head === undefined ? "an empty file" : `columns ${head.slice(0, 5).join(", ")}`
      })
    }
    const columns = head.map((h) => {
      const raw = h.trim()
      if (/__(MIN|MAX)$/.test(raw)) return undefined
      const dash = raw.indexOf(" - ")
      const name = dash >= 0 ? raw.slice(dash + 3) : raw
      // W&B's own columns (`_step`, `_runtime`, `_timestamp`) and a pandas index column ("") are not metrics.
      return name.startsWith("_") || name.length === 0 ? undefined : name
    })
    const steps = new Map<number, Record<string, number>>()
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r]!
      const step = parseVerlNumber(row[stepCol] ?? "")
      if (step === undefined || !Number.isInteger(step)) {
        return yield* new InvalidInput({ input: `${path}:${r + 1}`, expected: "an integer step", actual: row[stepCol] ?? "(missing)" })
      }
      const metrics = steps.get(step) ?? {}
      columns.forEach((name, c) => {
        if (name === undefined || c === stepCol || STEP_COLUMNS.includes(name)) return
        const v = parseVerlNumber(row[c] ?? "")
        if (v !== undefined) metrics[name] = v
      })
      steps.set(step, metrics)
    }
    return metricsOnlyRun(role, path, "wandb-csv", steps)
  })

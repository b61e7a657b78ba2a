/**
 * Reads a verl console log (what `trainer.logger=['console']` prints) into a
 * RunRecord, so the claims can be checked on a real verl run.
 *
 * verl prints one line per step: `step:12 - critic/score/mean:0.512 - actor/entropy:0.61 - …`,
 * possibly behind a Ray prefix such as `(main_task pid=4242)`, with values that
 * may be wrapped (`np.float64(0.5)`). Before training it prints
 * `Initial validation metrics: {'val/test_score/simplerl/math500': 0.36}` (step 0).
 */
import { InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import { metricsOnlyRun, type RunRecord } from "./RunRecord.ts"

const STEP_LINE = /(?:^|[\s)])step:(\d+)\s+-\s+(.*)$/
const INITIAL_VALIDATION = /Initial validation metrics:\s*(\{.*\})\s*$/

/** A number, possibly wrapped as `np.float64(x)`, `tensor(x)`, `np.int64(x)`; `nan`/`inf` are dropped. */
export const parseVerlNumber = (raw: string): number | undefined => {
  const s = raw.trim().replace(/^(?:np\.)?(?:float|int)(?:16|32|64)?\((.*)\)$/, "$1").replace(/^tensor\((.*?)(?:,.*)?\)$/, "$1").trim()
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return undefined
  const v = Number(s)
  return Number.isFinite(v) ? v : undefined
}

/** `key:value - key:value`: keys may contain `:`, so split each pair at its last colon. */
export const parseStepPairs = (rest: string): Record<string, number> => {
  const metrics: Record<string, number> = {}
  for (const pair of rest.split(" - ")) {
    const at = pair.lastIndexOf(":")
    if (at <= 0) continue
    const v = parseVerlNumber(pair.slice(at + 1))
    if (v !== undefined) metrics[pair.slice(0, at).trim()] = v
  }
  return metrics
}

export const parseVerlConsole = (text: string, path: string, role: string): Effect.Effect<RunRecord, InvalidInput> =>
  Effect.gen(function*() {
    const steps = new Map<number, Record<string, number>>()
    const add = (step: number, metrics: Record<string, number>) => steps.set(step, { ...(steps.get(step) ?? {}), ...metrics })
    // A carriage return (progress bars) starts a new line too.
    const lines = text.split(/\r\n|\r|\n/)
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!
      // pprint wraps a long dict over several lines: join them up to the closing brace.
      if (line.includes("Initial validation metrics:") && !line.includes("}")) {
        while (i + 1 < lines.length && !line.includes("}")) line += " " + lines[++i]!.trim()
      }
      const init = INITIAL_VALIDATION.exec(line)
      if (init) {
        const metrics: Record<string, number> = {}
        for (const m of init[1]!.matchAll(/['"]([^'"]+)['"]\s*:\s*([^,}]+)/g)) {
          const v = parseVerlNumber(m[2]!)
          if (v !== undefined) metrics[m[1]!] = v
        }
        add(0, metrics)
        continue
      }
      const m = STEP_LINE.exec(line)
      if (m) add(Number(m[1]), parseStepPairs(m[2]!))
    }
    if (steps.size === 0) {
      return yield* new InvalidInput({
        input: path,
        expected: "a verl console log with lines like `step:12 - critic/score/mean:0.51 - …`",
        actual: "no step lines"
      })
    }
    return metricsOnlyRun(role, path, "verl-console", steps)
  })

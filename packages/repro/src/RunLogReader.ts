/**
 * Reads this project's run log (`@oneshot/core` RunLog: JSONL, append-only)
 * into a RunRecord. The role is `header.config.experiment`.
 */
import { decodeFailureSummary, InvalidInput, RunLogLine } from "@oneshot/core"
import { Effect, Either, Schema } from "effect"
import { evalsFromValidationMetrics, RunRecord } from "./RunRecord.ts"

const decodeLine = Schema.decodeUnknownEither(RunLogLine)

/** `config.experiment` when it is a non-empty string. */
export const experimentOf = (config: unknown): string | undefined => {
  if (typeof config !== "object" || config === null) return undefined
  const e = (config as Record<string, unknown>)["experiment"]
  return typeof e === "string" && e.length > 0 ? e : undefined
}

/**
 * Parses a run log. A torn last line (a crash mid-append: not JSON) is tolerated
 * and recorded as a warning; any other bad line fails naming `path:line`.
 * A step logged twice (a resumed run) keeps its last value.
 */
export const parseRunLog = (text: string, path: string, roleOverride?: string): Effect.Effect<RunRecord, InvalidInput> =>
  Effect.gen(function*() {
    const lines = text.split("\n")
    // A crash mid-append leaves an unparsable last line: tolerated (with a warning); anywhere else it is an error.
    let lastNonEmpty = lines.length - 1
    while (lastNonEmpty >= 0 && lines[lastNonEmpty]!.trim().length === 0) lastNonEmpty--
    const warnings: Array<string> = []
    let header: Extract<RunLogLine, { _tag: "header" }> | undefined
    const steps = new Map<number, Record<string, number>>()
    const evals = new Map<string, { step: number; summary: Extract<RunLogLine, { _tag: "eval" }>["summary"] }>()
    const accuracy = new Map<number, Record<string, number>>()
    const generations: Array<Extract<RunLogLine, { _tag: "generations" }>> = []
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.trim()
      if (raw.length === 0) continue
      let json: unknown
      try {
        json = JSON.parse(raw)
      } catch {
        if (i === lastNonEmpty) {
          warnings.push(`${path}:${i + 1}: torn last line ignored`)
          continue
        }
        return yield* new InvalidInput({ input: `${path}:${i + 1}`, expected: "a JSON run-log line", actual: raw.slice(0, 80) })
      }
      const decoded = decodeLine(json)
      if (Either.isLeft(decoded)) {
        return yield* new InvalidInput({
          input: `${path}:${i + 1}`,
          expected: "a run-log line (header | step | eval | accuracy | generations)",
          actual: decodeFailureSummary(decoded.left)
        })
      }
      const line = decoded.right
      switch (line._tag) {
        case "header":
          if (header === undefined) header = line
          break
        case "step":
          steps.set(line.step, { ...(steps.get(line.step) ?? {}), ...line.metrics })
          break
        case "eval":
          evals.set(`${line.step}\u0000${line.summary.benchmark}`, { step: line.step, summary: line.summary })
          break
        case "accuracy":
          accuracy.set(line.step, { ...(accuracy.get(line.step) ?? {}), ...line.perExample })
          break
        case "generations":
          generations.push(line)
          break
      }
    }
    if (header === undefined) {
      return yield* new InvalidInput({ input: path, expected: "a run log starting with a header line", actual: "no header line" })
    }
    const stem = path.split("/").at(-1)!.split(".")[0]!
    const role = roleOverride ?? experimentOf(header.config) ?? stem
    if (roleOverride === undefined && experimentOf(header.config) === undefined) {
      warnings.push(`${path}: header.config.experiment missing; role taken from the file name (${stem})`)
    }
    const stepList = [...steps.entries()].sort((a, b) => a[0] - b[0]).map(([step, metrics]) => ({ step, metrics }))
    const logged = [...evals.values()].sort((a, b) => a.step - b.step)
    return RunRecord.make({
      runId: header.runId,
      role,
      source: "run-log",
      path,
      config: header.config,
      env: header.env,
      steps: stepList,
      // Evaluation lines win; validation metrics in step lines fill in when a run logged only those.
      evals: logged.length > 0 ? logged : evalsFromValidationMetrics(stepList),
      accuracy: [...accuracy.entries()].sort((a, b) => a[0] - b[0]).map(([step, perExample]) => ({ step, perExample })),
      generations: generations.map((g) => ({ step: g.step, samples: g.samples })).sort((a, b) => a.step - b.step),
      warnings
    })
  })

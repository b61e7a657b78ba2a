/**
 * A training run as the checks see it, whatever recorded it: this project's
 * run log, a verl console log or a W&B CSV export. Metrics keep verl's names.
 */
import { EvalSummary, RunEnvironment } from "@oneshot/core"
import { Schema } from "effect"
import { mean, normalize, type Series } from "./Series.ts"

/** Where a run came from; `reported` is the paper's numbers as a run (see ReportedRuns). */
export const RunSource = Schema.Literal("run-log", "verl-console", "wandb-csv", "reported")
export type RunSource = typeof RunSource.Type

export const StepMetrics = Schema.Struct({
  step: Schema.Int,
  metrics: Schema.Record({ key: Schema.String, value: Schema.Number })
})

export const Evaluation = Schema.Struct({ step: Schema.Int, summary: EvalSummary })

export const AccuracySnapshot = Schema.Struct({
  step: Schema.Int,
  perExample: Schema.Record({ key: Schema.String, value: Schema.Number })
})

export const Generations = Schema.Struct({
  step: Schema.Int,
  samples: Schema.Array(Schema.Struct({ id: Schema.String, response: Schema.String, reward: Schema.Number }))
})

export class RunRecord extends Schema.Class<RunRecord>("RunRecord")({
  runId: Schema.String,
  /** The experiment role (`1shot-pi1`, `full-set`, `format-baseline`, …) that claims look runs up by. */
  role: Schema.String,
  source: RunSource,
  /** The file it was read from. */
  path: Schema.String,
  config: Schema.Unknown,
  env: Schema.optional(RunEnvironment),
  /** Per-step metrics under verl's names, ascending by step, one entry per step. */
  steps: Schema.Array(StepMetrics),
  /** Periodic evaluations (accuracy in [0, 1]), ascending by step. */
  evals: Schema.Array(Evaluation),
  /** Per-example training accuracy at a step (the `acc_step_N.json` history). */
  accuracy: Schema.Array(AccuracySnapshot),
  /** Sparse sampled responses. */
  generations: Schema.Array(Generations),
  /** Things the reader tolerated (e.g. a torn last line), so they are reported, not hidden. */
  warnings: Schema.Array(Schema.String)
}) {}

/** verl's name for the mean 0/1 reward of the step's rollouts: the training accuracy. */
export const TRAIN_ACCURACY = "critic/score/mean"
/** verl's names for the entropy metric (the authors' fork logs `actor/entropy_loss`, newer verl `actor/entropy`). */
export const ENTROPY = ["actor/entropy_loss", "actor/entropy"] as const
export const RESPONSE_LENGTH = ["response_length/mean"] as const
export const PG_LOSS = ["actor/pg_loss"] as const

/** The series of the first of `names` that the run logs. */
export const metricSeries = (run: RunRecord, names: string | ReadonlyArray<string>): Series => {
  const list = typeof names === "string" ? [names] : names
  for (const name of list) {
    const points = run.steps.flatMap((s) => (name in s.metrics ? [{ step: s.step, value: s.metrics[name]! }] : []))
    if (points.length > 0) return normalize(points)
  }
  return []
}

export const trainAccuracy = (run: RunRecord): Series => metricSeries(run, TRAIN_ACCURACY)

/** The benchmarks a run was evaluated on. */
export const benchmarks = (run: RunRecord): ReadonlyArray<string> => [...new Set(run.evals.map((e) => e.summary.benchmark))]

/**
 * Test accuracy over steps: one benchmark when named, else the unweighted mean
 * over every benchmark (the paper's avg6 when there are six), at the steps
 * where all of them were evaluated.
 */
export const testAccuracy = (run: RunRecord, benchmark?: string): Series => {
  const wanted = benchmark === undefined ? benchmarks(run) : [benchmark]
  const byStep = new Map<number, Map<string, number>>()
  for (const e of run.evals) {
    if (!wanted.includes(e.summary.benchmark)) continue
    const m = byStep.get(e.step) ?? new Map<string, number>()
    m.set(e.summary.benchmark, e.summary.accuracy)
    byStep.set(e.step, m)
  }
  const points = [...byStep.entries()]
    .filter(([, m]) => wanted.every((b) => m.has(b)))
    .map(([step, m]) => ({ step, value: mean([...m.values()])! }))
  return wanted.length === 0 ? [] : normalize(points)
}

/** A per-step series of an optional eval-summary field, averaged over benchmarks. */
export const evalFieldSeries = (
  run: RunRecord,
  field: "boxedRatio" | "reflectionRate" | "meanResponseLength" | "truncationRate",
  benchmark?: string
): Series => {
  const byStep = new Map<number, Array<number>>()
  for (const e of run.evals) {
    if (benchmark !== undefined && e.summary.benchmark !== benchmark) continue
    const v = e.summary[field]
    if (v === undefined) continue
    byStep.set(e.step, [...(byStep.get(e.step) ?? []), v])
  }
  return normalize([...byStep.entries()].map(([step, vs]) => ({ step, value: mean(vs)! })))
}

/** The last step the run logged (metrics or evals). */
export const runLength = (run: RunRecord): number =>
  Math.max(0, ...run.steps.map((s) => s.step), ...run.evals.map((e) => e.step))

/**
 * Turns verl validation metrics into evaluations: `val/test_score/<source>`
 * (the authors' fork) and `val-core/<source>/<var>/mean@N` (newer verl). The
 * benchmark is the last segment of the data source (`simplerl/math500` → `math500`).
 */
export const evalsFromValidationMetrics = (
  steps: ReadonlyArray<typeof StepMetrics.Type>
): Array<typeof Evaluation.Type> => {
  const out: Array<typeof Evaluation.Type> = []
  for (const s of steps) {
    const seen = new Set<string>()
    for (const [key, value] of Object.entries(s.metrics)) {
      const benchmark = validationBenchmark(key)
      if (benchmark === undefined || seen.has(benchmark)) continue
      seen.add(benchmark)
      out.push({ step: s.step, summary: EvalSummary.make({ benchmark, protocol: "verl-val", n: 0, accuracy: value }) })
    }
  }
  return out.sort((a, b) => a.step - b.step)
}

/**
 * A run known only through its per-step metrics (an imported verl console log
 * or W&B export): steps sorted, evaluations taken from the validation metrics.
 */
export const metricsOnlyRun = (
  role: string,
  path: string,
  source: typeof RunSource.Type,
  steps: ReadonlyMap<number, Record<string, number>>
): RunRecord => {
  const stepList = [...steps.entries()].sort((a, b) => a[0] - b[0]).map(([step, metrics]) => ({ step, metrics }))
  return RunRecord.make({
    runId: `${role}@${path}`,
    role,
    source,
    path,
    config: { experiment: role },
    steps: stepList,
    evals: evalsFromValidationMetrics(stepList),
    accuracy: [],
    generations: [],
    warnings: []
  })
}

export const validationBenchmark = (key: string): string | undefined => {
  const old = /^val\/test_score\/(.+)$/.exec(key)
  if (old) return old[1]!.split("/").at(-1)
  const core = /^val-core\/(.+)\/[^/]+\/mean@\d+$/.exec(key)
  if (core) return core[1]!.split("/").at(-1)
  return undefined
}

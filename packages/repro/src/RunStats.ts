/**
 * The per-run statistics replication checks are built from: window means of a
 * metric (never a maximum over checkpoints), the base model's value at step 0,
 * and a few run-level quantities (overfitting onset, share of steps with a
 * policy-gradient signal, checkpoint jitter, epochs over the training set).
 * Accuracies and ratios are in percentage points. Statistics of test accuracy
 * also give their per-problem contributions when the evaluations log each
 * problem's score, so that replication can pair evaluation noise over problems.
 */
import { ENTROPY, metricSeries, PG_LOSS, RESPONSE_LENGTH, type RunRecord, runLength, TRAIN_ACCURACY } from "./RunRecord.ts"
import type { SubjectLookup } from "./ProblemSubjects.ts"
import type { PerProblem, Statistic, Window } from "./Replication.ts"
import { binomialVariance, meanOf, sampleVariance } from "./Stats.ts"
import { movingAverage } from "./Series.ts"

/** One value of a metric at a step, with the evaluation-sampling variance of that value. */
interface Sample {
  readonly step: number
  readonly value: number
  readonly variance: number
}

export type Metric =
  | { readonly kind: "test"; readonly subject?: string }
  | { readonly kind: "boxed" }
  | { readonly kind: "reflection" }
  | { readonly kind: "evalLength" }
  | { readonly kind: "train" }
  | { readonly kind: "trainLength" }
  | { readonly kind: "entropy" }

export const metricName = (m: Metric): string =>
  m.kind === "test" ? (m.subject === undefined ? "test accuracy (mean over benchmarks)" : `test accuracy on subject ${m.subject}`)
  : m.kind === "boxed" ? "eval \\boxed{} ratio"
  : m.kind === "reflection" ? "eval reflection-word rate"
  : m.kind === "evalLength" ? "eval mean response length"
  : m.kind === "train" ? "training accuracy (critic/score/mean)"
  : m.kind === "trainLength" ? "training response length"
  : "actor entropy"

const PP = 100

/** Evaluation samples, one per eval step, averaged over benchmarks (all benchmarks present at that step). */
const evalSamples = (run: RunRecord, pick: (s: RunRecord["evals"][number]["summary"]) => { v: number; n: number } | undefined, scale: number): ReadonlyArray<Sample> => {
  const byStep = new Map<number, Array<{ v: number; n: number }>>()
  const benches = new Set(run.evals.map((e) => e.summary.benchmark))
  const count = new Map<number, number>()
  for (const e of run.evals) {
    count.set(e.step, (count.get(e.step) ?? 0) + 1)
    const x = pick(e.summary)
    if (x === undefined) continue
    byStep.set(e.step, [...(byStep.get(e.step) ?? []), x])
  }
  return [...byStep.entries()]
    .filter(([step, xs]) => xs.length > 0 && (count.get(step) ?? 0) >= benches.size)
    .sort((a, b) => a[0] - b[0])
    .map(([step, xs]) => ({
      step,
      value: scale * meanOf(xs.map((x) => x.v)),
      // Variance of a mean over benchmarks; a benchmark without a problem count adds nothing (unknown).
      variance: (scale * scale * xs.reduce((a, x) => a + (x.n > 0 ? binomialVariance(x.v, x.n) : 0), 0)) / (xs.length * xs.length)
    }))
}

const stepSamples = (run: RunRecord, names: string | ReadonlyArray<string>): ReadonlyArray<Sample> =>
  metricSeries(run, names).map((p) => ({ step: p.step, value: p.value, variance: 0 }))

export const samples = (run: RunRecord, m: Metric): ReadonlyArray<Sample> => {
  switch (m.kind) {
    case "test":
      return m.subject === undefined
        ? evalSamples(run, (s) => ({ v: s.accuracy, n: s.n }), PP)
        : evalSamples(run, (s) => (s.bySubject[m.subject!] === undefined ? undefined : { v: s.bySubject[m.subject!]!.accuracy, n: s.bySubject[m.subject!]!.n }), PP)
    case "boxed":
      return evalSamples(run, (s) => (s.boxedRatio === undefined ? undefined : { v: s.boxedRatio, n: s.responses ?? s.n }), PP)
    case "reflection":
      return evalSamples(run, (s) => (s.reflectionRate === undefined ? undefined : { v: s.reflectionRate, n: 0 }), 1)
    case "evalLength":
      return evalSamples(run, (s) => (s.meanResponseLength === undefined ? undefined : { v: s.meanResponseLength, n: 0 }), 1)
    case "train":
      return stepSamples(run, TRAIN_ACCURACY).map((p) => ({ ...p, value: PP * p.value }))
    case "trainLength":
      return stepSamples(run, RESPONSE_LENGTH)
    case "entropy":
      return stepSamples(run, ENTROPY)
  }
}

const pct = (x: number) => `${Number((100 * x).toFixed(1))}%`

type Summary = RunRecord["evals"][number]["summary"]
type TestMetric = Extract<Metric, { readonly kind: "test" }>

/** How far a mean of logged scores may sit from the logged accuracy (rounding only). */
const SCORE_TOLERANCE = 1e-9

/**
 * One evaluation's per-problem scores (fractions) for a test-accuracy metric:
 * all problems, or the subject's (subjects from `subjects`, in problem order).
 * "absent": the benchmark does not count for the metric at all (no such
 * subject in it), as in `samples`. Undefined when the scores are missing, are
 * not one per problem, or do not average to the logged accuracy (a benchmark
 * file unlike the one evaluated): the statistic then stays unpaired.
 */
const problemScores = (s: Summary, metric: TestMetric, subjects: SubjectLookup | undefined): ReadonlyArray<number> | "absent" | undefined => {
  const scores = s.problemScores
  const agrees = (xs: ReadonlyArray<number>, accuracy: number) => xs.length > 0 && Math.abs(meanOf(xs) - accuracy) <= SCORE_TOLERANCE
  if (metric.subject === undefined) return scores !== undefined && scores.length === s.n && agrees(scores, s.accuracy) ? scores : undefined
  const sub = s.bySubject[metric.subject]
  if (sub === undefined) return "absent"
  const labels = subjects?.(s.benchmark)
  if (scores === undefined || scores.length !== s.n || labels === undefined || labels.length !== s.n) return undefined
  const mine = scores.filter((_, i) => labels[i] === metric.subject)
  return mine.length === sub.n && agrees(mine, sub.accuracy) ? mine : undefined
}

/**
 * Per-problem contributions of a test-accuracy mean over eval steps: each
 * problem's score averaged over the steps, in pp, per benchmark; their mean
 * over problems averaged over benchmarks is the mean of the steps' values in
 * `samples`. Undefined when an evaluation at a step cannot give its scores, a
 * benchmark is evaluated twice at a step, or the steps differ in benchmarks
 * or problems.
 */
const perProblemOver = (run: RunRecord, metric: TestMetric, steps: ReadonlyArray<number>, subjects: SubjectLookup | undefined): PerProblem | undefined => {
  if (steps.length === 0) return undefined
  const sums = new Map<string, Array<number>>()
  for (const [j, step] of steps.entries()) {
    const at = new Map<string, ReadonlyArray<number>>()
    for (const e of run.evals) {
      if (e.step !== step) continue
      const v = problemScores(e.summary, metric, subjects)
      if (v === undefined || at.has(e.summary.benchmark)) return undefined
      if (v !== "absent") at.set(e.summary.benchmark, v)
    }
    if (at.size === 0) return undefined
    if (j === 0) for (const [b, v] of at) sums.set(b, v.map(() => 0))
    if (at.size !== sums.size) return undefined
    for (const [b, v] of at) {
      const acc = sums.get(b)
      if (acc === undefined || acc.length !== v.length) return undefined
      for (let i = 0; i < v.length; i++) acc[i]! += v[i]!
    }
  }
  return new Map([...sums].map(([b, acc]) => [b, acc.map((x) => (PP * x) / steps.length)]))
}

/** Steps s of a run with from·T < s ≤ to·T, never step 0 (the base model). */
export const inWindow = (step: number, w: Window, T: number): boolean => step > 0 && step > w.from * T && step <= w.to * T

/**
 * Mean of a metric over a window of the run (fractions of its last step), with
 * at least `minEvals` points in it. Shared variance: the mean of the points'
 * evaluation-sampling variances (an upper bound for the variance of a mean of
 * positively correlated evaluations of the same problems). On test accuracy
 * it also gives each problem's score averaged over the window's points
 * (`perProblem`); a subject's problems are known through `subjects`, without
 * which a subject metric stays unpaired.
 */
export const windowStat = (metric: Metric, w: Window, minEvals: number, subjects?: SubjectLookup): Statistic => {
  const points = (run: RunRecord): ReadonlyArray<Sample> | string => {
    const T = runLength(run)
    const all = samples(run, metric)
    if (all.length === 0) return `no ${metricName(metric)} logged`
    const pts = all.filter((p) => inWindow(p.step, w, T))
    if (pts.length < minEvals) {
      return `${pts.length} point${pts.length === 1 ? "" : "s"} of ${metricName(metric)} in steps ${Math.floor(w.from * T) + 1}–${Math.floor(w.to * T)} of ${T} (needs ≥ ${minEvals}, step 0 excluded)`
    }
    return pts
  }
  const test = metric.kind === "test" ? metric : undefined
  return {
    name: `mean ${metricName(metric)} over ${pct(w.from)}–${pct(w.to)} of the run`,
    compute: (run) => {
      const pts = points(run)
      if (typeof pts === "string") return pts
      const values = pts.map((p) => p.value)
      return {
        value: meanOf(values),
        shared: meanOf(pts.map((p) => p.variance)),
        own: pts.length >= 2 ? sampleVariance(values) / pts.length : meanOf(pts.map((p) => p.variance))
      }
    },
    ...(test === undefined ? {} : {
      perProblem: (run: RunRecord) => {
        const pts = points(run)
        return typeof pts === "string" ? undefined : perProblemOver(run, test, pts.map((p) => p.step), subjects)
      }
    })
  }
}

/** The metric at step 0: the base model before any update (on test accuracy, with its per-problem scores as in `windowStat`). */
export const baseStat = (metric: Metric, subjects?: SubjectLookup): Statistic => {
  const test = metric.kind === "test" ? metric : undefined
  return {
    name: `${metricName(metric)} of the base model (step 0)`,
    compute: (run) => {
      const p = samples(run, metric).find((s) => s.step === 0)
      return p === undefined ? `no step-0 ${metricName(metric)} (the base model's evaluation)` : { value: p.value, shared: p.variance, own: 0 }
    },
    ...(test === undefined ? {} : {
      perProblem: (run: RunRecord) =>
        samples(run, metric).some((s) => s.step === 0) ? perProblemOver(run, test, [0], subjects) : undefined
    })
  }
}

/**
 * Fraction of the run at which the training response length first exceeds
 * 1.5× its median over 5–15% of the run (after the paper's saturation, long before its onset) (moving average of 0.5% of the run,
 * 1–10 steps): the overfitting onset (C13). Absent → the statistic is missing.
 */
export const overfittingOnset: Statistic = {
  name: "training-length blow-up onset (fraction of the run)",
  compute: (run) => {
    const len = metricSeries(run, RESPONSE_LENGTH)
    if (len.length === 0) return "no response_length/mean logged"
    const T = runLength(run)
    const ref = len.filter((p) => p.step > 0.05 * T && p.step <= 0.15 * T).map((p) => p.value).sort((a, b) => a - b)
    const median = ref[Math.floor(ref.length / 2)]
    if (median === undefined) return "no steps between 5% and 15% of the run"
    const window = Math.max(1, Math.min(10, Math.round(T / 200)))
    const ma = movingAverage(len.map((p) => p.value), window)
    const i = len.findIndex((p, j) => p.step > 0.15 * T && ma[j]! > 1.5 * median)
    if (i < 0) return `no overfitting onset in ${T} steps (training length never above 1.5× its median over 5–15% of the run): the phenomenon is absent, so its timing cannot be measured`
    return { value: len[i]!.step / T, shared: 0, own: 0 }
  }
}

/** Share of steps after 5% of the run with a non-zero policy-gradient loss and training accuracy < 1 (C15). */
export const pgActiveShare: Statistic = {
  name: "share of steps after 5% of the run with |pg_loss| > 0 and accuracy < 1 (pp)",
  compute: (run) => {
    const pg = metricSeries(run, PG_LOSS)
    const acc = new Map(metricSeries(run, TRAIN_ACCURACY).map((p) => [p.step, p.value]))
    if (pg.length === 0 || acc.size === 0) return "no actor/pg_loss or critic/score/mean logged"
    const T = runLength(run)
    const after = pg.filter((p) => p.step > 0.05 * T)
    if (after.length < 5) return `${after.length} steps after 5% of the run (needs ≥ 5)`
    const k = after.filter((p) => Math.abs(p.value) > 1e-9 && (acc.get(p.step) ?? 1) < 1).length
    return { value: (PP * k) / after.length, shared: 0, own: PP * PP * binomialVariance(k / after.length, after.length) }
  }
}

/** Checkpoint-to-checkpoint jitter of test accuracy (mean squared successive difference, pp²) after step 0 (C37). */
export const testJitter: Statistic = {
  name: "checkpoint-to-checkpoint jitter of test accuracy (pp²)",
  compute: (run) => {
    const pts = samples(run, { kind: "test" }).filter((p) => p.step > 0)
    if (pts.length < 4) return `${pts.length} evaluations after step 0 (needs ≥ 4)`
    let s = 0
    for (let i = 1; i < pts.length; i++) s += (pts[i]!.value - pts[i - 1]!.value) ** 2
    return { value: s / (2 * (pts.length - 1)), shared: 0, own: Number.NaN }
  }
}

/**
 * How many times the run saw each training example on average, from its
 * per-example accuracy lines; undefined when it does not log them.
 */
export const epochs = (run: RunRecord): number | undefined => {
  if (run.accuracy.length === 0) return undefined
  const seen = new Map<string, number>()
  for (const a of run.accuracy) for (const id of Object.keys(a.perExample)) seen.set(id, (seen.get(id) ?? 0) + 1)
  return meanOf([...seen.values()])
}

/**
 * Pure helpers on step series (moving averages, saturation, windows, trends).
 * Every run-check is built from these, so they carry the property tests.
 */

/** One value of a metric at a training step. */
export interface Point {
  readonly step: number
  readonly value: number
}

export type Series = ReadonlyArray<Point>

/** Sorts by step and keeps the last value given for a repeated step (a resumed run re-logs steps). */
export const normalize = (points: ReadonlyArray<Point>): Series => {
  const byStep = new Map<number, number>()
  for (const p of points) if (Number.isFinite(p.value)) byStep.set(p.step, p.value)
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, value]) => ({ step, value }))
}

/**
 * Mean, computed as an offset from the first value so that a constant input
 * gives exactly that constant (a flat curve then shows exactly zero gain).
 */
export const mean = (xs: ReadonlyArray<number>): number | undefined => {
  if (xs.length === 0) return undefined
  const x0 = xs[0]!
  return x0 + xs.reduce((a, b) => a + (b - x0), 0) / xs.length
}

/** Trailing moving average: element i is the mean of xs[max(0, i-w+1) .. i]. Causal, so appending never changes earlier values. */
export const movingAverage = (xs: ReadonlyArray<number>, window: number): ReadonlyArray<number> => {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`movingAverage: window must be a positive integer, got ${window}`)
  const out: Array<number> = []
  let sum = 0
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i]!
    if (i >= window) sum -= xs[i - window]!
    out.push(sum / Math.min(i + 1, window))
  }
  return out
}

export interface SaturationOptions {
  /** Moving-average window in logged points (default 10, as claims.md suggests). */
  readonly window?: number
  /** Accuracy the moving average must reach (default 0.95). */
  readonly threshold?: number
}

/**
 * The first step at which the trailing moving average of a full window reaches
 * the threshold (claims.md C10: t_sat). `undefined` when it never does.
 */
export const saturationStep = (series: Series, options: SaturationOptions = {}): number | undefined => {
  const window = options.window ?? 10
  const threshold = options.threshold ?? 0.95
  const ma = movingAverage(series.map((p) => p.value), window)
  for (let i = window - 1; i < series.length; i++) if (ma[i]! >= threshold) return series[i]!.step
  return undefined
}

/** Values with `from <= step <= to`. */
export const between = (series: Series, from: number, to: number): Series =>
  series.filter((p) => p.step >= from && p.step <= to)

/** Mean of the values with `from <= step <= to`; `undefined` when there are none. */
export const windowMean = (series: Series, from: number, to: number): number | undefined =>
  mean(between(series, from, to).map((p) => p.value))

export const lastStep = (series: Series): number | undefined => series.at(-1)?.step

/** The point with the largest value (the first such, i.e. the earliest checkpoint). */
export const argmax = (series: Series): Point | undefined =>
  series.reduce<Point | undefined>((best, p) => (best === undefined || p.value > best.value ? p : best), undefined)

/**
 * Kendall's tau-a of values against their order: +1 strictly rising, −1
 * strictly falling, 0 for no monotone trend (and for constant input). A rank
 * statistic, so one outlier checkpoint cannot make a trend.
 */
export const kendallTau = (xs: ReadonlyArray<number>): number => {
  const n = xs.length
  if (n < 2) return 0
  let s = 0
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(xs[j]! - xs[i]!)
  return s / ((n * (n - 1)) / 2)
}

/**
 * Mean squared successive difference (von Neumann): checkpoint-to-checkpoint
 * jitter. Unlike the variance it is not inflated by a steady trend, so a
 * rising-but-smooth curve reads as stable. 0 for fewer than two values.
 */
export const successiveVariance = (xs: ReadonlyArray<number>): number => {
  if (xs.length < 2) return 0
  let s = 0
  for (let i = 1; i < xs.length; i++) s += (xs[i]! - xs[i - 1]!) ** 2
  return s / (2 * (xs.length - 1))
}

export interface PostSaturationGain {
  /** Mean test accuracy over the first `baselinePoints` evaluations at or after saturation. */
  readonly atSaturation: number
  /** Mean test accuracy over the evaluations in the last half of the post-saturation phase. */
  readonly late: number
  readonly gain: number
}

/**
 * Test-accuracy gain after the training accuracy saturated (C11): the late
 * post-saturation mean minus the mean right at saturation. Windows, not single
 * checkpoints, so a constant curve gives exactly 0 and noise is averaged.
 */
export const postSaturationGain = (
  test: Series,
  tSat: number,
  baselinePoints = 2
): PostSaturationGain | undefined => {
  const after = test.filter((p) => p.step >= tSat)
  const end = lastStep(after)
  if (end === undefined || after.length < baselinePoints + 1) return undefined
  const atSaturation = mean(after.slice(0, baselinePoints).map((p) => p.value))!
  const lateFrom = tSat + (end - tSat) / 2
  const lateValues = after.slice(baselinePoints).filter((p) => p.step >= lateFrom)
  const late = mean(lateValues.map((p) => p.value))
  if (late === undefined) return undefined
  return { atSaturation, late, gain: late - atSaturation }
}

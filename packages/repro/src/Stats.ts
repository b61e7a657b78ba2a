/**
 * The statistics behind the replication verdicts: pure functions, no I/O.
 *
 * An estimate is a linear combination of per-run statistics (window means of a
 * metric); its 95% interval combines two variance components:
 * - seed-to-seed variance of the per-seed values (sample variance over the
 *   seeds of a role, or pooled over replicated roles when a role has one seed),
 *   with t quantiles at the Welch–Satterthwaite degrees of freedom;
 * - evaluation-sampling variance that seeds share (the same problems are
 *   evaluated for every seed): paired over problems when every run logs each
 *   problem's score (Replication.pairedEvaluation); otherwise binomial
 *   p(1−p)/n per accuracy, taken unpaired, which over-states it when both
 *   sides were graded on the same problems.
 */

/** Two-sided 97.5% quantiles of Student's t for 1…30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042
]
export const Z975 = 1.959964
/** z of 80% power: an effect of (z975 + z80)·SE is detected 80% of the time. */
export const Z80 = 0.841621

/**
 * The 0.975 quantile of t with `df` degrees of freedom (non-integer df by
 * interpolation in 1/df, which is close to linear; ∞ gives the normal's).
 */
export const tQuantile975 = (df: number): number => {
  if (!(df > 0)) return Number.POSITIVE_INFINITY
  if (!Number.isFinite(df) || df > 1e6) return Z975
  if (df <= 1) return T975[0]! * (1 / df) ** 0.5 // heavier than df=1: grow, never shrink
  if (df >= 30) {
    const z = Z975
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)
  }
  const lo = Math.floor(df)
  const hi = Math.ceil(df)
  if (lo === hi) return T975[lo - 1]!
  const w = (1 / df - 1 / hi) / (1 / lo - 1 / hi)
  return w * T975[lo - 1]! + (1 - w) * T975[hi - 1]!
}

export const meanOf = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return Number.NaN
  const x0 = xs[0]!
  return x0 + xs.reduce((a, b) => a + (b - x0), 0) / xs.length
}

/** Unbiased sample variance; NaN below two values. */
export const sampleVariance = (xs: ReadonlyArray<number>): number => {
  if (xs.length < 2) return Number.NaN
  const m = meanOf(xs)
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)
}

/**
 * Variance of an accuracy measured on `n` problems: p(1−p)/n with p shrunk
 * toward ½ by half a problem each way, so 0/n and n/n are not certainties.
 */
export const binomialVariance = (p: number, n: number): number => {
  if (!(n > 0)) return Number.NaN
  const q = (p * n + 0.5) / (n + 1)
  return (q * (1 - q)) / n
}

/** One variance component and the degrees of freedom it was estimated with (∞ when known). */
export interface VarianceComponent {
  readonly variance: number
  readonly df: number
}

/** Welch–Satterthwaite: the effective degrees of freedom of a sum of variance components. */
export const satterthwaite = (parts: ReadonlyArray<VarianceComponent>): number => {
  const total = parts.reduce((a, p) => a + p.variance, 0)
  const denom = parts.reduce((a, p) => a + (Number.isFinite(p.df) ? (p.variance * p.variance) / p.df : 0), 0)
  if (total === 0) return Number.POSITIVE_INFINITY
  return denom === 0 ? Number.POSITIVE_INFINITY : (total * total) / denom
}

export interface Interval {
  readonly estimate: number
  readonly se: number
  readonly df: number
  readonly ci95: readonly [number, number]
  /** The effect this design detects with 80% power at the 5% level: (t975 + z80)·SE. */
  readonly detectable: number
}

export const interval = (estimate: number, parts: ReadonlyArray<VarianceComponent>): Interval => {
  const variance = parts.reduce((a, p) => a + p.variance, 0)
  const se = Math.sqrt(variance)
  const df = satterthwaite(parts)
  const q = tQuantile975(df)
  return { estimate, se, df, ci95: [estimate - q * se, estimate + q * se], detectable: (q + Z80) * se }
}

/**
 * What the paper says about the effect:
 * - `greater` / `less`: its sign, with the smallest effect of interest (≥ 0, same unit);
 * - `equivalent`: |effect| ≤ margin;
 * - `at-most`: effect ≤ margin ("no significant improvement").
 */
export type Direction =
  | { readonly kind: "greater"; readonly sesoi: number }
  | { readonly kind: "less"; readonly sesoi: number }
  | { readonly kind: "equivalent"; readonly margin: number }
  | { readonly kind: "at-most"; readonly margin: number }

export type StatVerdict = "replicates" | "contradicts" | "inconclusive"

/**
 * The verdict a 95% interval gives:
 * - greater: contradicts when hi < sesoi (the smallest effect of interest is excluded), even when lo > 0:
 *   an effect shown to be smaller than any the claim would count (the paper's +17 measured as +1.7
 *   [+0.7, +2.8]) does not replicate the claim as sized; else replicates when lo > 0;
 * - less: mirrored;
 * - equivalent: replicates when the interval lies inside ±margin; contradicts when it lies wholly outside;
 * - at-most: replicates when hi < margin; contradicts when lo > margin.
 * Everything else is inconclusive: the data could not tell.
 */
export const statVerdict = (ci: readonly [number, number], d: Direction): StatVerdict => {
  const [lo, hi] = ci
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return "inconclusive"
  switch (d.kind) {
    case "greater":
      return hi < d.sesoi ? "contradicts" : lo > 0 ? "replicates" : "inconclusive"
    case "less":
      return lo > -d.sesoi ? "contradicts" : hi < 0 ? "replicates" : "inconclusive"
    case "equivalent":
      return lo > -d.margin && hi < d.margin ? "replicates" : lo > d.margin || hi < -d.margin ? "contradicts" : "inconclusive"
    case "at-most":
      return hi < d.margin ? "replicates" : lo > d.margin ? "contradicts" : "inconclusive"
  }
}

export const describeDirection = (d: Direction, unit: string): string => {
  switch (d.kind) {
    case "greater":
      return `effect > 0 (smallest effect of interest ${d.sesoi} ${unit})`
    case "less":
      return `effect < 0 (smallest effect of interest −${d.sesoi} ${unit})`
    case "equivalent":
      return `|effect| < ${d.margin} ${unit}`
    case "at-most":
      return `effect < ${d.margin} ${unit}`
  }
}

/** Wilson score interval of a binomial proportion (k successes of n), 95%. */
export const wilson = (k: number, n: number): readonly [number, number] => {
  if (n <= 0) return [0, 1]
  const z = Z975
  const p = k / n
  const denom = 1 + (z * z) / n
  const centre = (p + (z * z) / (2 * n)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

/** A seeded PRNG (mulberry32) for simulations and tests: reproducible, no global state. */
export const rng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw from a uniform source (Box–Muller). */
export const normal = (u: () => number): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())

/** A Binomial(n, p) draw (n small: sum of Bernoullis). */
export const binomial = (u: () => number, n: number, p: number): number => {
  let k = 0
  for (let i = 0; i < n; i++) if (u() < p) k++
  return k
}

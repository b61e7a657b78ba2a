/**
 * Replication as statistics. A check declares, before any run is read, its
 * estimator (a linear combination of per-run statistics of named roles), the
 * windows (fractions of each run's steps, step 0 excluded: step 0 is the base
 * model), the minimum number of evaluations in each window, the direction the
 * paper claims and the smallest effect of interest taken from the paper.
 * `replicate` then uses every run of each role (all seeds) and returns the
 * estimate, its 95% interval and the verdict (see Stats.statVerdict).
 *
 * Evaluation noise: when every run used logs each problem's score, the
 * combination is formed problem by problem and its variance taken over
 * problems (`pairedEvaluation`), so that two accuracies measured on the same
 * problems (a late minus an early window, one role minus another) share their
 * problem-to-problem spread instead of adding it; otherwise each accuracy's
 * binomial variance is added as if independent (`RunStat.shared`).
 */
import { roleLabel } from "./Verdict.ts"
import { runsOfRole, seedCount } from "./Roles.ts"
import type { RunRecord } from "./RunRecord.ts"
import {
  describeDirection,
  type Direction,
  interval,
  type Interval,
  meanOf,
  sampleVariance,
  statVerdict,
  type VarianceComponent
} from "./Stats.ts"

export type Runs = ReadonlyArray<RunRecord>

/** A window as fractions of the run's last step: steps s with from·T < s ≤ to·T (and s > 0). */
export interface Window {
  readonly from: number
  readonly to: number
}

export type ReplicationOutcome = "replicates" | "contradicts" | "inconclusive" | "insufficient-data" | "not-applicable"

/** A per-run statistic: its value and its measurement variance, split into the part seeds share and the rest. */
export interface RunStat {
  readonly value: number
  /**
   * Evaluation-sampling variance shared by every seed (same problems): each
   * accuracy's binomial variance, unpaired (terms on the same problems taken
   * as independent). Replaced by the paired variance over problems when every
   * run used has per-problem scores (see `Statistic.perProblem`).
   */
  readonly shared: number
  /** Measurement variance of this run alone (checkpoint-to-checkpoint jitter / points). */
  readonly own: number
}

/**
 * A statistic's per-problem contributions: benchmark → one value per problem
 * (in the statistic's unit, the benchmark's problem order), whose mean over
 * problems averaged over benchmarks is the statistic's value. Two statistics
 * of the same problems can then be combined problem by problem.
 */
export type PerProblem = ReadonlyMap<string, ReadonlyArray<number>>

/** A statistic of one run, or why it cannot be computed on it. */
export interface Statistic {
  readonly name: string
  readonly compute: (run: RunRecord) => RunStat | string
  /**
   * Its per-problem contributions on a run (see PerProblem); undefined when
   * the run does not log each problem's score (then the evaluation noise is
   * taken unpaired). Absent on statistics that are not means over problems.
   */
  readonly perProblem?: (run: RunRecord) => PerProblem | undefined
}

export interface Term {
  readonly role: string
  readonly coef: number
  readonly stat: Statistic
}

export interface ReplicationSpec {
  /** Claim id and a short label for this part of it. */
  readonly claim: string
  readonly label: string
  readonly terms: ReadonlyArray<Term>
  /** Subtracted from the combination (a level claim: "train accuracy ≥ 0.95"). */
  readonly threshold?: number
  readonly direction: Direction
  readonly unit: string
  /** The estimator in words, as declared. */
  readonly estimator: string
  /** Where the direction and the smallest effect of interest come from. */
  readonly paper: string
  /** A reason the runs cannot test the claim (regime unlike the paper's), checked first. */
  readonly notApplicable?: (runs: Runs) => string | undefined
}

export interface ReplicationResult {
  readonly claim: string
  readonly label: string
  readonly verdict: ReplicationOutcome
  readonly estimate: number | null
  readonly ci95: readonly [number, number] | null
  readonly detectable: number | null
  readonly unit: string
  /** The fewest seeds of any role in the estimate (0 when a role has no run). */
  readonly seeds: number
  readonly runs: number
  readonly expected: string
  readonly measured: string
  /** Roles whose runs would settle an insufficient-data verdict. */
  readonly needs: ReadonlyArray<string>
}

const fmt = (x: number, unit: string): string => `${x >= 0 ? "+" : ""}${x.toFixed(unit === "tokens" ? 1 : 2)}`

const expectedOf = (s: ReplicationSpec): string =>
  `${s.estimator}; paper: ${s.paper}; claim: ${describeDirection(s.direction, s.unit)}`

const result = (s: ReplicationSpec, verdict: ReplicationOutcome, measured: string, extra: Partial<ReplicationResult> = {}): ReplicationResult => ({
  claim: s.claim,
  label: s.label,
  verdict,
  estimate: null,
  ci95: null,
  detectable: null,
  unit: s.unit,
  seeds: 0,
  runs: 0,
  expected: expectedOf(s),
  measured: `${s.label}: ${measured}`,
  needs: [],
  ...extra
})

/** Per-seed value of a role's terms on one run (the role's part of the combination). */
const roleValue = (run: RunRecord, terms: ReadonlyArray<Term>): RunStat | string => {
  let value = 0
  let shared = 0
  let own = 0
  const missing: Array<string> = []
  for (const t of terms) {
    const s = t.stat.compute(run)
    if (typeof s === "string") {
      missing.push(s)
      continue
    }
    value += t.coef * s.value
    shared += t.coef * t.coef * s.shared
    own += t.coef * t.coef * s.own
  }
  return missing.length > 0 ? `\`${run.role}\` (${shortName(run)}): ${missing.join("; ")}` : { value, shared, own }
}

const shortName = (run: RunRecord): string => run.path.split(/[\\/]/).at(-1) ?? run.runId

/** Same benchmarks, same number of problems in each. */
const sameProblems = (a: PerProblem, b: PerProblem): boolean =>
  a.size === b.size && [...a].every(([bench, v]) => b.get(bench)?.length === v.length)

/**
 * A role's terms on one run problem by problem: Σ coef × each term's
 * contribution. Undefined when a term has no per-problem contributions or the
 * terms were evaluated on different problems (then nothing can be paired).
 */
export const rolePerProblem = (run: RunRecord, terms: ReadonlyArray<Term>): PerProblem | undefined => {
  let sum: Map<string, Array<number>> | undefined
  for (const t of terms) {
    const p = t.stat.perProblem?.(run)
    if (p === undefined || (sum !== undefined && !sameProblems(sum, p))) return undefined
    if (sum === undefined) sum = new Map([...p].map(([bench, v]) => [bench, v.map(() => 0)]))
    for (const [bench, v] of p) {
      const acc = sum.get(bench)!
      for (let i = 0; i < v.length; i++) acc[i]! += t.coef * v[i]!
    }
  }
  return sum
}

/** The paired evaluation-sampling component of an estimate (see `pairedEvaluation`). */
export interface PairedEvaluation {
  /** Σ_b mean_i x_{b,i} / B: the combination's value (before any threshold), which the per-run values also give. */
  readonly estimate: number
  /** Its evaluation-sampling variance over problems. */
  readonly variance: number
  /** Problems over every benchmark. */
  readonly problems: number
}

/**
 * Mean square of the seed × problem interaction of one role on one
 * benchmark (k runs × n problems, two-way ANOVA residual): the per-problem
 * noise of a single run that its seed-to-seed variance already carries.
 */
const interactionMeanSquare = (rows: ReadonlyArray<ReadonlyArray<number>>): number => {
  const k = rows.length
  const n = rows[0]!.length
  const rowMeans = rows.map(meanOf)
  const colMeans = rows[0]!.map((_, i) => meanOf(rows.map((r) => r[i]!)))
  const grand = meanOf(rowMeans)
  let ss = 0
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) ss += (rows[j]![i]! - rowMeans[j]! - colMeans[i]! + grand) ** 2
  return ss / ((k - 1) * (n - 1))
}

/**
 * Evaluation-sampling variance paired over problems. `roles`: each role's
 * runs, each as Σ coef × contribution per problem. For benchmark b and
 * problem i, x_{b,i} = Σ_roles mean over the role's runs; the estimate is
 * the mean over benchmarks of the mean over problems of x, so its variance
 * over problems is (1/B²) Σ_b s²_i(x_{b,i}) / n_b (df ∞: hundreds of
 * problems). A role with k ≥ 2 runs also has its seed variance in the
 * interval, which already carries each run's own per-problem noise (seed ×
 * problem interaction, variance σ²/(k·n)); that share is taken out of s² here
 * so it is not counted twice (a role with one run keeps it: conservative).
 * Undefined when the runs were not evaluated on the same problems (then the
 * caller falls back to the unpaired binomial variances).
 */
export const pairedEvaluation = (roles: ReadonlyArray<ReadonlyArray<PerProblem>>): PairedEvaluation | undefined => {
  const first = roles[0]?.[0]
  if (first === undefined || roles.some((r) => r.length === 0 || r.some((p) => !sameProblems(first, p)))) return undefined
  if (first.size === 0 || [...first.values()].some((v) => v.length < 2)) return undefined
  const B = first.size
  let estimate = 0
  let variance = 0
  for (const bench of first.keys()) {
    const perRole = roles.map((runs) => runs.map((p) => p.get(bench)!))
    const n = perRole[0]![0]!.length
    const x = Array.from({ length: n }, (_, i) => perRole.reduce((a, rows) => a + meanOf(rows.map((r) => r[i]!)), 0))
    const interaction = perRole.reduce((a, rows) => a + (rows.length >= 2 ? interactionMeanSquare(rows) / rows.length : 0), 0)
    estimate += meanOf(x) / B
    variance += Math.max(0, sampleVariance(x) - interaction) / n / (B * B)
  }
  return { estimate, variance, problems: [...first.values()].reduce((a, v) => a + v.length, 0) }
}

/**
 * The paired component for these roles' runs, when every term of every run
 * has per-problem contributions on the same problems and they reproduce the
 * runs' values (`expected`, the estimate before the threshold); else
 * undefined and the unpaired variances stand.
 */
const pairedFor = (used: ReadonlyArray<{ readonly runs: ReadonlyArray<RunRecord>; readonly terms: ReadonlyArray<Term> }>, expected: number): PairedEvaluation | undefined => {
  const roles: Array<Array<PerProblem>> = []
  for (const g of used) {
    const runs: Array<PerProblem> = []
    for (const r of g.runs) {
      const p = rolePerProblem(r, g.terms)
      if (p === undefined) return undefined
      runs.push(p)
    }
    roles.push(runs)
  }
  const paired = pairedEvaluation(roles)
  // A statistic whose per-problem contributions do not average to its value is not paired on (a guard, never expected).
  return paired !== undefined && Math.abs(paired.estimate - expected) <= 1e-6 * Math.max(1, Math.abs(expected)) ? paired : undefined
}

/**
 * Seed variance of a role's statistic pooled over every role with ≥ 2 runs
 * (the same terms applied to each): what one seed of any role is expected to
 * vary by. Undefined when no role is replicated.
 */
export const pooledSeedVariance = (runs: Runs, terms: ReadonlyArray<Term>): VarianceComponent | undefined => {
  const byRole = new Map<string, Array<RunRecord>>()
  for (const r of runs) byRole.set(r.role, [...(byRole.get(r.role) ?? []), r])
  let ss = 0
  let df = 0
  for (const group of byRole.values()) {
    if (group.length < 2) continue
    const values = group.map((r) => roleValue(r, terms)).flatMap((v) => (typeof v === "string" ? [] : [v.value]))
    if (values.length < 2) continue
    ss += sampleVariance(values) * (values.length - 1)
    df += values.length - 1
  }
  return df === 0 ? undefined : { variance: ss / df, df }
}

/** Runs the declared check on every run of its roles. */
export const replicate = (spec: ReplicationSpec, all: Runs): ReplicationResult => {
  const na = spec.notApplicable?.(all)
  if (na !== undefined) return result(spec, "not-applicable", na)
  const roles = [...new Set(spec.terms.map((t) => t.role))]
  const groups = roles.map((role) => ({ spec: role, ...runsOfRole(all, role), terms: spec.terms.filter((t) => t.role === role) }))
  const missing = groups.filter((g) => g.runs.length === 0)
  if (missing.length > 0) {
    return result(spec, "insufficient-data", `no run with role ${missing.map((g) => roleLabel(g.spec)).join(" / ")}`, {
      needs: missing.map((g) => g.role)
    })
  }
  /** Per role: its unpaired evaluation-sampling part and its seed part. */
  const roleParts: Array<{ readonly shared: VarianceComponent; readonly seed: VarianceComponent }> = []
  const used: Array<{ readonly runs: ReadonlyArray<RunRecord>; readonly terms: ReadonlyArray<Term> }> = []
  const perRole: Array<string> = []
  const problems: Array<string> = []
  let estimate = -(spec.threshold ?? 0)
  let seedsMin = Number.POSITIVE_INFINITY
  let runsUsed = 0
  let seedVarianceUnknown = false
  for (const g of groups) {
    const values = g.runs.map((r) => roleValue(r, g.terms))
    const ok = values.filter((v): v is RunStat => typeof v !== "string")
    problems.push(...values.filter((v): v is string => typeof v === "string"))
    if (ok.length === 0) continue
    const k = ok.length
    const m = meanOf(ok.map((v) => v.value))
    estimate += m
    runsUsed += k
    const okRuns = g.runs.filter((_, i) => typeof values[i] !== "string")
    seedsMin = Math.min(seedsMin, seedCount(okRuns))
    used.push({ runs: okRuns, terms: g.terms })
    const shared = { variance: meanOf(ok.map((v) => v.shared)), df: Number.POSITIVE_INFINITY }
    if (k >= 2) {
      roleParts.push({ shared, seed: { variance: sampleVariance(ok.map((v) => v.value)) / k, df: k - 1 } })
    } else {
      const pooled = pooledSeedVariance(all, g.terms)
      if (pooled !== undefined) roleParts.push({ shared, seed: pooled })
      else {
        seedVarianceUnknown = true
        roleParts.push({ shared, seed: { variance: ok[0]!.own, df: Number.POSITIVE_INFINITY } })
      }
    }
    perRole.push(`${g.role} ${fmt(m, spec.unit)} over ${k} run${k === 1 ? "" : "s"}`)
  }
  const noValue = groups.filter((g) => g.runs.every((r) => typeof roleValue(r, g.terms) === "string"))
  if (noValue.length > 0) {
    return result(spec, "insufficient-data", problems.join("; "), { needs: noValue.map((g) => g.role), runs: runsUsed })
  }
  // Paired over problems when every run used allows it (one component for all roles); else each role's unpaired binomial part.
  const paired = pairedFor(used, estimate + (spec.threshold ?? 0))
  const parts: ReadonlyArray<VarianceComponent> = paired === undefined
    ? roleParts.flatMap((p) => [p.shared, p.seed])
    : [{ variance: paired.variance, df: Number.POSITIVE_INFINITY }, ...roleParts.map((p) => p.seed)]
  const ci: Interval = interval(estimate, parts)
  const base = {
    estimate: round(ci.estimate),
    seeds: seedsMin,
    runs: runsUsed
  }
  const measuredText = `estimate ${fmt(ci.estimate, spec.unit)} ${spec.unit}, 95% CI [${fmt(ci.ci95[0], spec.unit)}, ${fmt(ci.ci95[1], spec.unit)}]` +
    ` (each role's part: ${perRole.join("; ")}${problems.length > 0 ? `; skipped: ${problems.join("; ")}` : ""})` +
    (paired === undefined ? "" : `; evaluation noise paired over problems (${paired.problems})`)
  if (seedVarianceUnknown) {
    return result(spec, "insufficient-data", `${measuredText}; one seed and no replicated role to estimate seed-to-seed variance, so no interval (the one shown covers evaluation noise only)`, {
      ...base,
      needs: groups.filter((g) => g.runs.length < 2).map((g) => `${g.role} (another seed)`)
    })
  }
  const verdict = statVerdict(ci.ci95, spec.direction)
  const detect = verdict === "inconclusive" ? `; detectable effect (80% power) ≈ ${Math.abs(ci.detectable).toFixed(spec.unit === "tokens" ? 1 : 2)} ${spec.unit}` : ""
  return result(spec, verdict, measuredText + detect, {
    ...base,
    ci95: [round(ci.ci95[0]), round(ci.ci95[1])],
    detectable: round(ci.detectable)
  })
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4

/**
 * Several parts of one claim: contradicts if any part does; else insufficient
 * / inconclusive if any; else replicates. A part that does not apply to these
 * runs (its regime is not the paper's) is left out when another part applies,
 * and says so in the measured text; all parts not applicable: not-applicable.
 */
export const combine = (all: ReadonlyArray<ReplicationResult>): ReplicationResult => {
  const applicable = all.filter((p) => p.verdict !== "not-applicable")
  const parts = applicable.length > 0 ? applicable : all
  const order: ReadonlyArray<ReplicationOutcome> = ["contradicts", "insufficient-data", "not-applicable", "inconclusive", "replicates"]
  const verdict = order.find((v) => parts.some((p) => p.verdict === v))!
  const deciding = parts.find((p) => p.verdict === verdict)!
  return {
    ...deciding,
    verdict,
    measured: all.map((p) => (parts.includes(p) ? p.measured : `not applicable, left out: ${p.measured}`)).join(" | "),
    expected: parts.map((p) => `${p.label}: ${p.expected}`).join(" | "),
    needs: [...new Set(parts.flatMap((p) => p.needs))],
    runs: Math.max(...parts.map((p) => p.runs)),
    seeds: Math.min(...parts.map((p) => p.seeds))
  }
}


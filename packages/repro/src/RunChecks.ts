/**
 * The run-checks: claims about training dynamics, written against RunRecord
 * so they apply to this project's runs and to imported verl runs alike.
 *
 * Steps are compared as fractions of the run's length, because the paper's
 * runs are 2000 steps and a user's (or the synthetic world's) may be shorter:
 * "saturates before step 100" becomes "within the first 5% of the run",
 * "overfits after ~1400 steps" becomes "after 70%". Accuracies are in [0, 1].
 */
import {
  ENTROPY,
  evalFieldSeries,
  metricSeries,
  PG_LOSS,
  RESPONSE_LENGTH,
  type RunRecord,
  runLength,
  testAccuracy,
  trainAccuracy
} from "./RunRecord.ts"
import {
  argmax,
  between,
  kendallTau,
  movingAverage,
  postSaturationGain,
  saturationStep,
  type Series,
  successiveVariance,
  windowMean
} from "./Series.ts"
import { CheckResult, insufficient, judge, roleLabel } from "./Verdict.ts"

export type Runs = ReadonlyArray<RunRecord>

/**
 * The run of a role; with several, the longest (and the first by file name
 * among equals). A role may list aliases separated by `|` (the trainer's
 * preset name first): the first alias that has a run is used.
 */
export const pickRun = (runs: Runs, role: string): RunRecord | undefined => {
  for (const alias of role.split("|")) {
    const found = runs
      .filter((r) => r.role === alias)
      .reduce<RunRecord | undefined>((best, r) => (best === undefined || runLength(r) > runLength(best) ? r : best), undefined)
    if (found !== undefined) return found
  }
  return undefined
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`
const pts = (x: number): string => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)} pts`
const fmt = (x: number | undefined, digits = 3): string => (x === undefined ? "n/a" : x.toFixed(digits))

/** Best test accuracy of a run (avg over its benchmarks) and the step of that checkpoint. */
export const bestTest = (run: RunRecord): { readonly step: number; readonly value: number } | undefined => argmax(testAccuracy(run))

const needTest = (role: string, expected: string): CheckResult =>
  insufficient([role], expected, `run \`${role}\` has no test evaluations (eval lines or val/test_score metrics)`)

/**
 * Checks that read windows as fractions of the run need enough steps for a
 * fraction to mean something; a shorter run is `insufficient-data`, not a verdict.
 */
export const MIN_STEPS = 20

const tooShort = (run: RunRecord, expected: string): CheckResult | undefined =>
  runLength(run) >= MIN_STEPS
    ? undefined
    : insufficient([run.role], expected, `run \`${run.role}\` is too short (${runLength(run)} steps; the check needs ≥ ${MIN_STEPS})`)

/**
 * The run a windowed check reads, or the `insufficient-data` result to return
 * instead: no run of the role, or one shorter than `MIN_STEPS`.
 */
const runFor = (runs: Runs, role: string, expected: string): RunRecord | CheckResult => {
  const run = pickRun(runs, role)
  if (run === undefined) return insufficient([role], expected)
  return tooShort(run, expected) ?? run
}

const needTrain = (role: string, expected: string): CheckResult =>
  insufficient([role], expected, `run \`${role}\` has no training accuracy (critic/score/mean)`)

/**
 * The moving-average window for a run of `length` steps: 10 steps of the
 * paper's 2000 (0.5%), scaled to the run, between 1 and 10 steps.
 */
export const windowFor = (length: number): number => Math.max(1, Math.min(10, Math.round(length / 200)))

/** The saturation step of a run's training accuracy (threshold 0.95, window scaled to the run). */
export const runSaturation = (run: RunRecord, threshold = 0.95): number | undefined =>
  saturationStep(trainAccuracy(run), { threshold, window: windowFor(runLength(run)) })

export interface SaturationCheckOptions {
  readonly threshold?: number
  /** Moving-average window in steps (default: scaled to the run, see `windowFor`). */
  readonly window?: number
  /** Saturation must come within this fraction of the run (paper: step 100 of 2000 = 0.05). */
  readonly maxFraction?: number
}

/** C10: the 1-shot training accuracy saturates early and stays saturated. */
export const checkSaturation = (runs: Runs, role: string, o: SaturationCheckOptions = {}): CheckResult => {
  const threshold = o.threshold ?? 0.95
  const maxFraction = o.maxFraction ?? 0.05
  const expected = `moving avg (0.5% of the run, 1–10 steps) of critic/score/mean ≥ ${threshold} within the first ${pct(maxFraction)} of the run (paper: before step 100 of 2000), then staying ≥ ${(threshold - 0.05).toFixed(2)} on ≥ 90% of steps up to 70% of the run`
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const train = trainAccuracy(run)
  if (train.length === 0) return needTrain(role, expected)
  const T = runLength(run)
  const window = o.window ?? windowFor(T)
  const tSat = saturationStep(train, { threshold, window })
  if (tSat === undefined) {
    return judge(false, { measured: `${role}: never saturates (final ${fmt(train.at(-1)?.value)}), ${T} steps`, expected })
  }
  const ma = movingAverage(train.map((p) => p.value), window)
  const held = train.map((p, i) => ({ step: p.step, ok: ma[i]! >= threshold - 0.05 })).filter((p) => p.step >= tSat && p.step <= 0.7 * T)
  const heldFraction = held.length === 0 ? 1 : held.filter((p) => p.ok).length / held.length
  return judge(tSat <= maxFraction * T && heldFraction >= 0.9, {
    measured: `${role}: t_sat = step ${tSat} of ${T} (${pct(tSat / T)}); held on ${pct(heldFraction)} of later steps`,
    expected,
    numbers: { tSat, runLength: T, heldFraction, window }
  })
}

/** C11: test accuracy keeps improving after the training accuracy saturated. */
export const checkPostSaturationGain = (runs: Runs, role: string, minGain = 0.01): CheckResult => {
  const expected = `test accuracy (avg over benchmarks) in the last half of the post-saturation phase ≥ at saturation ${pts(minGain)} (paper: π1 +3.4 avg6 from step 100 to 1540)`
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const train = trainAccuracy(run)
  if (train.length === 0) return needTrain(role, expected)
  const test = testAccuracy(run)
  if (test.length === 0) return needTest(role, expected)
  const tSat = runSaturation(run)
  if (tSat === undefined) return judge(false, { measured: `${role}: training accuracy never saturates (≥ 0.95)`, expected })
  const g = postSaturationGain(test, tSat)
  if (g === undefined) {
    return insufficient([role], expected, `${role}: fewer than 3 evaluations after saturation (step ${tSat})`)
  }
  return judge(g.gain >= minGain, {
    measured: `${role}: t_sat ${tSat}; test ${pct(g.atSaturation)} at saturation → ${pct(g.late)} late (${pts(g.gain)})`,
    expected,
    numbers: { tSat, atSaturation: g.atSaturation, late: g.late, gain: g.gain }
  })
}

/** C12: full-set training accuracy has not saturated at the end (and is still rising), and test accuracy peaks in the first half. */
export const checkFullSetNoSaturation = (runs: Runs, role = "full-set"): CheckResult => {
  const expected = "final moving avg of critic/score/mean < 0.95 and still rising (mean over the last 25% ≥ mean over 25–50%), and best test accuracy in the first half ≥ overall best − 1 pt"
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const train = trainAccuracy(run)
  if (train.length === 0) return needTrain(role, expected)
  const test = testAccuracy(run)
  if (test.length === 0) return needTest(role, expected)
  const T = runLength(run)
  const finalMa = movingAverage(train.map((p) => p.value), windowFor(T)).at(-1)!
  const mid = windowMean(train, 0.25 * T, 0.5 * T) ?? 0
  const last = windowMean(train, 0.75 * T, T) ?? 0
  const firstHalf = argmax(between(test, 0, T / 2))?.value ?? 0
  const overall = argmax(test)!.value
  return judge(finalMa < 0.95 && last >= mid && firstHalf >= overall - 0.01, {
    measured: `${role}: final train acc (MA) ${fmt(finalMa)}, mean ${fmt(mid)} at 25–50% → ${fmt(last)} over the last 25%; best test first half ${pct(firstHalf)} vs overall ${pct(overall)}`,
    expected,
    numbers: { finalTrainAccuracy: finalMa, midTrain: mid, lastTrain: last, bestFirstHalf: firstHalf, bestOverall: overall }
  })
}

/** Fraction of characters outside printable ASCII and common math: a cheap "multilingual gibberish" signal. */
export const garbleRate = (text: string): number => {
  if (text.length === 0) return 0
  let odd = 0
  for (const ch of text) if (!/[\x20-\x7E\n\t]/.test(ch)) odd++
  return odd / [...text].length
}

/**
 * C13: overfitting on the training example comes late. Onset = the first step
 * where the moving average of the training response length exceeds 1.5× its
 * median over the saturated phase (10%–50% of the run).
 */
export const checkLateOverfitting = (runs: Runs, role: string, minFraction = 0.6): CheckResult => {
  const expected = `no training-response-length blow-up (> 1.5× the mid-run median) before ${pct(minFraction)} of the run (paper: π1 ~1400/2000); test accuracy after it ≥ best before − 2 pts`
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const len = metricSeries(run, RESPONSE_LENGTH)
  if (len.length === 0) return insufficient([role], expected, `run \`${role}\` logs no response_length/mean`)
  const T = runLength(run)
  const ref = between(len, 0.1 * T, 0.5 * T).map((p) => p.value).sort((a, b) => a - b)
  const median = ref[Math.floor(ref.length / 2)]
  if (median === undefined) return insufficient([role], expected, `${role}: no steps between 10% and 50% of the run`)
  const ma = movingAverage(len.map((p) => p.value), windowFor(T))
  const onsetIndex = len.findIndex((p, i) => p.step > 0.1 * T && ma[i]! > 1.5 * median)
  const onset = onsetIndex < 0 ? undefined : len[onsetIndex]!.step
  const late = run.generations.filter((g) => g.step >= 0.9 * T).flatMap((g) => g.samples.map((s) => garbleRate(s.response)))
  const garble = late.length === 0 ? undefined : late.reduce((a, b) => a + b, 0) / late.length
  const test = testAccuracy(run)
  const before = onset === undefined ? undefined : argmax(between(test, 0, onset))?.value
  const after = onset === undefined ? undefined : argmax(between(test, onset + 1, T))?.value
  const testHolds = before === undefined || after === undefined || after >= before - 0.02
  return judge((onset === undefined || onset >= minFraction * T) && testHolds, {
    measured: `${role}: ${onset === undefined ? `no length blow-up in ${T} steps` : `length blow-up at step ${onset} (${pct(onset / T)})`}` +
      (before !== undefined && after !== undefined ? `; best test before ${pct(before)}, after ${pct(after)}` : "") +
      (garble === undefined ? "" : `; late training samples ${pct(garble)} non-ASCII`),
    expected,
    numbers: { onset: onset ?? -1, runLength: T, ...(garble === undefined ? {} : { garbleRate: garble }) }
  })
}

/** C14: the `\boxed{}` ratio on the eval rises early (paper: 59.6% → 97.4% by step 60 of 2000). */
export const checkBoxedRise = (runs: Runs, role: string): CheckResult => {
  const expected = "eval \\boxed{} ratio rises by ≥ 10 pts from step 0 and reaches ≥ 90% within the first 10% of the run"
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const boxed = evalFieldSeries(run, "boxedRatio")
  if (boxed.length < 2) return insufficient([role], expected, `run \`${role}\` has < 2 evaluations with a boxedRatio`)
  const T = runLength(run)
  const first = boxed[0]!.value
  const early = argmax(between(boxed, 0, 0.1 * T))!.value
  return judge(early - first >= 0.1 && early >= 0.9, {
    measured: `${role}: boxed ${pct(first)} at step ${boxed[0]!.step} → ${pct(early)} by ${Math.round(0.1 * T)}`,
    expected,
    numbers: { first, early }
  })
}

/** C41: test accuracy keeps rising after the boxed ratio has plateaued. */
export const checkBoxedPlateau = (runs: Runs, role: string, minGain = 0.01): CheckResult => {
  const expected = `after the eval \\boxed{} ratio first reaches 95% of its max, test accuracy still rises by ≥ ${pts(minGain)} (paper: 69.8 → 74.0 from step 60 to 1860 at ~97% boxed)`
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const boxed = evalFieldSeries(run, "boxedRatio")
  const test = testAccuracy(run)
  if (boxed.length < 2 || test.length < 2) return insufficient([role], expected, `run \`${role}\` lacks boxedRatio or test evaluations`)
  const maxBoxed = argmax(boxed)!.value
  const tBox = boxed.find((p) => p.value >= 0.95 * maxBoxed)!.step
  const at = test.find((p) => p.step >= tBox)
  const later = argmax(test.filter((p) => p.step > tBox))
  if (at === undefined || later === undefined) return insufficient([role], expected, `${role}: no evaluations after the plateau (step ${tBox})`)
  return judge(later.value - at.value >= minGain, {
    measured: `${role}: boxed plateau at step ${tBox}; test ${pct(at.value)} there → best later ${pct(later.value)} (step ${later.step})`,
    expected,
    numbers: { plateauStep: tBox, atPlateau: at.value, bestLater: later.value }
  })
}

/** C15: after saturation the policy-gradient loss is still non-zero on some steps (occasional wrong rollouts). */
export const checkPgLossAfterSaturation = (runs: Runs, role: string): CheckResult => {
  const expected = "after saturation, some steps with |actor/pg_loss| > 0 and critic/score/mean < 1"
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const train = trainAccuracy(run)
  const pg = metricSeries(run, PG_LOSS)
  if (train.length === 0 || pg.length === 0) return insufficient([role], expected, `run \`${role}\` lacks critic/score/mean or actor/pg_loss`)
  const tSat = runSaturation(run)
  if (tSat === undefined) return insufficient([role], expected, `${role}: training accuracy never saturates`)
  const score = new Map(train.map((p) => [p.step, p.value]))
  const after = pg.filter((p) => p.step > tSat)
  const active = after.filter((p) => Math.abs(p.value) > 1e-9 && (score.get(p.step) ?? 1) < 1)
  return judge(active.length > 0, {
    measured: `${role}: ${active.length} of ${after.length} post-saturation steps have a non-zero pg loss with accuracy < 1`,
    expected,
    numbers: { activeSteps: active.length, postSaturationSteps: after.length }
  })
}

/** Per-subject accuracy of a benchmark at a step. */
const subjectsAt = (run: RunRecord, benchmark: string, step: number): Record<string, number> => {
  const e = run.evals.find((x) => x.step === step && x.summary.benchmark === benchmark)
  return Object.fromEntries(Object.entries(e?.summary.bySubject ?? {}).map(([k, v]) => [k, v.accuracy]))
}

/** C16: at its best checkpoint, the 1-shot run beats the base model in every subject (category). */
export const checkCrossCategory = (runs: Runs, role: string, baseRole = "base"): CheckResult => {
  const expected = "per-subject accuracy at the best checkpoint > base (step-0 eval, or the `base` run) in every subject"
  const run = pickRun(runs, role)
  if (run === undefined) return insufficient([role], expected)
  role = run.role
  const withSubjects = run.evals.find((e) => Object.keys(e.summary.bySubject).length > 0)
  if (withSubjects === undefined) return insufficient([role], expected, `run \`${role}\` has no per-subject evaluations`)
  const bench = withSubjects.summary.benchmark
  const best = argmax(testAccuracy(run, bench))!
  const baseRun = pickRun(runs, baseRole)
  const firstStep = Math.min(...run.evals.filter((e) => e.summary.benchmark === bench).map((e) => e.step))
  const base = firstStep === 0 ? subjectsAt(run, bench, 0) : baseRun === undefined ? {} : subjectsAt(baseRun, bench, Math.min(...baseRun.evals.map((e) => e.step)))
  if (Object.keys(base).length === 0) {
    return insufficient([baseRole], expected, `${role}: no step-0 evaluation and no \`${baseRole}\` run to compare with`)
  }
  const at = subjectsAt(run, bench, best.step)
  const rows = Object.keys(base).map((s) => ({ s, base: base[s]!, run: at[s] }))
  const worse = rows.filter((r) => r.run === undefined || r.run <= r.base)
  return judge(worse.length === 0, {
    measured: `${role} ${bench} step ${best.step}: ` + rows.map((r) => `${r.s} ${pct(r.base)}→${r.run === undefined ? "n/a" : pct(r.run)}`).join(", "),
    expected,
    numbers: Object.fromEntries(rows.map((r) => [r.s, (r.run ?? 0) - r.base]))
  })
}

/** Best test accuracies of several roles, or the roles that are missing. */
const bests = (runs: Runs, roles: ReadonlyArray<string>) => {
  const missing: Array<string> = []
  const values: Array<number> = []
  const names: Array<string> = []
  for (const role of roles) {
    const run = pickRun(runs, role)
    const b = run === undefined ? undefined : bestTest(run)
    if (b === undefined) missing.push(role)
    else {
      values.push(b.value)
      names.push(run!.role)
    }
  }
  return { missing, values, names }
}

/** Best test accuracy strictly increases along `roles` (each by ≥ `minGap`). */
export const checkOrdering = (runs: Runs, roles: ReadonlyArray<string>, minGap = 0, note = ""): CheckResult => {
  const expected = `best test accuracy ${roles.map(roleLabel).join(" < ")}${minGap > 0 ? ` (gaps ≥ ${pts(minGap)})` : ""}${note}`
  const { missing, values, names } = bests(runs, roles)
  if (missing.length > 0) return insufficient(missing, expected)
  const ok = values.every((v, i) => i === 0 || (minGap > 0 ? v - values[i - 1]! >= minGap - 1e-12 : v > values[i - 1]!))
  return judge(ok, {
    measured: names.map((r, i) => `${r} ${pct(values[i]!)}`).join(", "),
    expected,
    numbers: Object.fromEntries(names.map((r, i) => [r, values[i]!]))
  })
}

/** Best test accuracy of `role` ≥ that of `reference` − `tolerance` (and ≤ + tolerance when `twoSided`). */
export const checkClose = (runs: Runs, role: string, reference: string, tolerance: number, twoSided = false, note = ""): CheckResult => {
  const expected = `best test accuracy of ${roleLabel(role)} ${twoSided ? "within" : "≥ that of"} ${twoSided ? `±${(100 * tolerance).toFixed(1)} pts of ${roleLabel(reference)}` : `${roleLabel(reference)} ${tolerance < 0 ? "+" : "−"} ${(100 * Math.abs(tolerance)).toFixed(1)} pts`}${note}`
  const { missing, values, names } = bests(runs, [role, reference])
  if (missing.length > 0) return insufficient(missing, expected)
  ;[role, reference] = [names[0]!, names[1]!]
  const d = values[0]! - values[1]!
  return judge(twoSided ? Math.abs(d) <= tolerance + 1e-12 : d >= -tolerance - 1e-12, {
    measured: `${role} ${pct(values[0]!)} vs ${reference} ${pct(values[1]!)} (${pts(d)})`,
    expected,
    numbers: { [role]: values[0]!, [reference]: values[1]!, difference: d }
  })
}

/** C7 / C19 / C40: outcome reward beats format reward by a clear margin. */
export const checkFormatGap = (runs: Runs, outcomeRole: string, formatRole = "format-baseline", minGap = 0.01): CheckResult =>
  checkClose(runs, outcomeRole, formatRole, -minGap, false, " (non-format gain; paper: π1 +7.4 MATH500 over π1 format, π13 +8.6 over DSR-sub format)")

export type Window = readonly [from: number, to: number]

/**
 * Compares a series' mean over two windows given as fractions of the run:
 * `rise` wants late ≥ factor × early, `fall` wants late < early, `stable`
 * wants |late / early − 1| ≤ factor.
 */
export const checkWindowTrend = (
  runs: Runs,
  role: string,
  what: { readonly name: string; readonly series: (run: RunRecord) => Series },
  early: Window,
  late: Window,
  direction: "rise" | "fall" | "stable",
  factor = 1
): CheckResult => {
  const expected = `${what.name}: mean over ${pct(late[0])}–${pct(late[1])} of the run ` +
    (direction === "rise" ? `> ${factor === 1 ? "" : `${factor}× `}mean over ${pct(early[0])}–${pct(early[1])}` : direction === "fall" ? `≤ mean over ${pct(early[0])}–${pct(early[1])}` : `within ±${pct(factor)} of mean over ${pct(early[0])}–${pct(early[1])}`)
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const s = what.series(run)
  if (s.length === 0) return insufficient([role], expected, `run \`${role}\` has no ${what.name}`)
  const T = runLength(run)
  const e = windowMean(s, early[0] * T, early[1] * T)
  const l = windowMean(s, late[0] * T, late[1] * T)
  if (e === undefined || l === undefined) return insufficient([role], expected, `${role}: no ${what.name} points in one of the windows (run length ${T})`)
  const ok = direction === "rise" ? l > factor * e : direction === "fall" ? l <= e : Math.abs(l / e - 1) <= factor
  return judge(ok, {
    measured: `${role}: ${what.name} ${fmt(e)} early → ${fmt(l)} late (τ ${fmt(kendallTau(s.map((p) => p.value)), 2)})`,
    expected,
    numbers: { early: e, late: l, kendallTau: kendallTau(s.map((p) => p.value)) }
  })
}

export const reflectionSeries = { name: "eval reflection-word rate", series: (r: RunRecord) => evalFieldSeries(r, "reflectionRate") }
export const evalLengthSeries = { name: "eval mean response length", series: (r: RunRecord) => evalFieldSeries(r, "meanResponseLength") }
export const trainLengthSeries = { name: "response_length/mean", series: (r: RunRecord) => metricSeries(r, RESPONSE_LENGTH) }
export const entropySeries = { name: "actor entropy", series: (r: RunRecord) => metricSeries(r, ENTROPY) }

/** C37: a too-large entropy coefficient makes the test curve less stable (more jitter between checkpoints). */
export const checkVarianceOrdering = (runs: Runs, stableRole: string, unstableRole: string): CheckResult => {
  const expected = `checkpoint-to-checkpoint jitter of test accuracy (mean squared successive difference): ${roleLabel(unstableRole)} > ${roleLabel(stableRole)}`
  const missing = [stableRole, unstableRole].filter((r) => {
    const run = pickRun(runs, r)
    return run === undefined || testAccuracy(run).length < 3
  })
  if (missing.length > 0) return insufficient(missing, expected)
  const stable = pickRun(runs, stableRole)!
  const unstable = pickRun(runs, unstableRole)!
  const v = (run: RunRecord) => successiveVariance(testAccuracy(run).map((p) => p.value))
  const a = v(stable)
  const b = v(unstable)
  ;[stableRole, unstableRole] = [stable.role, unstable.role]
  return judge(b > a, {
    measured: `jitter ${stableRole} ${a.toExponential(2)}, ${unstableRole} ${b.toExponential(2)}`,
    expected,
    numbers: { [stableRole]: a, [unstableRole]: b }
  })
}

/** C36: a loss without the policy gradient barely moves the model: best test accuracy stays within `tolerance` of step 0. */
export const checkBarelyMoves = (runs: Runs, role: string, tolerance = 0.05): CheckResult => {
  const expected = `best test accuracy ≤ step-0 accuracy + ${(100 * tolerance).toFixed(1)} pts (paper: 39.0 vs base 36.0)`
  const run = pickRun(runs, role)
  if (run === undefined) return insufficient([role], expected)
  role = run.role
  const test = testAccuracy(run)
  if (test.length < 2) return needTest(role, expected)
  const best = argmax(test)!.value
  return judge(best - test[0]!.value <= tolerance + 1e-12, {
    measured: `${role}: ${pct(test[0]!.value)} at step ${test[0]!.step} → best ${pct(best)} (${pts(best - test[0]!.value)})`,
    expected,
    numbers: { start: test[0]!.value, best }
  })
}

/** C39: entropy loss alone improves the model for a few steps, then the model degrades. */
export const checkEntropyOnly = (runs: Runs, role = "ablation-entropy-only"): CheckResult => {
  const expected = "best test accuracy in the first 10% of the run > step-0 accuracy + 1 pt, and final accuracy < that best − 5 pts (collapse)"
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const test = testAccuracy(run)
  if (test.length < 3) return needTest(role, expected)
  const T = runLength(run)
  const start = test[0]!.value
  const early = argmax(between(test, 0, 0.1 * T))!
  const final = test.at(-1)!.value
  return judge(early.value > start + 0.01 && final < early.value - 0.05, {
    measured: `${role}: ${pct(start)} at step ${test[0]!.step} → best ${pct(early.value)} at step ${early.step} → ${pct(final)} at the end`,
    expected,
    numbers: { start, earlyBest: early.value, final }
  })
}

/** C21: a wrong-label or too-hard example is almost never solved in training, yet the test accuracy rises over the base. */
export const checkUnsolvedStillHelps = (runs: Runs, role: string): CheckResult => {
  const expected = "mean critic/score/mean ≤ 0.05 over the run, and best test accuracy > step-0 accuracy"
  const run = runFor(runs, role, expected)
  if (run instanceof CheckResult) return run
  role = run.role
  const train = trainAccuracy(run)
  const test = testAccuracy(run)
  if (train.length === 0) return needTrain(role, expected)
  if (test.length < 2) return needTest(role, expected)
  const meanTrain = train.reduce((a, p) => a + p.value, 0) / train.length
  const best = argmax(test)!.value
  return judge(meanTrain <= 0.05 && best > test[0]!.value, {
    measured: `${role}: mean training accuracy ${fmt(meanTrain)}; test ${pct(test[0]!.value)} → best ${pct(best)}`,
    expected,
    numbers: { meanTrain, start: test[0]!.value, best }
  })
}

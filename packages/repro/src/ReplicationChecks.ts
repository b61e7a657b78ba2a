/**
 * The replication checks, declared before any run is read: for each claim,
 * the estimator (roles, statistics, windows as fractions of the run, minimum
 * evaluations per window), the direction the paper claims and the smallest
 * effect of interest (SESOI). Unless a claim says otherwise the SESOI is half
 * the effect the paper reports for it (in the claim's unit): a smaller effect
 * would not support the claim as the paper words it. Accuracies are in pp.
 *
 * Windows: LATE = the last half of the run (the trained model; the paper's
 * best-avg checkpoints are at 1540–2000 of 2000 steps). Step 0 is the base
 * model and never part of a window.
 */
import { worldSubjects } from "./ProblemSubjects.ts"
import type { ReplicationSpec, Runs, Term, Window } from "./Replication.ts"
import { runsOfRole } from "./Roles.ts"
import type { RunRecord } from "./RunRecord.ts"
import { baseStat, epochs, type Metric, overfittingOnset, pgActiveShare, samples, testJitter, windowStat } from "./RunStats.ts"

/** Run roles with their aliases (trainer preset name first). */
export const ROLES = {
  pi1: "1shot-pi1",
  pi13: "1shot-pi13",
  pi1207: "1shot-pi1207",
  twoShot: "2shot-pi1-pi13",
  full: "full-set",
  format: "format-baseline",
  formatPi1: "format-1shot-pi1|format-pi1",
  noEnt: "1shot-pi1-no-ent|ablation-pg-wd-kl|ablation-pg-kl",
  /** Row 4 is the full loss without its entropy term: `1shot-pi1-no-ent` has exactly that config (world Experiments.ts). */
  noEntRow4: "ablation-pg-wd-kl|ablation-pg-kl|1shot-pi1-no-ent",
  t1: "1shot-pi1-t1.0|1shot-pi1-t1",
  ppoPi1: "ppo-1shot-pi1|ppo-pi1",
  ppoFull: "ppo-full-set",
  noise60: "label-noise-60",
  noise90: "label-noise-90",
  pgOnly: "ablation-pg-only",
  fullLoss: "ablation-full|1shot-pi1",
  ent003: "ablation-ent-0.003|ablation-entropy-0.003",
  pgEnt: "ablation-pg-ent|ablation-pg-entropy",
  wdKl: "ablation-wd-kl",
  entOnly: "ablation-ent-only|ablation-entropy-only",
  labelCorrect: "label-12.7|label-correct-pi1",
  labelOverfit: "label-4|label-wrong-pi1",
  labelUnguess: "label-9292725|label-unguessable-pi1"
} as const

const TEST: Metric = { kind: "test" }
/** The last half of a run: the trained model (the report's per-run figures use it too). */
export const LATE: Window = { from: 0.5, to: 1 }
const MIN = 2

/** Subject statistics learn each problem's subject from the world's benchmark files (pairing their evaluation noise over problems). */
const win = (role: string, coef: number, metric: Metric, w: Window, min = MIN): Term => ({ role, coef, stat: windowStat(metric, w, min, worldSubjects) })
const base = (role: string, coef: number, metric: Metric): Term => ({ role, coef, stat: baseStat(metric, worldSubjects) })

const LATE_WORDS = "mean test accuracy over the last half of the run (≥ 2 evaluations)"

/** A − B on test accuracy over the last half of each run. */
const between = (claim: string, label: string, a: string, b: string, direction: ReplicationSpec["direction"], paper: string): ReplicationSpec => ({
  claim,
  label,
  terms: [win(a, 1, TEST, LATE), win(b, -1, TEST, LATE)],
  direction,
  unit: "pp",
  estimator: `${LATE_WORDS}: ${a.split("|")[0]} − ${b.split("|")[0]}, averaged over each role's seeds`,
  paper
})

/** Late-window test accuracy minus the base model's (step 0 of the same runs). */
const gainFromBase = (claim: string, label: string, role: string, sesoi: number, paper: string, metric: Metric = TEST, w: Window = LATE): ReplicationSpec => ({
  claim,
  label,
  terms: [win(role, 1, metric, w), base(role, -1, metric)],
  direction: { kind: "greater", sesoi },
  unit: "pp",
  estimator: `mean ${metric.kind === "test" && metric.subject === undefined ? "test accuracy" : metric.kind === "test" ? `${metric.subject} accuracy` : metric.kind} over ${Math.round(100 * w.from)}–${Math.round(100 * w.to)}% of the run (≥ ${MIN} evaluations) − step 0 (the base model), ${role.split("|")[0]}`,
  paper
})

/** Late window minus early window of one role's metric. */
const trend = (
  claim: string,
  label: string,
  role: string,
  metric: Metric,
  early: Window,
  late: Window,
  direction: ReplicationSpec["direction"],
  unit: string,
  paper: string
): ReplicationSpec => ({
  claim,
  label,
  terms: [win(role, 1, metric, late), win(role, -1, metric, early)],
  direction,
  unit,
  estimator: `${role.split("|")[0]}: mean ${metric.kind} over ${Math.round(100 * late.from)}–${Math.round(100 * late.to)}% − over ${Math.round(100 * early.from)}–${Math.round(100 * early.to)}% of the run (≥ ${MIN} points each)`,
  paper
})

/** A metric's window mean against a fixed level (e.g. train accuracy ≥ 95%). */
const level = (claim: string, label: string, role: string, metric: Metric, w: Window, threshold: number, direction: ReplicationSpec["direction"], paper: string, min = 5): ReplicationSpec => ({
  claim,
  label,
  terms: [win(role, 1, metric, w, min)],
  threshold,
  direction,
  unit: "pp",
  estimator: `${role.split("|")[0]}: mean ${metric.kind} over ${Math.round(100 * w.from)}–${Math.round(100 * w.to)}% of the run (≥ ${min} points) − ${threshold}`,
  paper
})

/** The paper's full-set claim is about a training set seen ~212 times (2000 steps × 128 / 1209). */
export const MIN_EPOCHS = 20
const fullSetRegime = (runs: Runs): string | undefined => {
  const full = runsOfRole(runs, ROLES.full).runs
  const e = full.map(epochs)
  if (full.length === 0 || e.some((x) => x === undefined)) return undefined
  const worst = Math.max(...(e as Array<number>))
  return worst >= MIN_EPOCHS
    ? undefined
    : `the \`full-set\` runs saw each training example ${worst.toFixed(1)} time(s) on average; the paper's full-set run saw each ≈ 212 times (2000 steps × 128 / 1209), and "has not saturated after 2000 steps" needs a run over many epochs (≥ ${MIN_EPOCHS} here)`
}

/**
 * C44a's "correct label" part compares π1 under its corrected label (12.7)
 * with its original, slightly wrong one (12.8). Where π1's label is already
 * exact (the world's), there is nothing to correct: a "corrected" run would
 * be π1 again, and comparing π1 with itself cannot fail. So, with no
 * corrected-label runs and every π1 run a world run, the part does not apply.
 */
const exactLabel = (runs: Runs): string | undefined => {
  if (runsOfRole(runs, ROLES.labelCorrect).runs.length > 0) return undefined
  const pi1 = runsOfRole(runs, ROLES.pi1).runs
  const isWorld = (r: RunRecord) => {
    const tags = (r.config as { readonly tags?: unknown } | null)?.tags
    return Array.isArray(tags) && tags.includes("world")
  }
  return pi1.length > 0 && pi1.every(isWorld)
    ? "the world's π1 label is exact, so a corrected-label run would be π1 again (runs/README.md): the part does not apply"
    : undefined
}

/** Per-subject gain specs for C16, one per subject the π1 runs report. */
export const subjectSpecs = (runs: Runs): ReadonlyArray<ReplicationSpec> => {
  const r = runsOfRole(runs, ROLES.pi1).runs
  const subjects = [...new Set(r.flatMap((run) => run.evals.flatMap((e) => Object.keys(e.summary.bySubject))))].sort()
  return subjects.map((s) =>
    gainFromBase("C16", `π1, subject ${s}`, ROLES.pi1, 8.6, "Table 3: π1's smallest category gain over base is +17.1 (Geo); SESOI 8.6 pp", { kind: "test", subject: s })
  )
}

/** Every claim's replication parts (C16's are built from the runs' subjects, see `subjectSpecs`). */
export const REPLICATION: Readonly<Record<string, ReadonlyArray<ReplicationSpec>>> = {
  C2: [between("C2", "π13 ≈ full set", ROLES.pi13, ROLES.full, { kind: "equivalent", margin: 1 }, "Table 8: π13 35.7 vs DSR-sub 35.9 avg6; \"matches\" = within about a point (claims.md C2)")],
  C3: [gainFromBase("C3", "π1 gain over base", ROLES.pi1, 8.7, "Table 8: 17.6 → 35.0 avg6 (+17.4)")],
  C4: [gainFromBase("C4", "full-set gain over base", ROLES.full, 9.15, "Table 8: 17.6 → 35.9 avg6 (+18.3)")],
  C6: [between("C6", "2-shot − full set", ROLES.twoShot, ROLES.full, { kind: "greater", sesoi: 0.35 }, "Table 8: 36.6 vs 35.9 avg6 (+0.7)")],
  C7: [between("C7", "π13 − format reward", ROLES.pi13, ROLES.format, { kind: "greater", sesoi: 3.5 }, "abstract / Table 8: +7.0 avg6 beyond format")],
  C10: [
    level("C10", "π1 train accuracy after 5%", ROLES.pi1, { kind: "train" }, { from: 0.05, to: 0.7 }, 95, { kind: "greater", sesoi: 0 }, "Sec. 3.2.2: saturates before step 100 of 2000 (5%) and stays at 99.x% (App. D.3); level 95% (claims.md t_sat)"),
    level("C10", "π13 train accuracy after 5%", ROLES.pi13, { kind: "train" }, { from: 0.05, to: 0.7 }, 95, { kind: "greater", sesoi: 0 }, "as for π1")
  ],
  C11: [trend("C11", "π1 post-saturation gain", ROLES.pi1, TEST, { from: 0.05, to: 0.25 }, { from: 0.5, to: 0.8 }, { kind: "greater", sesoi: 1.7 }, "pp", "Sec. 3.2.2: π1 +3.4 avg6 from step 100 (5%) to step 1540 (77%)")],
  C12: [
    { ...level("C12", "full-set train accuracy, last quarter", ROLES.full, { kind: "train" }, { from: 0.75, to: 1 }, 95, { kind: "less", sesoi: 0 }, "Fig. 2: not saturated after 2000 steps (level 95%, claims.md)"), notApplicable: fullSetRegime },
    {
      ...trend("C12", "full-set test gain in the second half", ROLES.full, TEST, { from: 0.25, to: 0.5 }, { from: 0.5, to: 1 }, { kind: "at-most", margin: 1.7 }, "pp", "Sec. 3.2.2: \"no significant improvement after step 1000\"; margin = C11's SESOI (half of π1's +3.4 post-saturation gain)"),
      notApplicable: fullSetRegime
    }
  ],
  C13: [{
    claim: "C13",
    label: "π1 overfitting onset",
    terms: [{ role: ROLES.pi1, coef: 1, stat: overfittingOnset }],
    threshold: 0.6,
    direction: { kind: "greater", sesoi: 0 },
    unit: "fraction of run",
    estimator: "first step where the training response length (moving average) exceeds 1.5× its 5–15% median, as a fraction of the run, − 0.6",
    paper: "Sec. 3.2.2: π1 overfits after ~1400 of 2000 steps (70%), π13 ~1800; \"very late\" read as ≥ 60%"
  }],
  C14: [{ ...gainFromBase("C14", "π1 boxed-ratio rise by 5%", ROLES.pi1, 18.9, "Table 15: \\boxed{} ratio 59.6% → 97.4% by step 60 (3% of 2000): +37.8 pp", { kind: "boxed" }, { from: 0, to: 0.05 }) }],
  C15: [{
    claim: "C15",
    label: "π1 policy-gradient signal after saturation",
    terms: [{ role: ROLES.pi1, coef: 1, stat: pgActiveShare }],
    direction: { kind: "greater", sesoi: 1 },
    unit: "pp",
    estimator: "share of steps after 5% of the run with |pg_loss| > 0 and training accuracy < 1",
    paper: "Fig. 16: the pg loss stays non-zero after step 100 (figure only: SESOI 1% of steps, not from the paper)"
  }],
  C18: [between("C18", "π1 − format reward", ROLES.pi1, ROLES.format, { kind: "greater", sesoi: 4.2 }, "Table 3: π1 74.0 vs format 65.6 MATH500 (+8.4)")],
  C21: [
    level("C21", "π1207-analogue train accuracy", ROLES.pi1207, { kind: "train" }, { from: 0, to: 1 }, 5, { kind: "less", sesoi: 0 }, "Sec. 3.2.3: \"almost never\" solved in training (level 5%)"),
    gainFromBase("C21", "π1207-analogue test gain over base", ROLES.pi1207, 9, "Table 3: π1207 54.0 vs base 36.0 MATH500 (+18.0)")
  ],
  C23: [
    trend("C23", "π1 reflection rise", ROLES.pi1, { kind: "reflection" }, { from: 0.05, to: 0.25 }, { from: 0.625, to: 1 }, { kind: "greater", sesoi: 0.01 }, "words/response", "Fig. 4: rises, esp. after ~1250 of 2000 steps (figure only: SESOI 0.01 words per response, not from the paper)"),
    trend("C23", "full-set reflection fall", ROLES.full, { kind: "reflection" }, { from: 0.05, to: 0.25 }, { from: 0.625, to: 1 }, { kind: "less", sesoi: 0.01 }, "words/response", "Fig. 4: slightly decreases for DSR-sub (figure only)")
  ],
  C24: [
    trend("C24", "π1 training length rise", ROLES.pi1, { kind: "trainLength" }, { from: 0.25, to: 0.6 }, { from: 0.7, to: 0.8 }, { kind: "greater", sesoi: 10 }, "tokens", "Fig. 3: rises sharply after ~1300 of 2000 steps (figure only: SESOI 10 tokens, not from the paper)"),
    trend("C24", "π1 entropy rise", ROLES.pi1, { kind: "entropy" }, { from: 0.25, to: 0.6 }, { from: 0.7, to: 0.8 }, { kind: "greater", sesoi: 0.01 }, "nats", "Fig. 3 (figure only: SESOI 0.01, not from the paper)")
  ],
  C25: [
    trend("C25", "π1 eval length stable", ROLES.pi1, { kind: "evalLength" }, { from: 0.025, to: 0.075 }, { from: 0.7, to: 0.8 }, { kind: "equivalent", margin: 81 }, "tokens", "Table 19: π1 978 → 1054 tokens (step 100 → 1500 of 2000); margin = half of DSR-sub's shortening (942 → 780)"),
    trend("C25", "full-set eval length shortens", ROLES.full, { kind: "evalLength" }, { from: 0.025, to: 0.075 }, { from: 0.7, to: 0.8 }, { kind: "less", sesoi: 81 }, "tokens", "Table 19: DSR-sub 942 → 780 tokens (−162)")
  ],
  C31: [gainFromBase("C31", "PPO π1 gain over base", ROLES.ppoPi1, 8.1, "Table 4: PPO π1 33.8 vs base 17.6 avg6 (+16.2)")],
  C35: [
    {
      claim: "C35",
      label: "PG alone gives most of the gain",
      terms: [win(ROLES.pgOnly, 1, TEST, LATE), win(ROLES.fullLoss, -0.5, TEST, LATE), base(ROLES.fullLoss, -0.5, TEST)],
      direction: { kind: "greater", sesoi: 8.2 },
      unit: "pp",
      estimator: "gain of ablation-pg-only over base − ½ × gain of the full loss (late-window means; > 0 means PG alone gives more than half)",
      paper: "Table 5: row 2 gains 35.8 of row 5's 38.8 MATH500 over base; 35.8 − 19.4 = +16.4"
    },
    between("C35", "entropy adds (row 5 − row 4)", ROLES.fullLoss, ROLES.noEntRow4, { kind: "greater", sesoi: 2 }, "Table 5: +4.0 MATH500 (row 5 vs row 4)")
  ],
  C36: [
    { ...gainFromBase("C36", "WD+KL without PG barely moves", ROLES.wdKl, 0, "Table 5 row 8: 39.0 vs base 36.0; \"barely\" = under a tenth of the full loss's +38.8 (3.9 pp)"), direction: { kind: "at-most", margin: 3.9 } },
    between("C36", "PG+entropy ≈ full loss", ROLES.pgEnt, ROLES.fullLoss, { kind: "equivalent", margin: 1 }, "Table 5: row 7 75.6 vs row 5 74.8 (\"≈\" = within about a point)")
  ],
  C37: [{
    claim: "C37",
    label: "entropy 0.003 less stable",
    terms: [{ role: ROLES.ent003, coef: 1, stat: testJitter }, { role: ROLES.fullLoss, coef: -1, stat: testJitter }],
    direction: { kind: "greater", sesoi: 1 },
    unit: "pp²",
    estimator: "checkpoint jitter (mean squared successive difference of test accuracy after step 0): ablation-ent-0.003 − full loss",
    paper: "Table 5 row 6: \"less stable\" (no size in the paper: SESOI 1 pp², not from the paper)"
  }],
  C38: [
    between("C38", "entropy − no entropy", ROLES.pi1, ROLES.noEnt, { kind: "greater", sesoi: 1.15 }, "Fig. 5 / Table 14: +2.3 avg6 with entropy"),
    between("C38", "T = 1.0 − T = 0.6", ROLES.t1, ROLES.pi1, { kind: "greater", sesoi: 0.4 }, "Fig. 5: another +0.8 with temperature 1.0")
  ],
  C39: [
    gainFromBase("C39", "entropy-only early gain", ROLES.entOnly, 3.7, "Table 13: 17.6 → 25.0 avg6 after 20 of 2000 steps (1%)", TEST, { from: 0, to: 0.05 }),
    trend("C39", "entropy-only collapse", ROLES.entOnly, TEST, { from: 0, to: 0.05 }, { from: 0.75, to: 1 }, { kind: "less", sesoi: 12.5 }, "pp", "Fig. 12: accuracy goes to 0 (from 25.0)")
  ],
  C40: [between("C40", "π1 outcome − π1 format", ROLES.pi1, ROLES.formatPi1, { kind: "greater", sesoi: 2.9 }, "Table 14: +5.8 avg6 (35.0 vs 29.2)")],
  C41: [
    trend("C41", "π1 test gain after the boxed plateau", ROLES.pi1, TEST, { from: 0.025, to: 0.1 }, { from: 0.6, to: 1 }, { kind: "greater", sesoi: 2.1 }, "pp", "Table 15: 69.8 → 74.0 MATH500 from step 60 (3%) to 1860 (93%)"),
    trend("C41", "π1 boxed ratio flat", ROLES.pi1, { kind: "boxed" }, { from: 0.025, to: 0.1 }, { from: 0.6, to: 1 }, { kind: "equivalent", margin: 5 }, "pp", "Table 15: 97.4% → 94.2% after step 60 (\"plateaus\": within 5 pp, not from the paper)")
  ],
  C44a: [
    between("C44a", "unguessable − overfittable wrong label", ROLES.labelUnguess, ROLES.labelOverfit, { kind: "greater", sesoi: 3.7 }, "Table 5: 64.4 vs 57.0 MATH500 (+7.4)"),
    between("C44a", "original − unguessable label", ROLES.fullLoss, ROLES.labelUnguess, { kind: "greater", sesoi: 5.2 }, "Table 5: 74.8 vs 64.4 (+10.4)"),
    { ...between("C44a", "correct ≈ original label", ROLES.labelCorrect, ROLES.fullLoss, { kind: "equivalent", margin: 1 }, "Table 5: 73.4 vs 74.8 (\"≈\" = within about a point)"), notApplicable: exactLabel }
  ],
  C44b: [
    between("C44b", "π1 − 90% wrong labels", ROLES.pi1, ROLES.noise90, { kind: "greater", sesoi: 1.9 }, "Table 17: 35.0 vs 31.2 avg6 (+3.8)"),
    gainFromBase("C44b", "60% wrong labels still works", ROLES.noise60, 8.5, "Table 17: 60% noise 34.6 vs base 17.6 avg6 (+17.0)")
  ]
}

/** Why a claim has no replication check: what a run would need that this project's runs cannot have. */
export const NO_REPLICATION: Readonly<Record<string, string>> = {
  C1: "the base Qwen2.5-Math-1.5B's scores: a property of that model (the world's own base model is re-checked by packages/world)",
  C5: "needs a run on MATH train (7500 problems); the world has no such split",
  C8: "best-per-benchmark values of the paper's own runs",
  C9: "needs ARC-E/ARC-C evaluations (not in the authors' repository)",
  C17: "needs 1-shot runs on a dozen ranked examples",
  C19: "needs 1-shot runs on π7/π11/π606-like examples and their format gains",
  C20: "needs per-category scores of many 1-shot runs by the example's category",
  C22: "needs 128 samples of Qwen2.5-Math-1.5B on π1",
  C26: "Qwen2.5-Math-7B runs",
  C27: "Qwen2.5-Math-7B 16-shot runs",
  C28: "Qwen2.5-Math-7B runs",
  C29: "Qwen2.5-Math-7B runs",
  C30: "Llama-3.2-3B-Instruct runs",
  C32: "DeepSeek-R1-Distill-Qwen-1.5B runs",
  C33: "Qwen2.5-1.5B / Qwen2.5-Math-1.5B-Instruct runs",
  C34: "16-shot runs on three other models",
  C42: "the base Qwen/Llama models' MATH500 outputs (repetition ratio is model-specific)",
  C43: "in-context-learning evaluations of Qwen2.5-Math models",
  C44c: "needs the simplified π1′ prompt run",
  C44d: "needs pass@8 evaluations of AIME/AMC-like sets",
  C45: "HF bf16 vs verl fp32 checkpoints of the Qwen/Llama models",
  C46: "the ranking is checked on the authors' recorded history (authors-data)",
  C47: "needs 1-shot runs on medium- and low-variance examples",
  C48: "needs runs on other base models"
}

export const specsFor = (claim: string, runs: Runs): ReadonlyArray<ReplicationSpec> | undefined =>
  claim === "C16" ? subjectSpecs(runs) : REPLICATION[claim]

export { samples }

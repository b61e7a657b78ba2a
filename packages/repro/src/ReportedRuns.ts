/**
 * The paper's reported numbers as "reported runs": one RunRecord per role with
 * the base model's evaluation at step 0 and the reported checkpoint's at its
 * step. Run-checks that compare best test accuracies between roles can then be
 * run on the paper itself — a check of the checks: they must agree with the
 * paper where it has numbers. Curve-shaped claims (saturation, trends) stay
 * `insufficient-data` here, since the paper gives only figures for them.
 */
import { EvalSummary } from "@oneshot/core"
import { ablationRow, BENCHMARKS, categoryRow, type Reported, sixRow } from "./Reported.ts"
import { type Evaluation, RunRecord } from "./RunRecord.ts"

const evalsOf = (step: number, scores: ReadonlyArray<number>, benchmarks: ReadonlyArray<string>) =>
  scores.map((v, i) => ({
    step,
    summary: EvalSummary.make({ benchmark: benchmarks[i]!, protocol: "reported", n: 0, accuracy: v / 100 })
  }))

type Eval = typeof Evaluation.Type

const make = (role: string, source: string, base: ReadonlyArray<Eval>, at: ReadonlyArray<Eval>) =>
  RunRecord.make({
    runId: `paper:${role}`,
    role,
    source: "reported",
    path: `data/reported.json#${source}`,
    config: { experiment: role, reported: source },
    steps: [],
    evals: [...base, ...at],
    accuracy: [],
    generations: [],
    warnings: []
  })

/** Six-benchmark rows (Tables 4, 8, 14, 17) by role. */
const SIX: ReadonlyArray<readonly [role: string, row: string]> = [
  ["1shot-pi1", "t8/pi1"],
  ["1shot-pi13", "t8/pi13"],
  ["full-set", "t8/dsr-sub"],
  ["2shot-pi1-pi13", "t8/pi1-pi13"],
  ["format-baseline", "t8/format"],
  ["format-1shot-pi1", "t14/pi1-format-ent"],
  ["1shot-pi1-no-ent", "t14/pi1-outcome-noent"],
  ["ppo-1shot-pi1", "t4/ppo/pi1"],
  ["ppo-full-set", "t4/ppo/dsr-sub"],
  ["label-noise-60", "t17/grpo/60"],
  ["label-noise-90", "t17/grpo/90"]
]

/** Table 5 rows (MATH500 and AIME24, best per benchmark) by role. */
const TABLE5: ReadonlyArray<readonly [role: string, row: number]> = [
  ["ablation-pg-only", 2],
  ["ablation-pg-wd", 3],
  ["ablation-pg-wd-kl", 4],
  ["ablation-full", 5],
  ["ablation-ent-0.003", 6],
  ["ablation-pg-ent", 7],
  ["ablation-wd-kl", 8],
  ["ablation-ent-only", 10],
  ["label-12.7", 11],
  ["label-4", 12],
  ["label-9292725", 13]
]

export const reportedRuns = (reported: Reported): ReadonlyArray<RunRecord> => {
  const base6 = evalsOf(0, sixRow(reported, "t8/base").scores, BENCHMARKS)
  const base = categoryRow(reported, "base")
  const base2 = evalsOf(0, [base.math500, base.aime24], ["math500", "aime24"])
  return [
    ...SIX.map(([role, id]) => {
      const row = sixRow(reported, id)
      return make(role, `${row.table}/${row.row}`, base6, evalsOf(row.step ?? 1, row.scores, BENCHMARKS))
    }),
    ...TABLE5.map(([role, n]) => {
      const row = ablationRow(reported, n)
      return make(role, `${reported.ablation.table}/row ${n}`, base2, evalsOf(1, [row.math500, row.aime24], ["math500", "aime24"]))
    })
  ]
}

/**
 * Synthetic runs for a declared replication check: every role the check
 * reads, `seeds` runs each, with its metric at a neutral level and the first
 * term's window shifted so that the true effect is `delta` (in the check's
 * unit). Noise: each seed's value in each term's window moves by N(0, σ);
 * evaluations report `n` problems (the binomial part of the interval).
 */
import { EvalSummary } from "@oneshot/core"
import type { ReplicationSpec } from "../src/Replication.ts"
import { RunRecord } from "../src/RunRecord.ts"
import type { Metric } from "../src/RunStats.ts"
import { normal, rng } from "../src/Stats.ts"

export interface Scenario {
  readonly delta: number
  readonly seeds: number
  readonly sigma: number
  readonly n: number
  readonly seed: number
  readonly steps?: number
}

/** The metric a term's statistic reads (window and base statistics only). */
export const metricOf = (name: string): Metric => {
  if (name.includes("training accuracy")) return { kind: "train" }
  if (name.includes("boxed")) return { kind: "boxed" }
  if (name.includes("reflection")) return { kind: "reflection" }
  if (name.includes("eval mean response length")) return { kind: "evalLength" }
  if (name.includes("training response length")) return { kind: "trainLength" }
  if (name.includes("entropy")) return { kind: "entropy" }
  const subject = /test accuracy on subject (\S+)/.exec(name)
  return subject === null ? { kind: "test" } : { kind: "test", subject: subject[1]! }
}

const NEUTRAL: Record<Metric["kind"], number> = { test: 50, boxed: 50, train: 50, reflection: 0.5, evalLength: 300, trainLength: 300, entropy: 0.5 }

/** A window parsed back from a statistic's name ("… over 5%–25% of the run"), or step 0 for a base statistic. */
const windowOf = (name: string): { from: number; to: number } | "base" => {
  if (name.includes("(step 0)")) return "base"
  const m = /over (\d+(?:\.\d+)?)%–(\d+(?:\.\d+)?)% of the run/.exec(name)
  if (m === null) throw new Error(`no window in ${name}`)
  return { from: Number(m[1]) / 100, to: Number(m[2]) / 100 }
}

export const runsFor = (spec: ReplicationSpec, s: Scenario): ReadonlyArray<RunRecord> => {
  const T = s.steps ?? 200
  const u = rng(s.seed)
  const roles = [...new Set(spec.terms.map((t) => t.role))]
  const coefSum = spec.terms.reduce((a, t) => a + t.coef, 0)
  const metric = metricOf(spec.terms[0]!.stat.name)
  const level = coefSum !== 0 && spec.threshold !== undefined ? spec.threshold / coefSum : NEUTRAL[metric.kind]
  const first = spec.terms[0]!
  return roles.flatMap((role) =>
    Array.from({ length: s.seeds }, (_, k) => {
      const name = role.split("|")[0]!
      // Seeds alternate the sign of each term's noise (by seed and term), so that two seeds always disagree by about 2σ.
      const terms = spec.terms.filter((t) => t.role === role).map((t, j) => ({
        t,
        w: windowOf(t.stat.name),
        noise: s.sigma * ((k + j + roles.indexOf(role)) % 2 === 0 ? 1 : -1) * (1 + 0.25 * Math.abs(normal(u)))
      }))
      const valueAt = (step: number): number => {
        let v = level
        for (const { t, w, noise } of terms) {
          const inside = w === "base" ? step === 0 : step > 0 && step > w.from * T && step <= w.to * T
          if (!inside) continue
          v += noise
          if (t === first) v += s.delta / t.coef
        }
        return v
      }
      const frac = (v: number) => Math.min(1, Math.max(0, v / 100))
      const isEval = metric.kind === "test" || metric.kind === "boxed" || metric.kind === "reflection" || metric.kind === "evalLength"
      const steps = Array.from({ length: T }, (_, i) => i + 1).map((t) => {
        const metrics: Record<string, number> = {}
        if (metric.kind === "train") metrics["critic/score/mean"] = frac(valueAt(t))
        if (metric.kind === "trainLength") metrics["response_length/mean"] = valueAt(t)
        if (metric.kind === "entropy") metrics["actor/entropy"] = valueAt(t)
        return { step: t, metrics }
      })
      const evalSteps = Array.from({ length: T / 2 + 1 }, (_, i) => 2 * i)
      const evals = !isEval ? [] : evalSteps.map((t) => {
        const v = valueAt(t)
        return {
          step: t,
          summary: EvalSummary.make({
            benchmark: "synthetic",
            protocol: "greedy",
            n: s.n,
            accuracy: metric.kind === "test" && metric.subject === undefined ? frac(v) : 0.5,
            bySubject: metric.kind === "test" && metric.subject !== undefined ? { [metric.subject]: { accuracy: frac(v), n: s.n } } : {},
            byLevel: {},
            responses: s.n,
            ...(metric.kind === "boxed" ? { boxedRatio: frac(v) } : {}),
            ...(metric.kind === "reflection" ? { reflectionRate: Math.max(0, v) } : {}),
            ...(metric.kind === "evalLength" ? { meanResponseLength: v } : {})
          })
        }
      })
      return RunRecord.make({
        runId: `${name}-seed${k}`,
        role: name,
        source: "run-log",
        path: `synthetic/${name}-seed${k}.jsonl`,
        config: { experiment: name, seed: k },
        steps,
        evals,
        accuracy: [],
        generations: [],
        warnings: []
      })
    })
  )
}

/** A bare run with the given step metrics and test accuracies (fractions), for the hand-made scenarios. */
export const run = (role: string, seed: number, T: number, step: (t: number) => Record<string, number>, test?: (t: number) => number, n = 100000): RunRecord =>
  RunRecord.make({
    runId: `${role}-seed${seed}`,
    role,
    source: "run-log",
    path: `synthetic/${role}-seed${seed}.jsonl`,
    config: { experiment: role, seed },
    steps: Array.from({ length: T }, (_, i) => ({ step: i + 1, metrics: step(i + 1) })),
    evals: test === undefined ? [] : Array.from({ length: T / 2 + 1 }, (_, i) => 2 * i).map((t) => ({
      step: t,
      summary: EvalSummary.make({ benchmark: "synthetic", protocol: "greedy", n, accuracy: test(t), bySubject: {}, byLevel: {} })
    })),
    accuracy: [],
    generations: [],
    warnings: []
  })

/**
 * Runs graded problem by problem: each problem has a latent difficulty
 * θ ~ N(0, spread²) (logits) shared by every checkpoint, seed and role, so
 * that evaluations of the same problems are positively correlated through it,
 * as in a real benchmark. At a step a checkpoint solves problem i with
 * probability σ(ability(role, step) + shift·step/T − θ_i), independently
 * across checkpoints; each seed's shift ~ N(0, seedSd²) grows over the run
 * (seed-to-seed variance). Evaluations every 2 steps log `problemScores`.
 */
export interface ProblemScenario {
  readonly n: number
  readonly seeds: number
  readonly spread: number
  readonly seedSd: number
  readonly ability: (role: string, step: number) => number
  readonly seed: number
  readonly steps?: number
  readonly benchmarks?: number
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x))

export const problemRuns = (roles: ReadonlyArray<string>, s: ProblemScenario): ReadonlyArray<RunRecord> => {
  const T = s.steps ?? 40
  const u = rng(s.seed)
  const benches = Array.from({ length: s.benchmarks ?? 1 }, (_, b) => `bench${b}`)
  const theta = benches.map(() => Array.from({ length: s.n }, () => s.spread * normal(u)))
  return roles.flatMap((role) =>
    Array.from({ length: s.seeds }, (_, k) => {
      const shift = s.seedSd * normal(u)
      const evals = Array.from({ length: T / 2 + 1 }, (_, i) => 2 * i).flatMap((t) =>
        benches.map((benchmark, b) => {
          const a = s.ability(role, t) + (shift * t) / T
          const problemScores = theta[b]!.map((th): number => (u() < logistic(a - th) ? 1 : 0))
          const accuracy = problemScores.reduce((x, y) => x + y, 0) / s.n
          return { step: t, summary: EvalSummary.make({ benchmark, protocol: "greedy", n: s.n, accuracy, bySubject: {}, byLevel: {}, problemScores }) }
        })
      )
      return RunRecord.make({
        runId: `${role}-seed${k}`,
        role,
        source: "run-log",
        path: `synthetic/${role}-seed${k}.jsonl`,
        config: { experiment: role, seed: k },
        steps: Array.from({ length: T }, (_, i) => ({ step: i + 1, metrics: { "critic/score/mean": 1 } })),
        evals,
        accuracy: [],
        generations: [],
        warnings: []
      })
    })
  )
}

/** The same runs with their per-problem scores dropped: what an older run log holds. */
export const withoutProblemScores = (r: RunRecord): RunRecord =>
  RunRecord.make({
    ...r,
    evals: r.evals.map((e) => {
      const { problemScores: _, ...rest } = e.summary
      return { ...e, summary: EvalSummary.make(rest) }
    })
  })

/**
 * Synthetic RunRecords for the tests: curves as functions of the step.
 */
import { EvalSummary } from "@oneshot/core"
import { RunRecord } from "../src/RunRecord.ts"

export interface Curves {
  readonly role: string
  /** Number of training steps (1 … steps). */
  readonly steps: number
  readonly evalEvery?: number
  readonly train?: (t: number) => number
  readonly test?: (t: number) => number
  readonly entropy?: (t: number) => number
  readonly length?: (t: number) => number
  readonly pgLoss?: (t: number) => number
  readonly reflection?: (t: number) => number
  readonly evalLength?: (t: number) => number
  readonly boxed?: (t: number) => number
  readonly subjects?: (t: number) => Record<string, number>
}

export const synth = (c: Curves): RunRecord => {
  const steps = Array.from({ length: c.steps }, (_, i) => i + 1).map((t) => {
    const metrics: Record<string, number> = {}
    if (c.train) metrics["critic/score/mean"] = c.train(t)
    if (c.entropy) metrics["actor/entropy"] = c.entropy(t)
    if (c.length) metrics["response_length/mean"] = c.length(t)
    if (c.pgLoss) metrics["actor/pg_loss"] = c.pgLoss(t)
    return { step: t, metrics }
  })
  const every = c.evalEvery ?? Math.max(1, Math.round(c.steps / 20))
  const evalSteps = [0, ...Array.from({ length: Math.floor(c.steps / every) }, (_, i) => (i + 1) * every)]
  const evals = c.test === undefined
    ? []
    : evalSteps.map((t) => ({
      step: t,
      summary: EvalSummary.make({
        benchmark: "world-test",
        protocol: "greedy",
        n: 100,
        accuracy: c.test!(t),
        bySubject: c.subjects ? Object.fromEntries(Object.entries(c.subjects(t)).map(([k, v]) => [k, { accuracy: v, n: 20 }])) : {},
        byLevel: {},
        ...(c.boxed ? { boxedRatio: c.boxed(t) } : {}),
        ...(c.reflection ? { reflectionRate: c.reflection(t) } : {}),
        ...(c.evalLength ? { meanResponseLength: c.evalLength(t) } : {})
      })
    }))
  return RunRecord.make({
    runId: `synthetic-${c.role}`,
    role: c.role,
    source: "run-log",
    path: `synthetic/${c.role}.jsonl`,
    config: { experiment: c.role },
    steps,
    evals,
    accuracy: [],
    generations: [],
    warnings: []
  })
}

/** A paper-like 1-shot run: saturates by 3% of the run, test keeps rising, length/entropy jump at 75%. */
export const paperLikeOneShot = (role: string, T = 400, bestTest = 0.7): RunRecord =>
  synth({
    role,
    steps: T,
    train: (t) => (t < 0.02 * T ? 0.1 : t % 7 === 0 ? 0.99 : 1),
    test: (t) => 0.3 + (bestTest - 0.3) * Math.min(1, t / T + 0.2),
    entropy: (t) => (t > 0.72 * T ? 1.2 : 0.6),
    length: (t) => (t > 0.72 * T ? 900 : 400),
    pgLoss: (t) => (t % 7 === 0 ? 0.02 : 0),
    reflection: (t) => (t > 0.6 * T ? 0.2 : 0.05),
    evalLength: () => 300,
    boxed: (t) => (t === 0 ? 0.6 : 0.97),
    subjects: (t) => (t === 0 ? { add: 0.3, mul: 0.2 } : { add: 0.3 + 0.4 * (t / T), mul: 0.2 + 0.4 * (t / T) })
  })

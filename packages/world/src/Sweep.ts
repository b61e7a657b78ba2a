/**
 * The powered runs' sweep (packages/repro/runs/README.md, "The powered-run
 * protocol"): three rounds on `1shot-pi1` scored on the validation split —
 * learning rate, then entropy coefficient, then rollouts per prompt — each
 * keeping the earlier rounds' choices. The rule that picks a winner is here,
 * pure and tested, so the choice cannot drift after the scores are seen.
 */
import { merge } from "@oneshot/trainer/Presets"
import type { Json } from "@oneshot/trainer/Presets"
import { type Examples, experimentConfig, RECORDED_SIZING, type Sizing } from "./Experiments.ts"
import { VALIDATION_BENCHMARK, VALIDATION_SIZE } from "./Validation.ts"

/** One point of the sweep. */
export interface SweepPoint {
  readonly lr: number
  readonly entropyCoef: number
  /** Rollouts per prompt. */
  readonly n: number
}

export interface SweepRound {
  readonly name: "lr" | "entropy" | "rollouts"
  /** The candidate values, in tie-break order (a tie goes to the earliest). */
  readonly values: ReadonlyArray<number>
  readonly set: (p: SweepPoint, v: number) => SweepPoint
}

export const SWEEP_START: SweepPoint = { lr: 1e-4, entropyCoef: 0.001, n: 8 }

export const SWEEP_ROUNDS: ReadonlyArray<SweepRound> = [
  { name: "lr", values: [5e-5, 1e-4, 2e-4, 5e-4], set: (p, v) => ({ ...p, lr: v }) },
  { name: "entropy", values: [0.001, 0.01, 0.05], set: (p, v) => ({ ...p, entropyCoef: v }) },
  { name: "rollouts", values: [8, 16], set: (p, v) => ({ ...p, n: v }) }
]

/** Steps of a sweep run, the evaluation cadence and the steps whose validation accuracy is its score. */
export const SWEEP_STEPS = 60
export const SWEEP_EVAL_EVERY = 10
export const SWEEP_SCORED_STEPS: ReadonlyArray<number> = [40, 50, 60]

/** Prompts per step: 8 × n rollouts (64 at n = 8). */
export const SWEEP_PROMPTS = 8

/** A run's name in the sweep: `sweep-lr5e-5-ent0.001-n8`. */
export const sweepRunName = (p: SweepPoint): string => `sweep-lr${p.lr.toExponential()}-ent${p.entropyCoef}-n${p.n}`

/** The trainer config (raw) of one sweep run from `base`, writing into `runDir`. */
export const sweepConfig = (p: SweepPoint, examples: Examples, base: string, runDir: string, seed = 0): Json => {
  const sizing: Sizing = {
    ...RECORDED_SIZING,
    steps: SWEEP_STEPS,
    batchSize: SWEEP_PROMPTS,
    rollouts: p.n,
    lr: p.lr,
    evalEvery: SWEEP_EVAL_EVERY,
    evalBenchmarks: [VALIDATION_BENCHMARK],
    seed
  }
  const json = experimentConfig("1shot-pi1", sizing, examples, base, runDir)
  if (json === undefined) throw new RangeError("experiment 1shot-pi1 is not defined")
  // Checkpoints at every evaluation, so a killed sweep resumes within 10 steps.
  return merge(json, {
    experiment: sweepRunName(p),
    actor: { entropyCoef: p.entropyCoef },
    trainer: { checkpointEvery: SWEEP_EVAL_EVERY, keepCheckpoints: 1 },
    tags: ["world", "cpu", "sweep", "pi1"]
  })
}

/** A run's score: the mean validation accuracy at the scored steps; undefined until all of them are logged. */
export const sweepScore = (evals: ReadonlyMap<number, number>): number | undefined => {
  const xs = SWEEP_SCORED_STEPS.map((s) => evals.get(s))
  return xs.every((x) => x !== undefined) ? xs.reduce((a, b) => a + b!, 0) / xs.length : undefined
}

/**
 * The binomial standard error of an accuracy `p` on the validation split,
 * averaged over the scored steps as if independent (a lower bound: the
 * three evaluations of one run are correlated, which only widens ties).
 */
export const tieMargin = (p: number, n: number = VALIDATION_SIZE): number => Math.sqrt((p * (1 - p)) / n)

/**
 * The winner of a round: the best score, except that a candidate within one
 * standard error of the best is a tie, and a tie goes to the earliest value
 * in the round's order (smaller lr, smaller coefficient, fewer rollouts).
 */
export const roundWinner = (scores: ReadonlyArray<readonly [value: number, score: number]>): number => {
  if (scores.length === 0) throw new RangeError("a sweep round needs at least one scored run")
  const best = Math.max(...scores.map(([, s]) => s))
  const margin = tieMargin(best)
  return scores.find(([, s]) => s >= best - margin)![0]
}

/**
 * The paper's experiments as trainer configs for the synthetic world, sized
 * for CPU (wasm) runs of a few minutes each. One function builds every
 * experiment from the same base settings, so a run differs from `1shot-pi1`
 * only in what the paper's experiment changes (data, reward, loss terms,
 * algorithm, temperature, label). `experiment` is the role name the repro
 * suite looks for (packages/repro/runs/README.md); every run is tagged
 * `world`, `cpu`. The recorder (packages/repro/scripts/record-runs.ts) and
 * `rlvr train --preset world-<name>` (./TrainPresets.ts) build runs from here.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { type Json, merge } from "@oneshot/trainer/Presets"
import { DATA_DIR } from "./Files.ts"

/** The world's training pool, as the trainer's `data.train` file. */
export const WORLD_TRAIN = path.join(DATA_DIR, "world-train.jsonl")

/**
 * Where the recorded data selection lives (`selection.json`: π1, π2, π13, the
 * π1207 analogue; `selection-history.json`: the history it ranked), written
 * by packages/repro/scripts/record-runs.ts --select.
 */
export const EXPERIMENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "experiments")
export const SELECTION_FILE = path.join(EXPERIMENTS_DIR, "selection.json")

/** Settings shared by every experiment (CLI flags override them). */
export interface Sizing {
  readonly steps: number
  /** Prompts per step (1-shot: copies of the example). */
  readonly batchSize: number
  readonly rollouts: number
  readonly maxTokens: number
  readonly lr: number
  readonly evalEvery: number
  /** Benchmarks evaluated every `evalEvery` steps (registered by the script). */
  readonly evalBenchmarks: ReadonlyArray<string>
  readonly microBatchSize: number
  readonly seed: number
  /** Entropy bonus coefficient of the runs that keep one (absent: 0.001, the paper's). */
  readonly entropyCoef?: number
  /** What the pool roles (full set, format reward, label noise, PPO full set) train on (absent: all of world-train). */
  readonly poolIds?: ReadonlyArray<string>
  /** Checkpoint cadence (absent: once, at the end), so a long run resumes from near where it stopped. */
  readonly checkpointEvery?: number
  /** Extra evaluation steps besides every `evalEvery` (absent: none): early points for claims about the first few percent of a run. */
  readonly evalAt?: ReadonlyArray<number>
  /** Keep per-problem scores in the evaluations (paired comparisons). */
  readonly perProblem?: boolean
}

/** The entropy coefficient of sizing `s`. */
const entropyOf = (s: Sizing): number => s.entropyCoef ?? 0.001

export const DEFAULT_SIZING: Sizing = {
  steps: 60,
  batchSize: 4,
  rollouts: 8,
  maxTokens: 240,
  lr: 2e-4,
  evalEvery: 5,
  evalBenchmarks: ["world-math500-sub"],
  microBatchSize: 16,
  seed: 0
}

/**
 * The sizing of the recorded runs (packages/repro/runs/world-cpu: `--steps 40
 * --shifted`): 40 steps, evaluation on both stratified subsets. The world
 * presets of `rlvr train` use it, so a preset reruns its recorded role.
 */
export const RECORDED_SIZING: Sizing = { ...DEFAULT_SIZING, steps: 40, evalBenchmarks: ["world-math500-sub", "world-hard-sub"] }

/** The examples the 1-shot runs use: ids of the world's training pool. */
export interface Examples {
  readonly pi1: string
  readonly pi13: string
  /** Rank 2 of the selection (absent in the stand-in selection). */
  readonly pi2?: string
  /**
   * The π1207/π1208 analogue: an example of the selection pool that the
   * selection run never solved (the paper's two were never solved either:
   * one has a wrong label, the other is too hard).
   */
  readonly pi1207?: string
  /** A wrong label for π1 (the paper's "4" for π1 = 12.8: wrong, but a number the model can reach). */
  readonly pi1WrongLabel: string
  /** How π1/π13 were chosen (goes into the run's tags/notes). */
  readonly method: string
}


/** The base config: the world demo's GRPO recipe (kl 0.001, entropy 0.001, wd 0.01, T 0.6, lr 2e-4) on `ids` (π1 for the experiments). */
const base = (s: Sizing, ids: ReadonlyArray<string>, modelPath: string, runDir: string): Json => ({
  seed: s.seed,
  model: { path: modelPath },
  data: { train: WORLD_TRAIN, ids: [...ids], duplicateTo: s.batchSize, promptTemplate: "Q: {prompt}\nA: " },
  algorithm: { advEstimator: "grpo" },
  actor: {
    pgCoef: 1,
    entropyCoef: entropyOf(s),
    klCoef: 0.001,
    microBatchSize: s.microBatchSize,
    optimizer: { lr: s.lr, weightDecay: 0.01, gradClip: 1, schedule: { _tag: "constant" } }
  },
  rollout: { n: s.rollouts, temperature: 0.6, maxTokens: s.maxTokens },
  reward: { mode: "deepscaler" },
  eval: { every: s.evalEvery, beforeTrain: true, benchmarks: [...s.evalBenchmarks], protocol: "world-greedy", ...(s.evalAt === undefined ? {} : { at: [...s.evalAt] }), ...(s.perProblem === true ? { perProblem: true } : {}) },
  trainer: { steps: s.steps, batchSize: s.batchSize, checkpointEvery: s.checkpointEvery ?? s.steps, keepCheckpoints: 1, generationsEvery: 4, generationsLogged: 2, runDir }
})

/** What each experiment changes relative to `1shot-pi1`, in the brief's priority order. */
const changes = (ex: Examples, s: Sizing): ReadonlyArray<readonly [string, Json, ReadonlyArray<string>]> => {
  /** The training pool (its ids, or all of world-train), no duplication. */
  const pool = { data: { ids: s.poolIds === undefined ? undefined : [...s.poolIds], duplicateTo: undefined } }
  return [
  ["1shot-pi1", {}, ["pi1", "grpo"]],
  ["full-set", pool, ["world-train", "grpo"]],
  ["format-baseline", merge(pool, { reward: { mode: "format" } }), ["world-train", "format-reward"]],
  ["1shot-pi13", { data: { ids: [ex.pi13] } }, ["pi13", "grpo"]],
  ["ablation-pg-only", { actor: { entropyCoef: 0, klCoef: 0, optimizer: { weightDecay: 0 } } }, ["table5", "row2", "pi1"]],
  ["1shot-pi1-no-ent", { actor: { entropyCoef: 0 } }, ["pi1", "exploration"]],
  ["ablation-ent-only", { actor: { pgCoef: 0, klCoef: 0, entropyCoef: entropyOf(s), optimizer: { weightDecay: 0 } } }, ["table5", "row10", "pi1"]],
  ["ppo-1shot-pi1", { algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 }, critic: { optimizer: { lr: 1e-3, weightDecay: 0 } } }, ["pi1", "ppo"]],
  ["label-wrong-pi1", { data: { labelOverride: ex.pi1WrongLabel } }, ["table5", "row12", "pi1", "wrong-label"]],
  ["2shot-pi1-pi13", { data: { ids: [ex.pi1, ex.pi13], duplicateTo: Math.max(2, s.batchSize) } }, ["few-shot", "grpo"]],
  ["1shot-pi1-t1.0", { rollout: { temperature: 1.0 } }, ["pi1", "exploration"]],
  ["label-noise-60", merge(pool, { data: { labelNoise: 0.6, labelNoiseSeed: 0 } }), ["world-train", "label-noise", "grpo"]],
  ["label-unguessable-pi1", { data: { labelOverride: "9292725" } }, ["table5", "row13", "pi1", "wrong-label"]],
  ["ppo-full-set", merge(pool, { algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 }, critic: { optimizer: { lr: 1e-3, weightDecay: 0 } } }), ["world-train", "ppo"]],
  ["ablation-full", {}, ["table5", "row5", "pi1"]],
  ["ablation-pg-wd-kl", { actor: { entropyCoef: 0 } }, ["table5", "row4", "pi1"]],
  ["ablation-pg-ent", { actor: { klCoef: 0, optimizer: { weightDecay: 0 } } }, ["table5", "row7", "pi1"]],
  ["ablation-wd-kl", { actor: { pgCoef: 0, entropyCoef: 0 } }, ["table5", "row8", "pi1"]],
  ["ablation-ent-0.003", { actor: { entropyCoef: 0.003 } }, ["table5", "row6", "pi1"]],
  ["label-noise-90", merge(pool, { data: { labelNoise: 0.9, labelNoiseSeed: 0 } }), ["world-train", "label-noise", "grpo"]],
  ["format-1shot-pi1", { reward: { mode: "format" } }, ["pi1", "format-reward"]],
  // The world's π1 label is exact, so the paper's 12.7-vs-12.8 contrast (two
  // near-correct labels) has no analogue: the same correct label, another seed.
  ["label-correct-pi1", { seed: s.seed + 1 }, ["table5", "row11", "pi1", "seed-replicate"]],
  // Seed replicates of the main comparison (C2: π13 vs the full set), for the spread.
  ["1shot-pi13-seed1", { data: { ids: [ex.pi13] }, seed: s.seed + 1 }, ["pi13", "grpo", "seed-replicate"]],
  ["full-set-seed1", merge(pool, { seed: s.seed + 1 }), ["world-train", "grpo", "seed-replicate"]],
  ...(ex.pi2 === undefined ? [] : [["1shot-pi2", { data: { ids: [ex.pi2] } }, ["pi2", "grpo"]] as const]),
  ...(ex.pi1207 === undefined ? [] : [["1shot-pi1207", { data: { ids: [ex.pi1207] } }, ["pi1207-analogue", "never-solved", "grpo"]] as const])
  ]
}

/** Experiment names in priority order. */
export const experimentNames = (ex: Examples): ReadonlyArray<string> => changes(ex, DEFAULT_SIZING).map(([n]) => n)

/** The raw trainer config (decode with the trainer's `decodeConfig`) of experiment `name`, or undefined. */
export const experimentConfig = (name: string, s: Sizing, ex: Examples, modelPath: string, runDir: string): Json | undefined => {
  const entry = changes(ex, s).find(([n]) => n === name)
  if (entry === undefined) return undefined
  const [, delta, tags] = entry
  return merge(merge(base(s, [ex.pi1], modelPath, runDir), delta), { experiment: name, tags: ["world", "cpu", ...tags] })
}

/**
 * The data-selection run: full-set GRPO on `ids` (a stratified slice of the
 * training pool, every example once per epoch) for `epochs` epochs, whose
 * per-example accuracy history ranks the pool by historical variance, as the
 * authors ranked DSR-sub from their full-set run.
 */
export const selectionConfig = (ids: ReadonlyArray<string>, epochs: number, s: Sizing, modelPath: string, runDir: string): Json => {
  const batchSize = ids.length % 4 === 0 ? ids.length / 4 : ids.length
  const steps = epochs * (ids.length / batchSize)
  return merge(base({ ...s, steps, batchSize }, ids, modelPath, runDir), {
    data: { duplicateTo: undefined },
    eval: { every: steps / 2 },
    experiment: "selection-full-set",
    tags: ["world", "cpu", "world-train-slice", "grpo", "data-selection"]
  })
}

/**
 * The powered runs (packages/repro/runs/README.md, "The powered-run
 * protocol"): the roles the mechanism claims need, three seeds each, 200
 * steps of 8 prompts × n rollouts, evaluated every 20 steps on all four test
 * sets; the learning rate, entropy coefficient and n are the sweep's choice
 * (`Sweep.ts`, scored on the validation split). Pool roles (full set,
 * format reward, label noise) train on the 80-example full set drawn from
 * `world-train-pool` (`FullSet.ts`: 20 epochs in 200 steps), never on the
 * validation rows.
 */
import { Schema } from "effect"
import type { Json } from "@oneshot/trainer/Presets"
import { merge } from "@oneshot/trainer/Presets"
import { DEFAULT_SIZING, type Examples, experimentConfig, type Sizing } from "./Experiments.ts"
import { TEST_SPLITS } from "./Splits.ts"
import type { SweepPoint } from "./Sweep.ts"

export const POWERED_STEPS = 200
export const POWERED_EVAL_EVERY = 20
/**
 * Early evaluations besides every 20th step: the claims about the first few
 * percent of a run (C14 and C39 read steps 1–10, C25 steps 6–15, C41 steps
 * 6–20 of 200) need ≥ 2 points there. Fixed from the windows and the grid,
 * before any powered run was published.
 */
export const POWERED_EVAL_AT: ReadonlyArray<number> = [5, 10, 15]
export const POWERED_PROMPTS = 8
export const POWERED_SEEDS: ReadonlyArray<number> = [0, 1, 2]

/**
 * The roles, in recording order (the main comparison first). No
 * `label-correct-pi1`: the world's π1 label is exact, so that role is
 * `1shot-pi1` under another seed, which the seeds here already are.
 */
export const POWERED_ROLES: ReadonlyArray<string> = [
  "1shot-pi1",
  "full-set",
  "1shot-pi13",
  "1shot-pi1-no-ent",
  "ablation-pg-only",
  "ablation-ent-only",
  "2shot-pi1-pi13",
  "format-1shot-pi1",
  "format-baseline",
  "ablation-wd-kl",
  "label-wrong-pi1",
  "label-unguessable-pi1",
  "label-noise-60",
  "label-noise-90",
  "1shot-pi1-t1.0",
  "ppo-1shot-pi1",
  "ablation-pg-ent"
]

/** The sweep's `choice.json`, as far as the powered runs need it. */
export const SweepChoice = Schema.Struct({
  complete: Schema.Literal(true),
  chosen: Schema.Struct({ lr: Schema.Number, entropyCoef: Schema.Number, n: Schema.Int })
})

/** The sizing of every powered run of `seed` under the sweep's choice. */
export const poweredSizing = (choice: SweepPoint, seed: number, poolIds: ReadonlyArray<string>): Sizing => ({
  ...DEFAULT_SIZING,
  steps: POWERED_STEPS,
  batchSize: POWERED_PROMPTS,
  rollouts: choice.n,
  lr: choice.lr,
  entropyCoef: choice.entropyCoef,
  evalEvery: POWERED_EVAL_EVERY,
  evalAt: POWERED_EVAL_AT,
  perProblem: true,
  evalBenchmarks: [...TEST_SPLITS],
  seed,
  poolIds,
  checkpointEvery: POWERED_EVAL_EVERY
})

/** A powered run's file stem: `1shot-pi1-seed2`. */
export const poweredRunName = (role: string, seed: number): string => `${role}-seed${seed}`

/**
 * The trainer config (raw) of role `role`, seed `seed`. Its `experiment` is
 * the role, so the repro suite pools the seeds of a role.
 */
export const poweredConfig = (role: string, seed: number, choice: SweepPoint, examples: Examples, base: string, runDir: string, poolIds: ReadonlyArray<string>): Json => {
  const sizing = poweredSizing(choice, seed, poolIds)
  const json = experimentConfig(role, sizing, examples, base, runDir)
  if (json === undefined) throw new RangeError(`powered role ${JSON.stringify(role)}: expected one of ${POWERED_ROLES.join(", ")}`)
  return merge(json, { seed, tags: [...((json.tags as ReadonlyArray<string> | undefined) ?? []), "powered", `seed${seed}`] })
}

/**
 * The scoring stage of a step: the old policy's log-probs (and values, for a
 * critic) and the reference's log-probs, each only when something needs it.
 * The old pass is skipped when it would equal the update's own forward pass
 * (one PPO epoch, one mini-batch, on-policy: the ratio is exactly 1); the
 * reference pass runs only when a KL term is on.
 */
import type { PolicyError } from "@oneshot/policy"
import { Effect } from "effect"
import type { TrainConfig } from "./Config.ts"
import type { Replicas, ScoreJob } from "./Replicas.ts"
import { type MicroBatch, microBatches, microBatchSize, type Rollout, rowWidth, tokenRows } from "./StepBatch.ts"
import { timed } from "./Timing.ts"

export interface ScoringOptions {
  /** Skip the old pass when it equals the update's forward pass. */
  readonly skipRedundant: boolean
  /** Length-bucketed micro-batches (no compute on padding). */
  readonly pack: boolean
}

export interface Scored {
  /** Per rollout, a row (prompt+response positions; any width ≥ its length); undefined when the old pass was skipped. */
  readonly oldLogprobs?: ReadonlyArray<ReadonlyArray<number>>
  readonly oldValues?: ReadonlyArray<ReadonlyArray<number>>
  readonly refLogprobs?: ReadonlyArray<ReadonlyArray<number>>
  /** Row width of the whole batch (the unpacked layout). */
  readonly T: number
  readonly timings: Readonly<Record<string, number>>
}

/** Whether the old log-probs equal the update's own: one epoch, one mini-batch over the whole batch, no critic, no KL in the reward. */
export const oldPassIsRedundant = (config: TrainConfig, needsValues: boolean): boolean =>
  config.actor.ppoEpochs === 1 &&
  (config.actor.miniBatchSize ?? config.trainer.batchSize) >= config.trainer.batchSize &&
  !needsValues &&
  config.algorithm.klRewardCoef === 0

/** Whether a KL term (loss or reward) needs the reference policy. */
export const needsReference = (config: TrainConfig): boolean => config.actor.klCoef > 0 || config.algorithm.klRewardCoef > 0

/** The scoring temperature: verl scores the actor, old and reference policies at the rollout temperature. */
export const scoringTemperature = (config: TrainConfig): number => (config.rollout.temperature > 0 ? config.rollout.temperature : 1)

/** Scores jobs over micro-batches and scatters the rows back to rollout order. */
const scoreInto = (replicas: Replicas, model: "policy" | "reference", plan: ReadonlyArray<MicroBatch>, jobs: ReadonlyArray<ScoreJob>, R: number) =>
  Effect.map(replicas.score(model, jobs), (results) => {
    const logprobs = new Array<Array<number>>(R)
    const values = new Array<Array<number>>(R)
    plan.forEach((mb, c) =>
      mb.idx.forEach((i, k) => {
        logprobs[i] = results[c]!.logprobs[k]!
        const v = results[c]!.values
        if (v !== undefined) values[i] = v[k]!
      })
    )
    return { logprobs, values: results.some((r) => r.values !== undefined) ? values : undefined }
  })

export const scoring = (
  config: TrainConfig,
  batch: ReadonlyArray<Rollout>,
  replicas: Replicas,
  padId: number,
  needsValues: boolean,
  options: ScoringOptions
): Effect.Effect<Scored, PolicyError> =>
  Effect.gen(function* () {
    const R = batch.length
    const T = rowWidth(batch, batch.map((_, i) => i))
    const plan = microBatches(batch, batch.map((_, i) => i), microBatchSize(config.actor.microBatchSize, R, replicas.size), { pack: options.pack, fullT: T })
    const temperature = scoringTemperature(config)
    const jobs = (withValues: boolean): Array<ScoreJob> => plan.map((mb) => ({ batch: tokenRows(batch, mb.idx, mb.T, padId), withValues, temperature }))
    const timings: Record<string, number> = {}
    let old: { logprobs: Array<Array<number>>; values: Array<Array<number>> | undefined } | undefined
    if (!(options.skipRedundant && oldPassIsRedundant(config, needsValues))) {
      const [o, s] = yield* timed(scoreInto(replicas, "policy", plan, jobs(needsValues), R))
      old = o
      timings["timing_s/old_log_prob"] = s
    }
    let ref: Array<Array<number>> | undefined
    if (needsReference(config)) {
      const [r, s] = yield* timed(scoreInto(replicas, "reference", plan, jobs(false), R))
      ref = r.logprobs
      timings["timing_s/ref"] = s
    }
    return {
      T,
      timings,
      ...(old === undefined ? {} : { oldLogprobs: old.logprobs }),
      ...(old?.values === undefined ? {} : { oldValues: old.values }),
      ...(ref === undefined ? {} : { refLogprobs: ref })
    }
  })

/**
 * The update stage of a step: `ppoEpochs` × mini-batches of optimizer steps,
 * each over micro-batches whose gradients the replicas accumulate exactly
 * (weights by tokens for token-mean, by responses for the seq-means). For a
 * critic (GAE) the value head is stepped first on the same mini-batch. After
 * each mini-batch every replica takes the main policy's new weights.
 */
import type { PolicyError } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import type { Advantages } from "./AdvantageStage.ts"
import type { TrainConfig } from "./Config.ts"
import type { AdamW } from "./Optimizer.ts"
import type { ActorJob, CriticJob, Replicas } from "./Replicas.ts"
import { hashInts, permutation, Stream } from "./Rng.ts"
import { type Scored, scoringTemperature } from "./ScoringStage.ts"
import { fitRow, microBatches, microBatchSize, placeRows, type Rollout, tokenRows } from "./StepBatch.ts"
import { timed } from "./Timing.ts"

export interface UpdateContext {
  readonly config: TrainConfig
  readonly replicas: Replicas
  readonly actorOpt: AdamW
  readonly criticOpt?: AdamW | undefined
  readonly padId: number
  readonly pack: boolean
}

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length)

/** The update's metrics (verl names), in the order the run log has always listed them. */
export const update = (ctx: UpdateContext, batch: ReadonlyArray<Rollout>, scored: Scored, adv: Advantages, step: number): Effect.Effect<Record<string, number>, PolicyError> =>
  Effect.gen(function* () {
    const { config, replicas, actorOpt, criticOpt, padId } = ctx
    const R = batch.length
    const perMini = Math.max(1, (config.actor.miniBatchSize ?? config.trainer.batchSize) * config.rollout.n)
    const temperature = scoringTemperature(config)
    const actorSpec = {
      temperature,
      loss: {
        pgCoef: config.actor.pgCoef,
        entropyCoef: config.actor.entropyCoef,
        klCoef: config.actor.klCoef,
        klEstimator: config.actor.klEstimator,
        aggregation: config.actor.aggregation,
        clip: { clipLow: config.actor.clipLow, clipHigh: config.actor.clipHigh, clipRatioC: config.actor.clipRatioC }
      }
    }
    const criticSpec = { clipRangeValue: config.critic.clipRangeValue, aggregation: config.actor.aggregation }
    const acc: Record<string, Array<number>> = {}
    const push = (k: string, v: number) => (acc[k] ??= []).push(v)
    const tokensOf = (i: number) => batch[i]!.response.length
    const rowsOf = (m: ReadonlyArray<ReadonlyArray<number>>, idx: ReadonlyArray<number>, T: number) => idx.map((i) => fitRow(m[i]!, T))
    let critS = 0
    let actS = 0
    for (let epoch = 0; epoch < config.actor.ppoEpochs; epoch++) {
      const order = config.actor.shuffle ? permutation(R, hashInts(config.seed, Stream.miniBatch, step, epoch)) : Array.from({ length: R }, (_, i) => i)
      for (let start = 0; start < R; start += perMini) {
        const mini = order.slice(start, start + perMini)
        const miniTokens = Math.max(1, mini.reduce((a, i) => a + tokensOf(i), 0))
        const weightOf = (idx: ReadonlyArray<number>) =>
          config.actor.aggregation === "token-mean" ? idx.reduce((a, i) => a + tokensOf(i), 0) / miniTokens : idx.length / mini.length
        const plan = microBatches(batch, mini, microBatchSize(config.actor.microBatchSize, mini.length, replicas.size), { pack: ctx.pack, fullT: scored.T })
        if (criticOpt !== undefined && adv.returns !== undefined && scored.oldValues !== undefined) {
          const oldValues = scored.oldValues
          const jobs: Array<CriticJob> = plan.map((mb) => ({
            batch: tokenRows(batch, mb.idx, mb.T, padId),
            oldValues: rowsOf(oldValues, mb.idx, mb.T),
            returns: placeRows(batch, mb.idx, adv.returns!, mb.T),
            weight: weightOf(mb.idx)
          }))
          const [, s] = yield* timed(
            Effect.gen(function* () {
              const g = yield* replicas.criticGradients(jobs, criticSpec)
              const st = criticOpt.step(g.grads)
              push("critic/vf_loss", g.loss)
              push("critic/vf_clipfrac", g.parts["critic/vf_clipfrac"] ?? 0)
              push("critic/grad_norm", st.gradNorm)
              push("critic/lr", st.lr)
              tf.dispose(Object.values(g.grads))
            })
          )
          critS += s
        }
        const jobs: Array<ActorJob> = plan.map((mb) => ({
          batch: tokenRows(batch, mb.idx, mb.T, padId),
          ...(scored.oldLogprobs === undefined ? {} : { oldLogprobs: rowsOf(scored.oldLogprobs, mb.idx, mb.T) }),
          ...(scored.refLogprobs === undefined ? {} : { refLogprobs: rowsOf(scored.refLogprobs, mb.idx, mb.T) }),
          advantages: placeRows(batch, mb.idx, adv.advantages, mb.T),
          weight: weightOf(mb.idx)
        }))
        const [, s] = yield* timed(
          Effect.gen(function* () {
            const g = yield* replicas.actorGradients(jobs, actorSpec)
            const st = actorOpt.step(g.grads)
            for (const [k, v] of Object.entries(g.parts)) push(k, v)
            push("actor/loss", g.loss)
            push("actor/grad_norm", st.gradNorm)
            push("actor/lr", st.lr)
            push("actor/update_skipped", st.skipped ? 1 : 0)
            tf.dispose(Object.values(g.grads))
            yield* replicas.sync
          })
        )
        actS += s
      }
    }
    const metrics: Record<string, number> = {}
    for (const [k, v] of Object.entries(acc)) metrics[k] = mean(v)
    metrics["actor/entropy_loss"] = metrics["actor/entropy"] ?? 0
    metrics["actor/kl_coef"] = config.actor.klCoef
    metrics["actor/pg_coef"] = config.actor.pgCoef
    metrics["actor/entropy_coeff"] = config.actor.entropyCoef
    metrics["timing_s/update_actor"] = actS
    if (criticOpt !== undefined) metrics["timing_s/update_critic"] = critS
    metrics["timing_s/update"] = actS + critS
    if (scored.oldLogprobs === undefined) metrics["actor/old_log_prob_skipped"] = 1
    return metrics
  })

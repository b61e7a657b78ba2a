/**
 * The advantage stage of a step: outcome rewards on each response's last
 * token, minus the KL reward penalty when one is set (`applyKlPenalty`), then
 * the configured estimator from the registry.
 */
import { outcomeTokenRewards } from "./Advantages.ts"
import { advantageEstimator, type AdvantageOutput } from "./AdvantageEstimators.ts"
import type { TrainConfig } from "./Config.ts"
import { applyKlPenalty } from "./Kl.ts"
import { type Rollout, responsePart } from "./StepBatch.ts"

export interface Advantages extends AdvantageOutput {
  readonly tokenRewards: Array<Array<number>>
  readonly seqRewards: Array<number>
}

export const advantages = (
  config: TrainConfig,
  batch: ReadonlyArray<Rollout>,
  scores: ReadonlyArray<number>,
  scored: { readonly oldLogprobs?: ReadonlyArray<ReadonlyArray<number>>; readonly oldValues?: ReadonlyArray<ReadonlyArray<number>>; readonly refLogprobs?: ReadonlyArray<ReadonlyArray<number>> }
): Advantages => {
  const beta = config.algorithm.klRewardCoef
  const { oldLogprobs, refLogprobs, oldValues } = scored
  const tokenRewards = batch.map((ro, k) => {
    const base = outcomeTokenRewards(scores[k]!, ro.response.length)
    return beta > 0 && refLogprobs !== undefined && oldLogprobs !== undefined
      ? applyKlPenalty(base, responsePart(oldLogprobs[k]!, ro), responsePart(refLogprobs[k]!, ro), beta, config.algorithm.klRewardEstimator)
      : base
  })
  const seqRewards = tokenRewards.map((tr) => tr.reduce((s, x) => s + x, 0))
  const estimator = advantageEstimator(config.algorithm.advEstimator)
  const out = estimator.estimate({
    tokenRewards,
    seqRewards,
    groupIds: batch.map((ro) => ro.row),
    ...(estimator.needsValues && oldValues !== undefined ? { values: batch.map((ro, k) => responsePart(oldValues[k]!, ro)) } : {}),
    gamma: config.algorithm.gamma,
    lambda: config.algorithm.lambda
  })
  return { ...out, tokenRewards, seqRewards }
}

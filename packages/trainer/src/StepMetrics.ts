/**
 * The step-metrics stage: batch statistics under verl's names, the
 * per-example accuracy (the authors' acc_step history) and the logged
 * generations. Pure functions of the step's rollouts, rewards and advantages.
 */
import type { Advantages } from "./AdvantageStage.ts"
import type { Rollout } from "./StepBatch.ts"

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length)

/** Score, reward, advantage, length and progress statistics of a step. */
export const batchMetrics = (
  batch: ReadonlyArray<Rollout>,
  scores: ReadonlyArray<number>,
  adv: Pick<Advantages, "advantages" | "seqRewards">,
  step: number,
  stepsPerEpoch: number
): Record<string, number> => {
  const lens = batch.map((ro) => ro.response.length)
  const allAdv = adv.advantages.flat()
  const seqRewards = adv.seqRewards
  return {
    "critic/score/mean": mean(scores),
    "critic/score/max": Math.max(...scores),
    "critic/score/min": Math.min(...scores),
    "critic/rewards/mean": mean(seqRewards),
    "critic/rewards/max": Math.max(...seqRewards),
    "critic/rewards/min": Math.min(...seqRewards),
    "critic/advantages/mean": mean(allAdv),
    "critic/advantages/max": allAdv.length === 0 ? 0 : Math.max(...allAdv),
    "critic/advantages/min": allAdv.length === 0 ? 0 : Math.min(...allAdv),
    "response_length/mean": mean(lens),
    "response_length/max": Math.max(...lens),
    "response_length/min": Math.min(...lens),
    "response_length/clip_ratio": mean(batch.map((ro) => (ro.truncated ? 1 : 0))),
    "prompt_length/mean": mean(batch.map((ro) => ro.prompt.length)),
    "training/epoch": Math.floor((step - 1) / stepsPerEpoch),
    "training/global_step": step
  }
}

/** The mean reward lost to the KL reward penalty (only logged when one is set). */
export const rewardKlPenalty = (scores: ReadonlyArray<number>, seqRewards: ReadonlyArray<number>): number => mean(seqRewards.map((s, k) => scores[k]! - s))

/** For each example id, the fraction of its rollouts that were correct. */
export const perExampleAccuracy = (batch: ReadonlyArray<Rollout>, scores: ReadonlyArray<number>): Record<string, number> => {
  const perExample: Record<string, Array<number>> = {}
  batch.forEach((ro, k) => (perExample[ro.problem.id] ??= []).push(scores[k]!))
  return Object.fromEntries(Object.entries(perExample).map(([id, xs]) => [id, mean(xs)]))
}

/** The first `count` rollouts as logged generations. */
export const loggedGenerations = (batch: ReadonlyArray<Rollout>, scores: ReadonlyArray<number>, count: number) =>
  batch.slice(0, count).map((ro, k) => ({ id: ro.problem.id, response: ro.text, reward: scores[k]! }))

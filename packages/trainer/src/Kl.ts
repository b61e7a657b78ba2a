/**
 * KL estimators between the current policy and the reference policy, per
 * token, from log-probabilities of the sampled token (verl `kl_penalty`):
 * - `k1` (`kl`): log π − log π_ref (unbiased, high variance, can be negative);
 * - `abs`: |log π − log π_ref|;
 * - `k2` (`mse`): ½ (log π − log π_ref)²;
 * - `k3` (`low_var_kl`, the paper's Eq. 5): r − log r − 1 with r = π_ref/π,
 *   non-negative, clamped to [−10, 10] as verl does.
 *
 * Used as a loss term (`use_kl_loss`, the paper) or subtracted from the
 * token-level reward (`kl_ctrl`, classic PPO).
 */
import * as tf from "@tensorflow/tfjs"
import { Schema } from "effect"

export const KlEstimator = Schema.Literal("k1", "abs", "k2", "k3")
export type KlEstimator = typeof KlEstimator.Type

/** verl names → ours (`kl`, `mse`, `low_var_kl` are what verl configs say). */
export const klEstimatorFromVerl = (name: string): KlEstimator | undefined =>
  // A Map, not an object literal: "constructor" or "toString" must not find Object's members.
  VERL_KL_NAMES.get(name)

const VERL_KL_NAMES: ReadonlyMap<string, KlEstimator> = new Map([["kl", "k1"], ["k1", "k1"], ["abs", "abs"], ["mse", "k2"], ["k2", "k2"], ["low_var_kl", "k3"], ["k3", "k3"]] as const)

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))

/** Per-token KL estimate from the sampled token's log-probabilities. */
export const klPenalty = (logprob: number, refLogprob: number, estimator: KlEstimator): number => {
  switch (estimator) {
    case "k1":
      return logprob - refLogprob
    case "abs":
      return Math.abs(logprob - refLogprob)
    case "k2":
      return 0.5 * (logprob - refLogprob) ** 2
    case "k3": {
      // The inner clamp only guards exp() against overflow: for |kl| > 20 the
      // result exceeds 10 and is clamped anyway, so no value changes.
      // expm1(kl) − kl is verl's exp(kl) − kl − 1 without the cancellation that makes it slightly negative near 0.
      const kl = clamp(refLogprob - logprob, -20, 20)
      return clamp(Math.expm1(kl) - kl, -10, 10)
    }
  }
}

/** Tensor version (elementwise, gradients flow through `logprob`). */
export const klPenaltyTensor = (logprob: tf.Tensor, refLogprob: tf.Tensor, estimator: KlEstimator): tf.Tensor =>
  tf.tidy(() => {
    const diff = tf.sub(logprob, refLogprob)
    switch (estimator) {
      case "k1":
        return diff
      case "abs":
        return tf.abs(diff)
      case "k2":
        return tf.mul(0.5, tf.square(diff))
      case "k3": {
        const kl = tf.clipByValue(tf.neg(diff), -20, 20)
        return tf.clipByValue(tf.sub(tf.expm1(kl), kl), -10, 10)
      }
    }
  })

/** KL as a reward penalty: r_t − β·kl_t per token (verl `apply_kl_penalty`). */
export const applyKlPenalty = (
  tokenRewards: ReadonlyArray<number>,
  logprobs: ReadonlyArray<number>,
  refLogprobs: ReadonlyArray<number>,
  beta: number,
  estimator: KlEstimator
): Array<number> => tokenRewards.map((r, t) => r - beta * klPenalty(logprobs[t]!, refLogprobs[t]!, estimator))

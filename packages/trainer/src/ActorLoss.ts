/**
 * The actor's total loss (verl `dp_actor.update_policy`):
 *
 *   loss = c_pg · pg_loss − c_ent · entropy + c_kl · kl_loss
 *
 * Each term has its own coefficient so every row of the paper's Table 5 is a
 * config (c_pg = 0 is "policy gradient off"; weight decay lives in the
 * Optimizer). Terms whose coefficient is 0 are not computed, so a run without
 * KL needs no reference policy.
 */
import * as tf from "@tensorflow/tfjs"
import { klPenalty, type KlEstimator, klPenaltyTensor } from "./Kl.ts"
import { aggregate, aggregateTensor, type LossAggregation } from "./LossAggregation.ts"
import { type ClipOptions, policyLoss, policyLossTensor } from "./PolicyLoss.ts"

export interface ActorLossConfig {
  readonly pgCoef: number
  /** Entropy bonus coefficient (verl `entropy_coeff`, 0.001 in the paper = the paper's α = −0.001). */
  readonly entropyCoef: number
  /** KL loss coefficient (verl `kl_loss_coef` when `use_kl_loss`); 0 disables the term. */
  readonly klCoef: number
  readonly klEstimator: KlEstimator
  readonly aggregation: LossAggregation
  readonly clip: ClipOptions
}

export interface ActorLossMetrics {
  readonly pgLoss: number
  readonly entropy: number
  readonly klLoss: number
  readonly clipfrac: number
  readonly clipfracLower: number
  readonly ppoKl: number
  readonly loss: number
}

type Ragged = ReadonlyArray<ReadonlyArray<number>>

/** Plain-array reference of the total loss (float64), used to check the tensor version and its gradient. */
export const actorLoss = (
  input: {
    readonly logprobs: Ragged
    readonly oldLogprobs: Ragged
    readonly refLogprobs?: Ragged | undefined
    readonly advantages: Ragged
    readonly entropies: Ragged
  },
  config: ActorLossConfig
): ActorLossMetrics => {
  const pg = policyLoss(input.logprobs, input.oldLogprobs, input.advantages, config.aggregation, config.clip)
  const entropy = aggregate(input.entropies, config.aggregation)
  const klLoss =
    config.klCoef !== 0 && input.refLogprobs !== undefined
      ? aggregate(
          input.logprobs.map((row, b) => row.map((lp, t) => klPenalty(lp, input.refLogprobs![b]![t]!, config.klEstimator))),
          config.aggregation
        )
      : 0
  return {
    pgLoss: pg.pgLoss,
    entropy,
    klLoss,
    clipfrac: pg.clipfrac,
    clipfracLower: pg.clipfracLower,
    ppoKl: pg.ppoKl,
    loss: config.pgCoef * pg.pgLoss - config.entropyCoef * entropy + config.klCoef * klLoss
  }
}

export interface ActorLossTensors {
  readonly loss: tf.Scalar
  readonly pgLoss: tf.Scalar
  readonly entropy: tf.Scalar
  readonly klLoss: tf.Scalar
  readonly clipfrac: tf.Scalar
  readonly clipfracLower: tf.Scalar
  readonly ppoKl: tf.Scalar
}

/**
 * Tensor version on padded `[B, T]` tensors and a 0/1 mask, for use inside
 * `tf.variableGrads`. `refLogprobs` may be omitted when `klCoef` is 0.
 */
export const actorLossTensor = (
  input: {
    readonly logprobs: tf.Tensor
    readonly oldLogprobs: tf.Tensor
    readonly refLogprobs?: tf.Tensor | undefined
    readonly advantages: tf.Tensor
    readonly entropies: tf.Tensor
    readonly mask: tf.Tensor
  },
  config: ActorLossConfig
): ActorLossTensors =>
  tf.tidy(() => {
    const pg = policyLossTensor(input.logprobs, input.oldLogprobs, input.advantages, input.mask, config.aggregation, config.clip)
    const entropy = aggregateTensor(input.entropies, input.mask, config.aggregation)
    const klLoss =
      config.klCoef !== 0 && input.refLogprobs !== undefined
        ? aggregateTensor(klPenaltyTensor(input.logprobs, input.refLogprobs, config.klEstimator), input.mask, config.aggregation)
        : tf.scalar(0)
    const loss = tf.addN([tf.mul(config.pgCoef, pg.pgLoss), tf.mul(-config.entropyCoef, entropy), tf.mul(config.klCoef, klLoss)]) as tf.Scalar
    return { loss, pgLoss: pg.pgLoss, entropy, klLoss, clipfrac: pg.clipfrac, clipfracLower: pg.clipfracLower, ppoKl: pg.ppoKl }
  })

/**
 * Clipped value loss of PPO's critic (verl `compute_value_loss`):
 * ½ · agg(max((V − R)², (clip(V, V_old ± c) − R)²)).
 */
export const valueLossTensor = (
  values: tf.Tensor,
  oldValues: tf.Tensor,
  returns: tf.Tensor,
  mask: tf.Tensor,
  clipRange: number,
  mode: LossAggregation
): { readonly loss: tf.Scalar; readonly clipfrac: tf.Scalar } =>
  tf.tidy(() => {
    const clipped = tf.add(oldValues, tf.clipByValue(tf.sub(values, oldValues), -clipRange, clipRange))
    const l1 = tf.square(tf.sub(values, returns))
    const l2 = tf.square(tf.sub(clipped, returns))
    const loss = tf.mul(0.5, aggregateTensor(tf.maximum(l1, l2), mask, mode)) as tf.Scalar
    const clipfrac = tf.div(tf.sum(tf.mul(tf.cast(tf.greater(l2, l1), "float32"), mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar
    return { loss, clipfrac }
  })

/** Pads ragged rows into a `[B, T]` float tensor and its mask (T = longest row, at least 1). */
export const padRagged = (rows: Ragged, T?: number): { readonly values: tf.Tensor2D; readonly mask: tf.Tensor2D } => {
  const width = Math.max(1, T ?? Math.max(0, ...rows.map((r) => r.length)))
  const v = new Float32Array(rows.length * width)
  const m = new Float32Array(rows.length * width)
  rows.forEach((row, b) =>
    row.forEach((x, t) => {
      if (t < width) {
        v[b * width + t] = x
        m[b * width + t] = 1
      }
    })
  )
  return { values: tf.tensor2d(v, [rows.length, width]), mask: tf.tensor2d(m, [rows.length, width]) }
}

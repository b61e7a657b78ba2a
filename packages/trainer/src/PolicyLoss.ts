/**
 * The PPO clipped surrogate (verl `compute_policy_loss`), with separate lower
 * and upper clip ranges (DAPO "clip-higher") and optional dual-clip (a bound
 * `c·|A|` on the loss of negative-advantage tokens, so a huge ratio cannot
 * blow the loss up). With ratio ρ = exp(log π − log π_old):
 *
 *   loss = max(−A·ρ, −A·clip(ρ, 1 − ε_low, 1 + ε_high)),
 *   and for A < 0 with dual-clip: min(loss, −A·c).
 *
 * Minimising the loss maximises the clipped objective, which is never above
 * the unclipped one (−loss ≤ A·ρ): the pessimistic bound.
 */
import * as tf from "@tensorflow/tfjs"
import { aggregate, aggregateTensor, type LossAggregation, maskedMean } from "./LossAggregation.ts"

export interface ClipOptions {
  /** ε_low, default 0.2. */
  readonly clipLow?: number
  /** ε_high, default = clipLow (symmetric PPO). DAPO uses 0.28. */
  readonly clipHigh?: number
  /** Dual-clip constant c > 1 (verl 3.0); undefined disables it, as in the authors' verl version. */
  readonly clipRatioC?: number | undefined
}

export interface TokenLoss {
  readonly loss: number
  /** The clipped branch was taken (verl `pg_clipfrac`). */
  readonly clipped: boolean
  /** The dual-clip bound was taken (verl `pg_clipfrac_lower`). */
  readonly dualClipped: boolean
}

/** The clipped surrogate loss of one token. */
export const clippedSurrogate = (
  logprob: number,
  oldLogprob: number,
  advantage: number,
  options: ClipOptions = {}
): TokenLoss => {
  const lo = options.clipLow ?? 0.2
  const hi = options.clipHigh ?? lo
  const ratio = Math.exp(logprob - oldLogprob)
  const l1 = -advantage * ratio
  const l2 = -advantage * Math.min(Math.max(ratio, 1 - lo), 1 + hi)
  const clipLoss = Math.max(l1, l2)
  const clipped = l2 > l1
  if (options.clipRatioC === undefined || !(advantage < 0)) return { loss: clipLoss, clipped, dualClipped: false }
  const l3 = -advantage * options.clipRatioC
  return { loss: Math.min(l3, clipLoss), clipped, dualClipped: clipLoss > l3 }
}

/** The unclipped surrogate loss −A·ρ (vanilla policy gradient with importance ratio). */
export const unclippedSurrogate = (logprob: number, oldLogprob: number, advantage: number): number =>
  -advantage * Math.exp(logprob - oldLogprob)

export interface PolicyLossResult {
  readonly pgLoss: number
  readonly clipfrac: number
  readonly clipfracLower: number
  /** Token mean of log π_old − log π (verl `ppo_kl`). */
  readonly ppoKl: number
}

type Ragged = ReadonlyArray<ReadonlyArray<number>>

/** Policy loss over ragged per-response tokens (plain arrays: the reference for the tensor version). */
export const policyLoss = (
  logprobs: Ragged,
  oldLogprobs: Ragged,
  advantages: Ragged,
  mode: LossAggregation,
  options: ClipOptions = {}
): PolicyLossResult => {
  const per = logprobs.map((row, b) => row.map((lp, t) => clippedSurrogate(lp, oldLogprobs[b]![t]!, advantages[b]![t]!, options)))
  const flat = per.flat()
  const n = Math.max(flat.length, 1)
  return {
    pgLoss: aggregate(per.map((row) => row.map((x) => x.loss)), mode),
    clipfrac: flat.filter((x) => x.clipped).length / n,
    clipfracLower: flat.filter((x) => x.dualClipped).length / n,
    ppoKl: logprobs.flat().reduce((s, lp, i) => s + oldLogprobs.flat()[i]! - lp, 0) / n
  }
}

export interface PolicyLossTensors {
  readonly pgLoss: tf.Scalar
  readonly clipfrac: tf.Scalar
  readonly clipfracLower: tf.Scalar
  readonly ppoKl: tf.Scalar
}

/** Tensor version on padded `[B, T]` tensors with a 0/1 mask; gradients flow through `logprobs`. */
export const policyLossTensor = (
  logprobs: tf.Tensor,
  oldLogprobs: tf.Tensor,
  advantages: tf.Tensor,
  mask: tf.Tensor,
  mode: LossAggregation,
  options: ClipOptions = {}
): PolicyLossTensors => {
  const lo = options.clipLow ?? 0.2
  const hi = options.clipHigh ?? lo
  return tf.tidy(() => {
    const negApproxKl = tf.sub(logprobs, oldLogprobs)
    const ratio = tf.exp(negApproxKl)
    const l1 = tf.mul(tf.neg(advantages), ratio)
    const l2 = tf.mul(tf.neg(advantages), tf.clipByValue(ratio, 1 - lo, 1 + hi))
    const clipLoss = tf.maximum(l1, l2)
    const clipfrac = maskedMean(tf.cast(tf.greater(l2, l1), "float32"), mask)
    let losses: tf.Tensor = clipLoss
    let clipfracLower: tf.Scalar = tf.scalar(0)
    if (options.clipRatioC !== undefined) {
      const l3 = tf.mul(tf.neg(advantages), options.clipRatioC)
      const neg = tf.less(advantages, 0)
      losses = tf.where(neg, tf.minimum(l3, clipLoss), clipLoss)
      clipfracLower = maskedMean(tf.cast(tf.logicalAnd(tf.greater(clipLoss, l3), neg), "float32"), mask)
    }
    return {
      pgLoss: aggregateTensor(losses, mask, mode),
      clipfrac,
      clipfracLower,
      ppoKl: maskedMean(tf.neg(negApproxKl), mask)
    }
  })
}

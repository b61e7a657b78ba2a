/**
 * How SFT turns a batch's token negative log-likelihoods into the loss.
 *
 * - `batch-token-mean` (the default; absent = this): the sum over the batch's
 *   target tokens divided by their count. With length-bucketed batches a
 *   token's gradient weight is then 1 / (tokens in its batch): a token in a
 *   batch of short documents weighs up to ≈10× one in a batch of long
 *   documents. Whatever is typical of short documents (e.g. the terse style's
 *   first token) is over-weighted, and the optimum of the loss is no longer the
 *   corpus distribution (issue 15: 69% terse weight for 51% terse documents).
 * - `fixed-token-budget`: the sum divided by a constant `tokens`, so every
 *   target token weighs 1 / `tokens` in every batch, whatever the batch's
 *   lengths (verl's `seq-mean-token-sum-norm` idea); splitting the same
 *   documents into other batches leaves the summed loss unchanged.
 *
 * Choosing `tokens`: set it to the corpus's mean target tokens per batch. Then
 * the average gradient magnitude equals the one `batch-token-mean` gives, so
 * the same lr gives the same average per-token step and the gradient clip
 * triggers about as often. (AdamW divides by √v, so a constant loss scale
 * cancels out of its step anyway except through `eps` and the clip; what the
 * normalisation changes is the relative weight of batches.)
 */
import * as tf from "@tensorflow/tfjs"
import { Schema } from "effect"

export const SftLossNorm = Schema.Union(
  Schema.TaggedStruct("batch-token-mean", {}),
  Schema.TaggedStruct("fixed-token-budget", {
    /** The constant divisor: target tokens of an average batch. */
    tokens: Schema.Number.pipe(Schema.positive())
  })
)
export type SftLossNorm = typeof SftLossNorm.Type

export const BATCH_TOKEN_MEAN: SftLossNorm = { _tag: "batch-token-mean" }

/**
 * The loss of one batch from its per-token NLLs (ragged rows, targets only);
 * the reference for `normalisedNllTensor`. An empty batch has loss 0.
 */
export const normalisedNll = (nll: ReadonlyArray<ReadonlyArray<number>>, norm: SftLossNorm): number => {
  let sum = 0
  let count = 0
  for (const row of nll) for (const x of row) (sum += x), count++
  return norm._tag === "batch-token-mean" ? sum / Math.max(count, 1) : sum / norm.tokens
}

/**
 * The loss from padded `[B, T]` token log-probabilities and their 0/1 target
 * `mask` (differentiable; call inside tidy/variableGrads). `batch-token-mean`
 * is computed with exactly the operations SFT always used, so runs under the
 * default stay bit-identical.
 */
export const normalisedNllTensor = (logprobs: tf.Tensor, mask: tf.Tensor, norm: SftLossNorm): tf.Scalar => {
  const total = tf.sum(tf.mul(logprobs, mask))
  const divisor = norm._tag === "batch-token-mean" ? tf.maximum(tf.sum(mask), 1) : tf.scalar(norm.tokens)
  return tf.neg(tf.div(total, divisor)) as tf.Scalar
}

/** The batch's mean NLL per target token from its loss under `norm` (for logs comparable across norms). */
export const meanNllOf = (loss: number, targetTokens: number, norm: SftLossNorm): number =>
  norm._tag === "batch-token-mean" ? loss : (loss * norm.tokens) / Math.max(targetTokens, 1)

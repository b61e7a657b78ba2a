/**
 * How per-token losses become one scalar (verl `agg_loss`). The choice
 * changes how much long responses weigh:
 * - `token-mean`: every token of the batch counts once (verl's default, the paper's runs);
 * - `seq-mean-token-sum`: sum over a response's tokens, mean over responses;
 * - `seq-mean-token-mean`: mean over a response's tokens, mean over responses.
 */
import * as tf from "@tensorflow/tfjs"
import { Schema } from "effect"

export const LossAggregation = Schema.Literal("token-mean", "seq-mean-token-sum", "seq-mean-token-mean")
export type LossAggregation = typeof LossAggregation.Type

/** Aggregates ragged per-response token losses. Responses with no tokens count as 0-length (skipped by token-mean, 0 in seq means). */
export const aggregate = (losses: ReadonlyArray<ReadonlyArray<number>>, mode: LossAggregation): number => {
  if (losses.length === 0) return 0
  switch (mode) {
    case "token-mean": {
      let s = 0
      let n = 0
      for (const row of losses) for (const x of row) (s += x), n++
      return n === 0 ? 0 : s / n
    }
    case "seq-mean-token-sum":
      return losses.reduce((acc, row) => acc + row.reduce((a, x) => a + x, 0), 0) / losses.length
    case "seq-mean-token-mean":
      return losses.reduce((acc, row) => acc + (row.length === 0 ? 0 : row.reduce((a, x) => a + x, 0) / row.length), 0) / losses.length
  }
}

/**
 * Tensor version over a padded `[B, T]` loss and its 0/1 `mask`: gradients flow
 * through `loss`. Matches `aggregate` on the unpadded rows.
 */
export const aggregateTensor = (loss: tf.Tensor, mask: tf.Tensor, mode: LossAggregation): tf.Scalar =>
  tf.tidy(() => {
    const masked = tf.mul(loss, mask)
    switch (mode) {
      case "token-mean":
        return tf.div(tf.sum(masked), tf.maximum(tf.sum(mask), 1)) as tf.Scalar
      case "seq-mean-token-sum":
        return tf.mean(tf.sum(masked, -1)) as tf.Scalar
      case "seq-mean-token-mean":
        return tf.mean(tf.div(tf.sum(masked, -1), tf.maximum(tf.sum(mask, -1), 1))) as tf.Scalar
    }
  })

/** Padded `[B, T]` masked mean (verl `masked_mean`), for metrics. */
export const maskedMean = (x: tf.Tensor, mask: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar)

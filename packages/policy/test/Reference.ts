/**
 * The same model written the obvious way with stock tfjs ops and autograd
 * (batched/transposed matmuls, slice-based rotate_half, tile for GQA): the
 * reference the hand-written fast-path gradients are checked against.
 */
import * as tf from "@tensorflow/tfjs"
import type { ModelConfig } from "../src/ModelConfig.ts"
import type { Weights } from "../src/Weights.ts"

const rms = (x: tf.Tensor, g: tf.Tensor, eps: number) => tf.mul(tf.div(x, tf.sqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), g)

/** Sum of the log-probs of tokens[:, 1:] (a scalar loss to differentiate). */
export const referenceLogprobSum = (c: ModelConfig, w: Weights, tokens: ReadonlyArray<ReadonlyArray<number>>): tf.Scalar => {
  const B = tokens.length
  const T = tokens[0]!.length
  const H = c.num_attention_heads
  const KVH = c.num_key_value_heads
  const hd = c.hidden_size / H
  const half = hd / 2
  const cosA: Array<number> = []
  const sinA: Array<number> = []
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < hd; j++) {
      const ang = t * Math.pow(c.rope_theta, (-2 * (j % half)) / hd)
      cosA.push(Math.cos(ang))
      sinA.push(Math.sin(ang))
    }
  }
  const cos = tf.tensor4d(cosA, [1, T, 1, hd])
  const sin = tf.tensor4d(sinA, [1, T, 1, hd])
  const rope = (x: tf.Tensor, heads: number) => {
    const x4 = tf.reshape(x, [B, T, heads, hd])
    const x1 = tf.slice(x4, [0, 0, 0, 0], [B, T, heads, half])
    const x2 = tf.slice(x4, [0, 0, 0, half], [B, T, heads, half])
    return tf.add(tf.mul(x4, cos), tf.mul(tf.concat([tf.neg(x2), x1], 3), sin))
  }
  const maskA: Array<number> = []
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) maskA.push(j > i ? -1e9 : 0)
  const mask = tf.tensor2d(maskA, [T, T])
  const onehot = tf.oneHot(tf.tensor1d(tokens.flat(), "int32"), c.vocab_size).toFloat()
  let x: tf.Tensor = tf.matMul(onehot, w.embed)
  for (const l of w.layers) {
    const h = rms(x, l.inNorm, c.rms_norm_eps)
    const q = tf.transpose(rope(tf.matMul(h as tf.Tensor2D, l.wq), H), [0, 2, 1, 3])
    let k = tf.transpose(rope(tf.matMul(h as tf.Tensor2D, l.wk), KVH), [0, 2, 1, 3])
    let v = tf.transpose(tf.reshape(tf.matMul(h as tf.Tensor2D, l.wv), [B, T, KVH, hd]), [0, 2, 1, 3])
    if (KVH !== H) {
      const G = H / KVH
      const repeat = (x: tf.Tensor) =>
        tf.concat(Array.from({ length: H }, (_, h) => tf.slice(x, [0, Math.floor(h / G), 0, 0], [B, 1, T, hd])), 1)
      k = repeat(k)
      v = repeat(v)
    }
    const s = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(hd)), mask)
    const o = tf.reshape(tf.transpose(tf.matMul(tf.softmax(s), v), [0, 2, 1, 3]), [B * T, c.hidden_size])
    x = tf.add(x, tf.matMul(o, l.wo))
    const h2 = rms(x, l.postNorm, c.rms_norm_eps) as tf.Tensor2D
    const g = tf.matMul(h2, l.wg)
    x = tf.add(x, tf.matMul(tf.mul(tf.mul(g, tf.sigmoid(g)), tf.matMul(h2, l.wu)), l.wd))
  }
  const head = w.lmHead ?? tf.transpose(w.embed)
  const logp = tf.logSoftmax(tf.matMul(rms(x, w.norm, c.rms_norm_eps) as tf.Tensor2D, head))
  const next: Array<number> = []
  const keep: Array<number> = []
  for (const row of tokens) for (let t = 0; t < T; t++) {
    next.push(t + 1 < T ? row[t + 1]! : 0)
    keep.push(t + 1 < T ? 1 : 0)
  }
  const target = tf.mul(tf.oneHot(tf.tensor1d(next, "int32"), c.vocab_size).toFloat(), tf.tensor2d(keep, [B * T, 1]))
  return tf.sum(tf.mul(logp, target))
}

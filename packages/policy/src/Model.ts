/**
 * The transformer's forward passes: the full-sequence one for scoring (and
 * gradients), and the KV-cache prefill + one-token step for sampling.
 */
import * as tf from "@tensorflow/tfjs"
import type { ModelConfig } from "./ModelConfig.ts"
import { causalAttention, causalMask, linear, linearConst, rmsNorm, ropeTables, rotateHalfMatrix, silu } from "./Ops.ts"
import type { Weights } from "./Weights.ts"

/** Constant tensors a model needs (rotary tables, masks); kept until `dispose`. */
export class Runtime {
  readonly cos: Float32Array
  readonly sin: Float32Array
  private readonly cosT: tf.Tensor2D
  private readonly sinT: tf.Tensor2D
  readonly rotate: (x: tf.Tensor2D) => tf.Tensor2D
  private readonly r: tf.Tensor2D
  private readonly rT: tf.Tensor2D

  constructor(readonly config: ModelConfig) {
    const hd = config.hidden_size / config.num_attention_heads
    const { cos, sin } = ropeTables(config.max_position_embeddings, hd, config.rope_theta)
    this.cos = cos
    this.sin = sin
    this.cosT = tf.keep(tf.tensor2d(cos, [config.max_position_embeddings, hd]))
    this.sinT = tf.keep(tf.tensor2d(sin, [config.max_position_embeddings, hd]))
    this.r = tf.keep(tf.tensor2d(rotateHalfMatrix(hd), [hd, hd]))
    this.rT = tf.keep(tf.transpose(this.r))
    this.rotate = linearConst(this.r, this.rT)
  }

  /** cos/sin for positions 0..T-1 as [1, T, 1, hd]. */
  tables(T: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
    const hd = this.cosT.shape[1]
    return {
      cos: tf.reshape(tf.slice(this.cosT, [0, 0], [T, hd]), [1, T, 1, hd]),
      sin: tf.reshape(tf.slice(this.sinT, [0, 0], [T, hd]), [1, T, 1, hd])
    }
  }

  /** cos/sin for arbitrary positions (flattened [n]) as [n, 1, hd]. */
  tablesAt(positions: ReadonlyArray<number>): { cos: tf.Tensor3D; sin: tf.Tensor3D } {
    const hd = this.cosT.shape[1]
    const c = new Float32Array(positions.length * hd)
    const s = new Float32Array(positions.length * hd)
    positions.forEach((p, i) => {
      c.set(this.cos.subarray(p * hd, (p + 1) * hd), i * hd)
      s.set(this.sin.subarray(p * hd, (p + 1) * hd), i * hd)
    })
    return { cos: tf.tensor3d(c, [positions.length, 1, hd]), sin: tf.tensor3d(s, [positions.length, 1, hd]) }
  }

  /** A fresh [T, T] causal mask (not cached, so tensor counts stay flat across lengths). */
  mask(T: number): tf.Tensor2D {
    return causalMask(T)
  }

  dispose(): void {
    this.cosT.dispose()
    this.sinT.dispose()
    this.r.dispose()
    this.rT.dispose()
  }
}

/** [N, V] float one-hot, built in JS (the wasm OneHot kernel ignores a float dtype). */
export const oneHot = (ids: ReadonlyArray<number>, V: number): tf.Tensor2D => {
  const m = new Float32Array(ids.length * V)
  ids.forEach((id, i) => {
    m[i * V + id] = 1
  })
  return tf.tensor2d(m, [ids.length, V])
}

const embedTokens = (w: Weights, ids: ReadonlyArray<number>, V: number): tf.Tensor2D =>
  // one-hot × matrix: the gather gradient (UnsortedSegmentSum) is missing on wasm.
  linear(oneHot(ids, V), w.embed)

/** [N, nh·hd] with cos/sin broadcastable to [.., nh, hd] in `shape4`. */
const applyRope = (
  rt: Runtime,
  x: tf.Tensor2D,
  shape4: [number, number, number, number],
  cos: tf.Tensor,
  sin: tf.Tensor
): tf.Tensor2D => {
  const [a, b, nh, hd] = shape4
  const rot = tf.reshape(rt.rotate(tf.reshape(x, [a * b * nh, hd])), shape4)
  return tf.reshape(tf.add(tf.mul(tf.reshape(x, shape4), cos), tf.mul(rot, sin)), [a * b, nh * hd])
}

const mlp = (w: Weights["layers"][number], h: tf.Tensor2D): tf.Tensor2D =>
  linear(tf.mul(silu(linear(h, w.wg)), linear(h, w.wu)), w.wd)

const lmHead = (w: Weights, h: tf.Tensor2D): tf.Tensor2D =>
  linear(h, w.lmHead ?? (tf.transpose(w.embed) as tf.Tensor2D))

/**
 * Full causal forward over [B, T] right-padded tokens. Returns the final
 * normed hidden states [B·T, d] and logits [B·T, V]; row b·T+t predicts token t+1.
 */
export const forward = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokens: ReadonlyArray<ReadonlyArray<number>>
): { hidden: tf.Tensor2D; logits: tf.Tensor2D } => {
  const B = tokens.length
  const T = tokens[0]!.length
  const H = c.num_attention_heads
  const KVH = c.num_key_value_heads
  const hd = c.hidden_size / H
  const scale = 1 / Math.sqrt(hd)
  const attention = causalAttention(B, T, H, KVH, hd, rt.mask(T))
  const { cos, sin } = rt.tables(T)
  let x = embedTokens(w, tokens.flat(), c.vocab_size)
  for (const l of w.layers) {
    const h = rmsNorm(x, l.inNorm, c.rms_norm_eps)
    const q = applyRope(rt, tf.mul(linear(h, l.wq), scale), [B, T, H, hd], cos, sin)
    const k = applyRope(rt, linear(h, l.wk), [B, T, KVH, hd], cos, sin)
    const v = linear(h, l.wv)
    x = tf.add(x, linear(attention(q, k, v), l.wo))
    x = tf.add(x, mlp(l, rmsNorm(x, l.postNorm, c.rms_norm_eps)))
  }
  const hidden = rmsNorm(x, w.norm, c.rms_norm_eps)
  return { hidden, logits: lmHead(w, hidden) }
}

/** [B, T] with column 0 = 0 and column t = next[:, t-1]: aligns "predicts t+1" rows with token t. */
export const shiftRight = (next: tf.Tensor2D): tf.Tensor2D => {
  const [B, T] = next.shape
  if (T === 1) return tf.zerosLike(next)
  return tf.concat([tf.zeros([B, 1]), tf.slice(next, [0, 0], [B, T - 1])], 1)
}

/** Per-token log-probs, entropies and optionally values, [B, T] each (column 0 is 0). */
export const scoreForward = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokens: ReadonlyArray<ReadonlyArray<number>>,
  withValues: boolean
): { logprobs: tf.Tensor2D; entropies: tf.Tensor2D; values?: tf.Tensor2D } =>
  tf.tidy(() => {
    const B = tokens.length
    const T = tokens[0]!.length
    const { hidden, logits } = forward(c, rt, w, tokens)
    const logp = tf.logSoftmax(logits)
    const next: Array<number> = []
    for (const row of tokens) for (let t = 0; t < T; t++) next.push(t + 1 < T ? row[t + 1]! : 0)
    const target = oneHot(next, c.vocab_size)
    const lp = tf.reshape(tf.sum(tf.mul(logp, target), -1), [B, T]) as tf.Tensor2D
    const ent = tf.reshape(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1)), [B, T]) as tf.Tensor2D
    const out: { logprobs: tf.Tensor2D; entropies: tf.Tensor2D; values?: tf.Tensor2D } = {
      logprobs: shiftRight(lp),
      entropies: shiftRight(ent)
    }
    if (withValues) {
      const v = tf.reshape(tf.add(linear(hidden, w.valueW), w.valueB), [B, T]) as tf.Tensor2D
      out.values = shiftRight(v)
    }
    return out
  })

/** Keys and values of every layer: [B, KVH, L, hd]. */
export interface KVCache {
  readonly k: ReadonlyArray<tf.Tensor4D>
  readonly v: ReadonlyArray<tf.Tensor4D>
}

export const disposeCache = (cache: KVCache): void => {
  for (const t of cache.k) t.dispose()
  for (const t of cache.v) t.dispose()
}

/** Attention of queries [B·KVH, G·Q, hd] over keys/values [B·KVH, L, hd] with an additive mask broadcastable to [B, H, Q, L]. */
const cachedAttention = (
  q: tf.Tensor, // [B, Q, H, hd]
  k: tf.Tensor4D, // [B, KVH, L, hd]
  v: tf.Tensor4D,
  mask: tf.Tensor,
  B: number,
  Q: number,
  H: number,
  KVH: number,
  hd: number
): tf.Tensor2D => {
  const L = k.shape[2]
  const G = H / KVH
  const qh = tf.reshape(tf.transpose(tf.reshape(q, [B, Q, H, hd]), [0, 2, 1, 3]), [B * KVH, G * Q, hd])
  const s = tf.matMul(qh, tf.reshape(k, [B * KVH, L, hd]), false, true)
  const p = tf.softmax(tf.add(tf.reshape(s, [B, H, Q, L]), mask))
  const o = tf.matMul(tf.reshape(p, [B * KVH, G * Q, L]), tf.reshape(v, [B * KVH, L, hd]))
  return tf.reshape(tf.transpose(tf.reshape(o, [B, H, Q, hd]), [0, 2, 1, 3]), [B * Q, H * hd])
}

/**
 * Runs the prompt [B, P] (left-padded: row b has `pads[b]` pad tokens first)
 * and returns the logits of the last position [B, V] and the cache.
 * Row b's token at column t sits at rotary position t − pads[b].
 */
export const prefill = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokens: ReadonlyArray<ReadonlyArray<number>>,
  pads: ReadonlyArray<number>
): { logits: tf.Tensor2D; cache: KVCache } =>
  tf.tidy(() => {
    const B = tokens.length
    const P = tokens[0]!.length
    const H = c.num_attention_heads
    const KVH = c.num_key_value_heads
    const hd = c.hidden_size / H
    const positions: Array<number> = []
    const m = new Float32Array(B * P * P)
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < P; t++) {
        positions.push(Math.max(0, t - pads[b]!))
        for (let j = 0; j < P; j++) if (j > t || j < pads[b]!) m[(b * P + t) * P + j] = -1e9
      }
    }
    const mask = tf.tensor4d(m, [B, 1, P, P])
    const tab = rt.tablesAt(positions)
    const cos = tf.reshape(tab.cos, [B, P, 1, hd])
    const sin = tf.reshape(tab.sin, [B, P, 1, hd])
    let x = embedTokens(w, tokens.flat(), c.vocab_size)
    const ks: Array<tf.Tensor4D> = []
    const vs: Array<tf.Tensor4D> = []
    for (const l of w.layers) {
      const h = rmsNorm(x, l.inNorm, c.rms_norm_eps)
      const q = applyRope(rt, tf.mul(linear(h, l.wq), 1 / Math.sqrt(hd)), [B, P, H, hd], cos, sin)
      const k = tf.transpose(
        tf.reshape(applyRope(rt, linear(h, l.wk), [B, P, KVH, hd], cos, sin), [B, P, KVH, hd]),
        [0, 2, 1, 3]
      ) as tf.Tensor4D
      const v = tf.transpose(tf.reshape(linear(h, l.wv), [B, P, KVH, hd]), [0, 2, 1, 3]) as tf.Tensor4D
      ks.push(k)
      vs.push(v)
      x = tf.add(x, linear(cachedAttention(q, k, v, mask, B, P, H, KVH, hd), l.wo))
      x = tf.add(x, mlp(l, rmsNorm(x, l.postNorm, c.rms_norm_eps)))
    }
    const last = tf.reshape(tf.slice(tf.reshape(x, [B, P, c.hidden_size]), [0, P - 1, 0], [B, 1, c.hidden_size]), [
      B,
      c.hidden_size
    ]) as tf.Tensor2D
    return { logits: lmHead(w, rmsNorm(last, w.norm, c.rms_norm_eps)), cache: { k: ks, v: vs } }
  })

/**
 * One decoding step: `tokens` [B] at rotary `positions` [B], attending to the
 * cache plus themselves; `keyMask` [B, L+1] is additive (−1e9 on left pads).
 * Returns logits [B, V] and the grown cache (the old one is not disposed).
 */
export const decodeStep = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokens: ReadonlyArray<number>,
  positions: ReadonlyArray<number>,
  cache: KVCache,
  keyMask: Float32Array
): { logits: tf.Tensor2D; cache: KVCache } =>
  tf.tidy(() => {
    const B = tokens.length
    const H = c.num_attention_heads
    const KVH = c.num_key_value_heads
    const hd = c.hidden_size / H
    const L = cache.k[0]!.shape[2] + 1
    const mask = tf.tensor4d(keyMask, [B, 1, 1, L])
    const { cos, sin } = rt.tablesAt(positions)
    let x = embedTokens(w, tokens, c.vocab_size)
    const ks: Array<tf.Tensor4D> = []
    const vs: Array<tf.Tensor4D> = []
    w.layers.forEach((l, i) => {
      const h = rmsNorm(x, l.inNorm, c.rms_norm_eps)
      const q = applyRope(rt, tf.mul(linear(h, l.wq), 1 / Math.sqrt(hd)), [B, 1, H, hd], tf.reshape(cos, [B, 1, 1, hd]), tf.reshape(sin, [B, 1, 1, hd]))
      const kNew = tf.reshape(
        applyRope(rt, linear(h, l.wk), [B, 1, KVH, hd], tf.reshape(cos, [B, 1, 1, hd]), tf.reshape(sin, [B, 1, 1, hd])),
        [B, KVH, 1, hd]
      )
      const vNew = tf.reshape(linear(h, l.wv), [B, KVH, 1, hd])
      const k = tf.concat([cache.k[i]!, kNew], 2) as tf.Tensor4D
      const v = tf.concat([cache.v[i]!, vNew], 2) as tf.Tensor4D
      ks.push(k)
      vs.push(v)
      x = tf.add(x, linear(cachedAttention(q, k, v, mask, B, 1, H, KVH, hd), l.wo))
      x = tf.add(x, mlp(l, rmsNorm(x, l.postNorm, c.rms_norm_eps)))
    })
    return { logits: lmHead(w, rmsNorm(x, w.norm, c.rms_norm_eps)), cache: { k: ks, v: vs } }
  })

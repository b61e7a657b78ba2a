/**
 * The transformer's forward passes: the full-sequence one for scoring (and
 * gradients), and the KV-cache prefill + one-token step for sampling.
 */
import * as tf from "@tensorflow/tfjs"
import { simdKernels } from "./KernelChoice.ts"
import type { ModelConfig } from "./ModelConfig.ts"
import { wasmHeapView } from "./WasmKernels.ts"
import { causalAttention, causalMask, linear, linearConst, rmsNorm, ropeTables, rotateHalfMatrix, swiglu } from "./Ops.ts"
import { ropeAttentionSimd, swigluSimd } from "./SimdAttention.ts"
import type { Weights } from "./Weights.ts"

/** Constant tensors a model needs (rotary tables, masks); kept until `dispose`. */
export class Runtime {
  readonly cos: Float32Array
  readonly sin: Float32Array
  private readonly cosT: tf.Tensor2D
  private readonly sinT: tf.Tensor2D
  readonly rotate: (x: tf.Tensor2D) => tf.Tensor2D
  /** R [hd, hd] with x·R = rotate_half(x). */
  readonly rotation: tf.Tensor2D
  private readonly rT: tf.Tensor2D

  constructor(readonly config: ModelConfig) {
    const hd = config.hidden_size / config.num_attention_heads
    const { cos, sin } = ropeTables(config.max_position_embeddings, hd, config.rope_theta)
    this.cos = cos
    this.sin = sin
    this.cosT = tf.keep(tf.tensor2d(cos, [config.max_position_embeddings, hd]))
    this.sinT = tf.keep(tf.tensor2d(sin, [config.max_position_embeddings, hd]))
    this.rotation = tf.keep(tf.tensor2d(rotateHalfMatrix(hd), [hd, hd]))
    this.rT = tf.keep(tf.transpose(this.rotation))
    this.rotate = linearConst(this.rotation, this.rT)
  }

  /** cos/sin for positions 0..T-1 as [1, T, 1, hd]. */
  tables(T: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
    const hd = this.cosT.shape[1]
    return {
      cos: tf.reshape(tf.slice(this.cosT, [0, 0], [T, hd]), [1, T, 1, hd]),
      sin: tf.reshape(tf.slice(this.sinT, [0, 0], [T, hd]), [1, T, 1, hd])
    }
  }

  /**
   * Per-row multipliers for the fused decode projection [q k | q·R k·R | v]:
   * cos tiled over the q and k heads, then sin likewise, then ones for v; [n, 2(H+KVH)·hd + KVH·hd].
   */
  ropeFactors(positions: ReadonlyArray<number>): tf.Tensor2D {
    const hd = this.cosT.shape[1]
    const heads = this.config.num_attention_heads + this.config.num_key_value_heads
    const width = 2 * heads * hd + this.config.num_key_value_heads * hd
    const f = new Float32Array(positions.length * width).fill(1)
    positions.forEach((p, i) => {
      const c = this.cos.subarray(p * hd, (p + 1) * hd)
      const s = this.sin.subarray(p * hd, (p + 1) * hd)
      for (let h = 0; h < heads; h++) {
        f.set(c, i * width + h * hd)
        f.set(s, i * width + (heads + h) * hd)
      }
    })
    return tf.tensor2d(f, [positions.length, width])
  }

  /** A fresh [T, T] causal mask (not cached, so tensor counts stay flat across lengths). */
  mask(T: number): tf.Tensor2D {
    return causalMask(T)
  }

  dispose(): void {
    this.cosT.dispose()
    this.sinT.dispose()
    this.rotation.dispose()
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

/**
 * Rows `ids` of `table` [V, d] by gather, with the gradient a scatter-add of dy
 * into [V, d] (ScatterNd sums duplicate rows): tfjs' own gather gradient
 * (UnsortedSegmentSum) is missing on wasm, and a one-hot × matrix costs an
 * [N, V] tensor: 151936 columns per token for Qwen2.
 */
export const embedRows = (table: tf.Tensor2D, ids: ReadonlyArray<number>): tf.Tensor2D => {
  const [V, d] = table.shape
  return (tf.customGrad((t: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.tidy(() => tf.gather(t as tf.Tensor2D, tf.tensor1d(ids as Array<number>, "int32"))),
    gradFunc: (dy: tf.Tensor) => tf.tidy(() => tf.scatterND(tf.tensor2d(ids as Array<number>, [ids.length, 1], "int32"), dy, [V, d]))
  })) as unknown as (t: tf.Tensor2D) => tf.Tensor2D)(table)
}

/** x[i, targets[i]] for x [N, V], differentiable (gradient scattered back into [N, V]); no [N, V] one-hot. */
export const pickColumns = (x: tf.Tensor2D, targets: ReadonlyArray<number>): tf.Tensor1D => {
  const [N, V] = x.shape
  const idx = targets.flatMap((t, i) => [i, t])
  return (tf.customGrad((a: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.tidy(() => tf.gatherND(a as tf.Tensor2D, tf.tensor2d(idx, [N, 2], "int32"))),
    gradFunc: (dy: tf.Tensor) => tf.tidy(() => tf.scatterND(tf.tensor2d(idx, [N, 2], "int32"), dy, [N, V]))
  })) as unknown as (a: tf.Tensor2D) => tf.Tensor1D)(x)
}

const embedTokens = (w: Weights, ids: ReadonlyArray<number>): tf.Tensor2D => embedRows(w.embed, ids)

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

/** SwiGLU with gate|up fused into one matmul (for the training path). */
const fusedMlp = (w: Weights["layers"][number], h: tf.Tensor2D): tf.Tensor2D => {
  return linear(swiglu(linear(h, tf.concat([w.wg, w.wu], 1) as tf.Tensor2D)), w.wd)
}

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
  if (simdKernels(hd)) return forwardSimd(c, rt, w, tokens)
  const attention = causalAttention(B, T, H, KVH, hd, rt.mask(T))
  const { cos, sin } = rt.tables(T)
  let x = embedTokens(w, tokens.flat())
  const d = c.hidden_size
  const kv = KVH * hd
  const N = B * T
  for (const l of w.layers) {
    const h = rmsNorm(x, l.inNorm, c.rms_norm_eps)
    // One fused q|k|v matmul: one activation transpose in the backward pass instead of three.
    const qkvW = linear(h, tf.concat([l.wq, l.wk, l.wv], 1) as tf.Tensor2D)
    const qkv = l.bq === undefined ? qkvW : (tf.add(qkvW, tf.concat([l.bq, l.bk!, l.bv!])) as tf.Tensor2D)
    const q = applyRope(rt, tf.mul(tf.slice(qkv, [0, 0], [N, d]), scale), [B, T, H, hd], cos, sin)
    const k = applyRope(rt, tf.slice(qkv, [0, d], [N, kv]) as tf.Tensor2D, [B, T, KVH, hd], cos, sin)
    const v = tf.slice(qkv, [0, d + kv], [N, kv]) as tf.Tensor2D
    x = tf.add(x, linear(attention(q, k, v), l.wo))
    x = tf.add(x, fusedMlp(l, rmsNorm(x, l.postNorm, c.rms_norm_eps)))
  }
  const hidden = rmsNorm(x, w.norm, c.rms_norm_eps)
  return { hidden, logits: lmHead(w, hidden) }
}

/** `forward` with the SIMD kernels: the q|k|v split, rotary, scale and attention are one op per layer, SwiGLU another. */
const forwardSimd = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokens: ReadonlyArray<ReadonlyArray<number>>
): { hidden: tf.Tensor2D; logits: tf.Tensor2D } => {
  const B = tokens.length
  const T = tokens[0]!.length
  const H = c.num_attention_heads
  const KVH = c.num_key_value_heads
  const attention = ropeAttentionSimd(B, T, H, KVH, c.hidden_size / H, rt.cos, rt.sin)
  let x = embedTokens(w, tokens.flat())
  for (const l of w.layers) {
    const h = rmsNorm(x, l.inNorm, c.rms_norm_eps)
    const qkvW = linear(h, tf.concat([l.wq, l.wk, l.wv], 1) as tf.Tensor2D)
    const qkv = l.bq === undefined ? qkvW : (tf.add(qkvW, tf.concat([l.bq, l.bk!, l.bv!])) as tf.Tensor2D)
    x = tf.add(x, linear(attention(qkv), l.wo))
    const gu = linear(rmsNorm(x, l.postNorm, c.rms_norm_eps), tf.concat([l.wg, l.wu], 1) as tf.Tensor2D)
    x = tf.add(x, linear(swigluSimd(gu), l.wd))
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

/** Per-token log-probs, entropies (of softmax(logits / temperature)) and optionally values, [B, T] each (column 0 is 0). */
export const scoreForward = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokens: ReadonlyArray<ReadonlyArray<number>>,
  withValues: boolean,
  temperature = 1
): { logprobs: tf.Tensor2D; entropies: tf.Tensor2D; values?: tf.Tensor2D } =>
  tf.tidy(() => {
    const B = tokens.length
    const T = tokens[0]!.length
    const { hidden, logits } = forward(c, rt, w, tokens)
    // verl scores the actor and the reference at the rollout temperature (logits / T).
    const logp = tf.logSoftmax(temperature === 1 ? logits : tf.div(logits, temperature))
    const next: Array<number> = []
    for (const row of tokens) for (let t = 0; t < T; t++) next.push(t + 1 < T ? row[t + 1]! : 0)
    const lp = tf.reshape(pickColumns(logp as tf.Tensor2D, next), [B, T]) as tf.Tensor2D
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

/**
 * Weights rearranged for sampling, built once per `generate`: q|k|v and
 * gate|up fused, RMSNorm gains folded into the following matmul, 1/√hd folded
 * into q, the (tied) head transposed. Fewer kernels per step: decoding a
 * small batch is bound by per-kernel overhead, not FLOPs.
 */
export interface DecodeWeights {
  readonly layers: ReadonlyArray<{
    readonly wqkv: tf.Tensor2D
    /** Biases in the same column layout as wqkv (Qwen2), [1, width]. */
    readonly bqkv: tf.Tensor2D | undefined
    readonly wo: tf.Tensor2D
    readonly wgu: tf.Tensor2D
    readonly wd: tf.Tensor2D
  }>
  readonly head: tf.Tensor2D
  readonly embed: tf.Tensor2D
}

export const decodeWeights = (c: ModelConfig, rt: Runtime, w: Weights): DecodeWeights =>
  tf.tidy(() => {
    const H = c.num_attention_heads
    const KVH = c.num_key_value_heads
    const hd = c.hidden_size / H
    const d = c.hidden_size
    const col = (g: tf.Tensor1D) => tf.reshape(g, [d, 1])
    // (x·W)·R per head = x·(W·R): rotate_half folded into extra columns.
    const rotated = (m: tf.Tensor2D, heads: number) =>
      tf.reshape(tf.matMul(tf.reshape(m, [d * heads, hd]), rt.rotation), [d, heads * hd])
    return {
      layers: w.layers.map((l) => {
        const g = col(l.inNorm)
        const q = tf.mul(tf.mul(l.wq, g), 1 / Math.sqrt(hd)) as tf.Tensor2D
        const k = tf.mul(l.wk, g) as tf.Tensor2D
        const row = (b: tf.Tensor1D) => tf.reshape(b, [1, b.shape[0]]) as tf.Tensor2D
        const bq = l.bq === undefined ? undefined : (tf.mul(row(l.bq), 1 / Math.sqrt(hd)) as tf.Tensor2D)
        const bk = l.bk === undefined ? undefined : row(l.bk)
        const rotatedRow = (b: tf.Tensor2D, heads: number) => tf.reshape(tf.matMul(tf.reshape(b, [heads, hd]), rt.rotation), [1, heads * hd])
        return {
          bqkv:
            bq === undefined || bk === undefined
              ? undefined
              : (tf.concat([bq, bk, rotatedRow(bq, H), rotatedRow(bk, KVH), row(l.bv!)], 1) as tf.Tensor2D),
          // columns: q | k | q·R | k·R | v
          wqkv: tf.concat([q, k, rotated(q, H), rotated(k, KVH), tf.mul(l.wv, g)], 1) as tf.Tensor2D,
          wo: tf.clone(l.wo),
          wgu: tf.mul(tf.concat([l.wg, l.wu], 1), col(l.postNorm)) as tf.Tensor2D,
          wd: tf.clone(l.wd)
        }
      }),
      head: tf.mul(w.lmHead ?? tf.transpose(w.embed), col(w.norm)) as tf.Tensor2D,
      embed: tf.clone(w.embed)
    }
  })

export const disposeDecodeWeights = (dw: DecodeWeights): void => {
  for (const l of dw.layers) tf.dispose([l.wqkv, l.wo, l.wgu, l.wd, ...(l.bqkv === undefined ? [] : [l.bqkv])])
  tf.dispose([dw.head, dw.embed])
}

/** x / sqrt(mean(x²) + eps), the gain being folded into the next matmul. */
const normalize = (x: tf.Tensor2D, eps: number): tf.Tensor2D =>
  tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))) as tf.Tensor2D

/**
 * One block over n new positions per row. `x` [B·Q, d]; `rope` from
 * `Runtime.ropeFactors`; `past` [B, KVH, L0, hd] or undefined; `mask` additive,
 * broadcastable to [B, H, Q, L0+Q]. Returns the new x and this layer's cache.
 */
const decodeBlock = (
  c: ModelConfig,
  l: DecodeWeights["layers"][number],
  x: tf.Tensor2D,
  B: number,
  Q: number,
  rope: tf.Tensor2D,
  past: { k: tf.Tensor4D; v: tf.Tensor4D; pos?: number } | undefined,
  mask: tf.Tensor
): { x: tf.Tensor2D; k: tf.Tensor4D; v: tf.Tensor4D } => {
  const H = c.num_attention_heads
  const KVH = c.num_key_value_heads
  const G = H / KVH
  const hd = c.hidden_size / H
  const d = c.hidden_size
  const kv = KVH * hd
  const N = B * Q
  // One multiply applies rotary to q|k: [q k | q·R k·R | v] ⊙ [cos | sin | 1], then add the halves.
  const proj = tf.matMul(normalize(x, c.rms_norm_eps), l.wqkv)
  const qkvf = tf.mul(l.bqkv === undefined ? proj : tf.add(proj, l.bqkv), rope)
  const qkr = tf.add(tf.slice(qkvf, [0, 0], [N, d + kv]), tf.slice(qkvf, [0, d + kv], [N, d + kv]))
  const q = tf.slice(qkr, [0, 0], [N, d])
  const kNew = tf.slice(qkr, [0, d], [N, kv])
  const vNew = tf.slice(qkvf, [0, 2 * (d + kv)], [N, kv])
  const toCache = (t: tf.Tensor) =>
    (Q === 1 ? tf.reshape(t, [B, KVH, 1, hd]) : tf.transpose(tf.reshape(t, [B, Q, KVH, hd]), [0, 2, 1, 3])) as tf.Tensor4D
  let k: tf.Tensor4D
  let v: tf.Tensor4D
  if (past === undefined) {
    k = toCache(kNew)
    v = toCache(vNew)
  } else if (past.pos !== undefined) {
    // Preallocated cache (wasm): write this step's row in place, no copy of the past.
    // Attention spans the whole capacity; the mask hides the slots after `pos`.
    writeCacheRow(past.k, kNew, past.pos)
    writeCacheRow(past.v, vNew, past.pos)
    k = past.k
    v = past.v
  } else {
    k = tf.concat([past.k, toCache(kNew)], 2) as tf.Tensor4D
    v = tf.concat([past.v, toCache(vNew)], 2) as tf.Tensor4D
  }
  const L = k.shape[2]
  // Queries grouped by kv head: [B·KVH, G·Q, hd].
  const qh =
    Q === 1
      ? tf.reshape(q, [B * KVH, G, hd])
      : tf.reshape(tf.transpose(tf.reshape(q, [B, Q, H, hd]), [0, 2, 1, 3]), [B * KVH, G * Q, hd])
  const s = tf.matMul(qh, tf.reshape(k, [B * KVH, L, hd]), false, true)
  const p = tf.softmax(tf.add(tf.reshape(s, [B, H, Q, L]), mask))
  const o = tf.matMul(tf.reshape(p, [B * KVH, G * Q, L]), tf.reshape(v, [B * KVH, L, hd]))
  const o2 = Q === 1 ? tf.reshape(o, [N, d]) : tf.reshape(tf.transpose(tf.reshape(o, [B, H, Q, hd]), [0, 2, 1, 3]), [N, d])
  const x1 = tf.add(x, tf.matMul(o2 as tf.Tensor2D, l.wo)) as tf.Tensor2D
  const ff = l.wd.shape[0]
  const gu = tf.matMul(normalize(x1, c.rms_norm_eps), l.wgu)
  const g = tf.slice(gu, [0, 0], [N, ff])
  const m = tf.matMul(tf.mul(tf.mul(g, tf.sigmoid(g)), tf.slice(gu, [0, ff], [N, ff])), l.wd)
  return { x: tf.add(x1, m) as tf.Tensor2D, k, v }
}

/** Writes rows [B, KVH·hd] into cache [B, KVH, Lmax, hd] at position `pos`, in the wasm heap. */
const writeCacheRow = (cache: tf.Tensor4D, rows: tf.Tensor, pos: number): void => {
  const [B, KVH, Lmax, hd] = cache.shape
  const src = rows.dataSync() as Float32Array
  const dst = wasmHeapView(cache)!
  for (let bg = 0; bg < B * KVH; bg++) dst.set(src.subarray(bg * hd, (bg + 1) * hd), (bg * Lmax + pos) * hd)
}

/** True when the KV cache can be preallocated and written in place (wasm). */
export const inPlaceCache = (): boolean => tf.getBackend() === "wasm"

/** Grows a cache [B, KVH, L, hd] to capacity [B, KVH, Lmax, hd] (fresh buffers this code owns). */
export const preallocate = (cache: KVCache, Lmax: number): KVCache => {
  const grow = (t: tf.Tensor4D) => {
    const [B, KVH, P, hd] = t.shape
    return tf.concat([t, tf.zeros([B, KVH, Lmax - P, hd])], 2) as tf.Tensor4D
  }
  return tf.tidy(() => ({ k: cache.k.map(grow), v: cache.v.map(grow) }))
}

/**
 * Runs the prompt [B, P] (left-padded: row b has `pads[b]` pad tokens first)
 * and returns the logits of the last position [B, V] and the cache.
 * Row b's token at column t sits at rotary position t − pads[b].
 */
export const prefill = (
  c: ModelConfig,
  rt: Runtime,
  dw: DecodeWeights,
  tokens: ReadonlyArray<ReadonlyArray<number>>,
  pads: ReadonlyArray<number>
): { logits: tf.Tensor2D; cache: KVCache } =>
  tf.tidy(() => {
    const B = tokens.length
    const P = tokens[0]!.length
    const positions: Array<number> = []
    const m = new Float32Array(B * P * P)
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < P; t++) {
        positions.push(Math.max(0, t - pads[b]!))
        for (let j = 0; j < P; j++) if (j > t || j < pads[b]!) m[(b * P + t) * P + j] = -1e9
      }
    }
    const mask = tf.tensor4d(m, [B, 1, P, P])
    const rope = rt.ropeFactors(positions)
    let x: tf.Tensor2D = tf.gather(dw.embed, tf.tensor1d(tokens.flat(), "int32"))
    const ks: Array<tf.Tensor4D> = []
    const vs: Array<tf.Tensor4D> = []
    for (const l of dw.layers) {
      const out = decodeBlock(c, l, x as tf.Tensor2D, B, P, rope, undefined, mask)
      x = out.x
      ks.push(out.k)
      vs.push(out.v)
    }
    const d = c.hidden_size
    const last = tf.reshape(tf.slice(tf.reshape(x, [B, P, d]), [0, P - 1, 0], [B, 1, d]), [B, d]) as tf.Tensor2D
    return { logits: tf.matMul(normalize(last, c.rms_norm_eps), dw.head) as tf.Tensor2D, cache: { k: ks, v: vs } }
  })

/**
 * One decoding step: `tokens` [B] at rotary `positions` [B], attending to the
 * cache plus themselves; `keyMask` [B, L+1] is additive (−1e9 on left pads).
 * Returns logits [B, V] and the grown cache (the old one is not disposed).
 */
export const decodeStep = (
  c: ModelConfig,
  rt: Runtime,
  dw: DecodeWeights,
  tokens: ReadonlyArray<number>,
  positions: ReadonlyArray<number>,
  cache: KVCache,
  keyMask: Float32Array,
  /** With a preallocated cache: the slot this step writes; keyMask then spans the capacity and must hide slots after it. */
  slot?: number
): { logits: tf.Tensor2D; cache: KVCache } =>
  tf.tidy((): tf.TensorContainerObject => {
    const B = tokens.length
    const L = slot === undefined ? cache.k[0]!.shape[2] + 1 : cache.k[0]!.shape[2]
    const mask = tf.tensor4d(keyMask, [B, 1, 1, L])
    const rope = rt.ropeFactors(positions)
    let x: tf.Tensor2D = tf.gather(dw.embed, tf.tensor1d(tokens as Array<number>, "int32"))
    const ks: Array<tf.Tensor4D> = []
    const vs: Array<tf.Tensor4D> = []
    dw.layers.forEach((l, i) => {
      const out = decodeBlock(c, l, x, B, 1, rope, { k: cache.k[i]!, v: cache.v[i]!, ...(slot === undefined ? {} : { pos: slot }) }, mask)
      x = out.x
      ks.push(out.k)
      vs.push(out.v)
    })
    return {
      logits: tf.matMul(normalize(x, c.rms_norm_eps), dw.head) as tf.Tensor2D,
      cache: slot === undefined ? { k: ks, v: vs } : cache
    } as unknown as tf.TensorContainerObject
  }) as unknown as { logits: tf.Tensor2D; cache: KVCache }

/**
 * The model's building blocks, written for the wasm backend's fast path:
 * every matmul is 2-D and untransposed in the forward AND backward pass
 * (XNNPACK handles only that case; transposed or batched matmuls run a slow
 * loop), via `tf.customGrad` with explicit transposes.
 */
import * as tf from "@tensorflow/tfjs"

/** y = x·w for x [N, in], w [in, out]; dx = dy·wᵀ, dw = xᵀ·dy, all untransposed 2-D matmuls. */
export const linear: (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D = tf.customGrad(
  (x: tf.Tensor | tf.GradSaveFunc, w: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const x2 = x as tf.Tensor2D
    const w2 = w as tf.Tensor2D
    ;(save as tf.GradSaveFunc)([x2, w2])
    return {
      value: tf.matMul(x2, w2),
      gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D]
        const d = dy as tf.Tensor2D
        // tidy: the activation transpose is freed now, not when the whole backward pass ends.
        return tf.tidy(() => [tf.matMul(d, tf.transpose(sw)), tf.matMul(tf.transpose(sx), d)])
      }
    }
  }
) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D

/** y = x·c for a constant c (no gradient for c): dx = dy·cᵀ with cᵀ precomputed. */
export const linearConst = (c: tf.Tensor2D, cT: tf.Tensor2D): ((x: tf.Tensor2D) => tf.Tensor2D) =>
  tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.matMul(x as tf.Tensor2D, c),
    gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, cT)
  })) as unknown as (x: tf.Tensor2D) => tf.Tensor2D

/**
 * RMSNorm over the last axis, y = x·r·g with r = 1/sqrt(mean(x²) + eps), as one op that saves
 * only x and r: dx = r·(dy·g − x·r²·mean(dy·g·x)), dg = Σ_rows dy·x·r.
 */
export const rmsNorm = (x: tf.Tensor2D, g: tf.Tensor1D, eps: number): tf.Tensor2D =>
  rmsNormOp(x, g, tf.scalar(eps))

const rmsNormOp: (x: tf.Tensor2D, g: tf.Tensor1D, eps: tf.Scalar) => tf.Tensor2D = tf.customGrad(
  (xa: tf.Tensor | tf.GradSaveFunc, ga: tf.Tensor | tf.GradSaveFunc, ea: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const x = xa as tf.Tensor2D
    const g = ga as tf.Tensor1D
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), ea as tf.Scalar))
    ;(save as tf.GradSaveFunc)([x, g, r])
    return {
      value: tf.mul(tf.mul(x, r), g),
      gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) =>
        tf.tidy(() => {
          const [sx, sg, sr] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D]
          const xr = tf.mul(sx, sr)
          const dyg = tf.mul(dy, sg)
          const dx = tf.mul(tf.sub(dyg, tf.mul(xr, tf.mean(tf.mul(dyg, xr), -1, true))), sr)
          return [dx, tf.sum(tf.mul(dy, xr), 0), tf.zeros([])]
        })
    }
  }
) as unknown as (x: tf.Tensor2D, g: tf.Tensor1D, eps: tf.Scalar) => tf.Tensor2D

/**
 * SwiGLU on a fused gate|up projection gu [N, 2·ff] → silu(gate)·up [N, ff], as one op that
 * saves only gu: d gate = dy·up·σ·(1 + gate·(1−σ)), d up = dy·silu(gate).
 */
export const swiglu: (gu: tf.Tensor2D) => tf.Tensor2D = tf.customGrad(
  (gua: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const gu = gua as tf.Tensor2D
    const [N, ff2] = gu.shape
    const ff = ff2 / 2
    const g = tf.slice(gu, [0, 0], [N, ff])
    ;(save as tf.GradSaveFunc)([gu])
    return {
      value: tf.mul(tf.mul(g, tf.sigmoid(g)), tf.slice(gu, [0, ff], [N, ff])),
      gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) =>
        tf.tidy(() => {
          const sgu = saved[0] as tf.Tensor2D
          const sg = tf.slice(sgu, [0, 0], [N, ff])
          const su = tf.slice(sgu, [0, ff], [N, ff])
          const sig = tf.sigmoid(sg)
          const dgate = tf.mul(tf.mul(tf.mul(dy, su), sig), tf.add(1, tf.mul(sg, tf.sub(1, sig))))
          const dup = tf.mul(dy, tf.mul(sg, sig))
          return tf.concat([dgate, dup], 1)
        })
    }
  }
) as unknown as (gu: tf.Tensor2D) => tf.Tensor2D

/** SiLU without tanh: x·σ(x). */
export const silu = <T extends tf.Tensor>(x: T): T => tf.mul(x, tf.sigmoid(x))

/**
 * Rotary tables for positions 0..maxPos-1: cos, sin [maxPos, headDim] in the
 * "rotate half" layout (Llama/HF): angle_j = pos · θ^(-2(j mod hd/2)/hd).
 */
export const ropeTables = (
  maxPos: number,
  headDim: number,
  theta: number
): { cos: Float32Array; sin: Float32Array } => {
  const half = headDim / 2
  const cos = new Float32Array(maxPos * headDim)
  const sin = new Float32Array(maxPos * headDim)
  for (let p = 0; p < maxPos; p++) {
    for (let j = 0; j < headDim; j++) {
      const invFreq = Math.pow(theta, -(2 * (j % half)) / headDim)
      cos[p * headDim + j] = Math.cos(p * invFreq)
      sin[p * headDim + j] = Math.sin(p * invFreq)
    }
  }
  return { cos, sin }
}

/** R [hd, hd] with x·R = rotate_half(x) = concat(-x2, x1). */
export const rotateHalfMatrix = (headDim: number): Float32Array => {
  const half = headDim / 2
  const r = new Float32Array(headDim * headDim)
  for (let j = 0; j < half; j++) r[(j + half) * headDim + j] = -1
  for (let j = half; j < headDim; j++) r[(j - half) * headDim + j] = 1
  return r
}

/**
 * Causal self-attention over right-padded sequences, as one differentiable op.
 * q [B·T, H·hd] (already scaled by 1/√hd), k, v [B·T, KVH·hd] → o [B·T, H·hd].
 * Every matmul is a 2-D untransposed [T,hd]·[hd,T] or [T,T]·[T,hd] per
 * (sequence, head): the backward pass is written by hand so it stays that way.
 */
export const causalAttention = (
  B: number,
  T: number,
  H: number,
  KVH: number,
  hd: number,
  mask: tf.Tensor2D
): ((q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D) => {
  const G = H / KVH
  // Per-(b,h) 2-D blocks of a [B·T, heads·hd] matrix.
  const rowBlocks = (x: tf.Tensor2D, heads: number): Array<Array<tf.Tensor2D>> =>
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: heads }, (_, h) => tf.slice(x, [b * T, h * hd], [T, hd]) as tf.Tensor2D)
    )
  // Per-(b,h) blocks [hd, T] of xᵀ.
  const colBlocks = (xT: tf.Tensor2D, heads: number): Array<Array<tf.Tensor2D>> =>
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: heads }, (_, h) => tf.slice(xT, [h * hd, b * T], [hd, T]) as tf.Tensor2D)
    )
  // [B][H] blocks [T, hd] → [B·T, H·hd].
  const assemble = (blocks: Array<Array<tf.Tensor2D>>): tf.Tensor2D =>
    tf.concat(
      blocks.map((row) => (row.length === 1 ? row[0]! : tf.concat(row, 1))),
      0
    )
  // Stack of (b,h) [T,T] blocks ↔ one [B·H·T, T] matrix, for the row-wise ops.
  const stack = (blocks: Array<Array<tf.Tensor2D>>): tf.Tensor2D => tf.concat(blocks.flat(), 0)
  const unstack = (x: tf.Tensor2D): Array<Array<tf.Tensor2D>> =>
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: H }, (_, h) => tf.slice(x, [(b * H + h) * T, 0], [T, T]) as tf.Tensor2D)
    )
  const masked = (s: tf.Tensor2D): tf.Tensor2D =>
    tf.reshape(tf.add(tf.reshape(s, [B * H, T, T]), mask), [B * H * T, T])
  // Transpose each [T,T] block of a stacked [B·H·T, T] matrix.
  const transposeBlocks = (x: tf.Tensor2D): tf.Tensor2D =>
    tf.reshape(tf.transpose(tf.reshape(x, [B * H, T, T]), [0, 2, 1]), [B * H * T, T])

  return tf.customGrad(
    (qa: tf.Tensor | tf.GradSaveFunc, ka: tf.Tensor | tf.GradSaveFunc, va: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const q = qa as tf.Tensor2D
      const k = ka as tf.Tensor2D
      const v = va as tf.Tensor2D
      // tidy: the per-block pieces go as soon as p and o exist (at B=256 they are GBs).
      const { p, o } = tf.tidy(() => {
        const qb = rowBlocks(q, H)
        const kTb = colBlocks(tf.transpose(k), KVH)
        const vb = rowBlocks(v, KVH)
        const scores = stack(qb.map((row, b) => row.map((qi, h) => tf.matMul(qi, kTb[b]![Math.floor(h / G)]!))))
        const p = tf.softmax(masked(scores)) as tf.Tensor2D
        const pb = unstack(p)
        const o = assemble(pb.map((row, b) => row.map((pi, h) => tf.matMul(pi, vb[b]![Math.floor(h / G)]!))))
        return { p, o }
      })
      ;(save as tf.GradSaveFunc)([q, k, v, p])
      return {
        value: o,
        gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) =>
          tf.tidy(() => {
          const [sq, sk, sv, sp] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]
          const dob = rowBlocks(dy as tf.Tensor2D, H)
          const vTb = colBlocks(tf.transpose(sv), KVH)
          const pTb = unstack(transposeBlocks(sp))
          // dP = dO·Vᵀ ; dS = P ⊙ (dP − rowsum(dP ⊙ P))
          const dP = stack(dob.map((row, b) => row.map((d, h) => tf.matMul(d, vTb[b]![Math.floor(h / G)]!))))
          const dS = tf.mul(sp, tf.sub(dP, tf.sum(tf.mul(dP, sp), -1, true))) as tf.Tensor2D
          const dSb = unstack(dS)
          const dSTb = unstack(transposeBlocks(dS))
          const kb = rowBlocks(sk, KVH)
          const qb2 = rowBlocks(sq, H)
          const dq = assemble(dSb.map((row, b) => row.map((d, h) => tf.matMul(d, kb[b]![Math.floor(h / G)]!))))
          // dK, dV per kv head: sum over the G query heads that share it.
          const dkBlocks: Array<Array<tf.Tensor2D>> = []
          const dvBlocks: Array<Array<tf.Tensor2D>> = []
          for (let b = 0; b < B; b++) {
            const dkRow: Array<tf.Tensor2D> = []
            const dvRow: Array<tf.Tensor2D> = []
            for (let g = 0; g < KVH; g++) {
              const dks: Array<tf.Tensor2D> = []
              const dvs: Array<tf.Tensor2D> = []
              for (let j = 0; j < G; j++) {
                const h = g * G + j
                dks.push(tf.matMul(dSTb[b]![h]!, qb2[b]![h]!))
                dvs.push(tf.matMul(pTb[b]![h]!, dob[b]![h]!))
              }
              dkRow.push(dks.length === 1 ? dks[0]! : (tf.addN(dks) as tf.Tensor2D))
              dvRow.push(dvs.length === 1 ? dvs[0]! : (tf.addN(dvs) as tf.Tensor2D))
            }
            dkBlocks.push(dkRow)
            dvBlocks.push(dvRow)
          }
          return [dq, assemble(dkBlocks), assemble(dvBlocks)]
          })
      }
    }
  ) as unknown as (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D
}

/** [T, T] additive causal mask: 0 on and below the diagonal, -1e9 above. */
export const causalMask = (T: number): tf.Tensor2D => {
  const m = new Float32Array(T * T)
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = -1e9
  return tf.tensor2d(m, [T, T])
}

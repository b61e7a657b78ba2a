/**
 * Causal self-attention (and SwiGLU) for scoring and training on the SIMD kernels (the
 * "simd" kernel choice): the same op as `Ops.causalAttention` (q already
 * scaled, right-padded rows, GQA), as one forward and one backward call into
 * wasm instead of hundreds of per-(sequence, head) tfjs kernels. The forward
 * keeps only each score row's log-sum-exp; the backward recomputes P from it.
 */
import * as tf from "@tensorflow/tfjs"
import { arena, f32, kernels } from "./AttentionKernel.ts"
import { wasmHeapView } from "./WasmKernels.ts"

/** A tensor's floats (a heap view on wasm, else a copy). Tensors made from kernel-memory views copy them at once. */
const floats = (t: tf.Tensor): Float32Array => wasmHeapView(t) ?? (t.dataSync() as Float32Array)

/** q [B·T, H·hd], k, v [B·T, KVH·hd] → o [B·T, H·hd]; differentiable in q, k, v. */
export const causalAttentionSimd = (
  B: number,
  T: number,
  H: number,
  KVH: number,
  hd: number
): ((q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D) => {
  const nq = B * T * H * hd
  const nk = B * T * KVH * hd
  const nl = B * H * T
  return tf.customGrad(
    (qa: tf.Tensor | tf.GradSaveFunc, ka: tf.Tensor | tf.GradSaveFunc, va: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
      const q = qa as tf.Tensor2D
      const k = ka as tf.Tensor2D
      const v = va as tf.Tensor2D
      const [qo, ko, vo, oo, lo, so] = arena([nq, nk, nk, nq, nl, T + 4]) as [number, number, number, number, number, number]
      f32(qo, nq).set(floats(q))
      f32(ko, nk).set(floats(k))
      f32(vo, nk).set(floats(v))
      kernels().causalForward(qo, ko, vo, oo, lo, so, B, T, H, KVH, hd)
      const o = tf.tensor2d(f32(oo, nq), [B * T, H * hd])
      const lse = tf.tensor1d(f32(lo, nl))
      ;(save as tf.GradSaveFunc)([q, k, v, lse])
      return {
        value: o,
        gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) => {
          const [sq, sk, sv, sl] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D]
          const [qb, kb, vb, lb, dob, dqb, dkb, dvb, pb, db] = arena([nq, nk, nk, nl, nq, nq, nk, nk, T + 4, T + 4]) as [
            number, number, number, number, number, number, number, number, number, number
          ]
          f32(qb, nq).set(floats(sq))
          f32(kb, nk).set(floats(sk))
          f32(vb, nk).set(floats(sv))
          f32(lb, nl).set(floats(sl))
          f32(dob, nq).set(floats(dy))
          kernels().causalBackward(qb, kb, vb, lb, dob, dqb, dkb, dvb, pb, db, B, T, H, KVH, hd)
          return [
            tf.tensor2d(f32(dqb, nq), [B * T, H * hd]),
            tf.tensor2d(f32(dkb, nk), [B * T, KVH * hd]),
            tf.tensor2d(f32(dvb, nk), [B * T, KVH * hd])
          ]
        }
      }
    }
  ) as unknown as (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D
}

/**
 * The attention block from the fused projection: qkv [B·T, H·hd + 2·KVH·hd]
 * (right-padded rows, row t at rotary position t) → o [B·T, H·hd], with the
 * q|k|v split, rotary (tables `cos`, `sin` [≥ T, hd]) and the 1/√hd scale of q
 * done in the kernel too: about twenty tfjs ops per layer (slices, the rotation
 * matmuls, broadcasts) and their gradients become two kernel calls.
 */
export const ropeAttentionSimd = (
  B: number,
  T: number,
  H: number,
  KVH: number,
  hd: number,
  cos: Float32Array,
  sin: Float32Array
): ((qkv: tf.Tensor2D) => tf.Tensor2D) => {
  const nq = B * T * H * hd
  const nk = B * T * KVH * hd
  const nw = nq + 2 * nk
  const nl = B * H * T
  const nt = T * hd
  const scale = 1 / Math.sqrt(hd)
  return tf.customGrad((xa: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const qkv = xa as tf.Tensor2D
    const [xo, qo, ko, vo, oo, lo, so, co, sn] = arena([nw, nq, nk, nk, nq, nl, T + 4, nt, nt]) as [number, number, number, number, number, number, number, number, number]
    f32(xo, nw).set(floats(qkv))
    f32(co, nt).set(cos.subarray(0, nt))
    f32(sn, nt).set(sin.subarray(0, nt))
    const k = kernels()
    k.ropeSplit(xo, qo, ko, vo, co, sn, B, T, H, KVH, hd, scale)
    k.causalForward(qo, ko, vo, oo, lo, so, B, T, H, KVH, hd)
    const o = tf.tensor2d(f32(oo, nq), [B * T, H * hd])
    const lse = tf.tensor1d(f32(lo, nl))
    ;(save as tf.GradSaveFunc)([qkv, lse])
    return {
      value: o,
      gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) => {
        const [sx, sl] = saved as [tf.Tensor2D, tf.Tensor1D]
        const [xb, qb, kb, vb, lb, dob, dqb, dkb, dvb, dxb, pb, db, cb, sb] = arena([nw, nq, nk, nk, nl, nq, nq, nk, nk, nw, T + 4, T + 4, nt, nt]) as [
          number, number, number, number, number, number, number, number, number, number, number, number, number, number
        ]
        f32(xb, nw).set(floats(sx))
        f32(lb, nl).set(floats(sl))
        f32(dob, nq).set(floats(dy))
        f32(cb, nt).set(cos.subarray(0, nt))
        f32(sb, nt).set(sin.subarray(0, nt))
        const k = kernels()
        k.ropeSplit(xb, qb, kb, vb, cb, sb, B, T, H, KVH, hd, scale)
        k.causalBackward(qb, kb, vb, lb, dob, dqb, dkb, dvb, pb, db, B, T, H, KVH, hd)
        k.ropeSplitBackward(dqb, dkb, dvb, dxb, cb, sb, B, T, H, KVH, hd, scale)
        return [tf.tensor2d(f32(dxb, nw), [B * T, nw / (B * T)])]
      }
    }
  }) as unknown as (qkv: tf.Tensor2D) => tf.Tensor2D
}

/** SwiGLU on the fused gate|up projection gu [N, 2·ff] → silu(gate)·up [N, ff] in one kernel call each way (no slices, no concat of the gradient halves). */
export const swigluSimd: (gu: tf.Tensor2D) => tf.Tensor2D = tf.customGrad((ga: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
  const gu = ga as tf.Tensor2D
  const [N, ff2] = gu.shape
  const ff = ff2 / 2
  const [go, ho] = arena([N * ff2, N * ff]) as [number, number]
  f32(go, N * ff2).set(floats(gu))
  kernels().swiglu(go, ho, N, ff)
  const h = tf.tensor2d(f32(ho, N * ff), [N, ff])
  ;(save as tf.GradSaveFunc)([gu])
  return {
    value: h,
    gradFunc: (dy: tf.Tensor, saved: Array<tf.Tensor>) => {
      const [gb, yb, db] = arena([N * ff2, N * ff, N * ff2]) as [number, number, number]
      f32(gb, N * ff2).set(floats(saved[0]!))
      f32(yb, N * ff).set(floats(dy))
      kernels().swigluBackward(gb, yb, db, N, ff)
      return tf.tensor2d(f32(db, N * ff2), [N, ff2])
    }
  }
}) as unknown as (gu: tf.Tensor2D) => tf.Tensor2D

/**
 * Sampling with the SIMD kernels (the "simd" kernel choice): the prompt runs
 * through the tfjs prefill, then each decoding step is 4 matmuls per layer
 * on tfjs (XNNPACK: the only ops big enough to be worth a kernel launch)
 * with everything else in plain loops over a few thousand floats (RMSNorm,
 * rotary, residuals) or in wasm SIMD (SwiGLU, and attention over each row's
 * filled cache slots only). The KV cache lives in the kernels' memory at full
 * length from the start; a finished row is simply no longer computed (no
 * cache compaction). About 160 tfjs kernels per step become about 20.
 */
import * as tf from "@tensorflow/tfjs"
import type { GenerateOptions, Sample } from "@oneshot/core"
import { arena, f32, i32, kernels } from "./AttentionKernel.ts"
import type { ModelConfig } from "./ModelConfig.ts"
import { decodeWeights, disposeCache, disposeDecodeWeights, prefill, type Runtime } from "./Model.ts"
import { type GenerateInternal, leftPadded, maxStopLength, newRows, takeToken, toSample } from "./SampleRows.ts"
import type { TokenizerShape } from "./Tokenizer.ts"
import { wasmHeapView } from "./WasmKernels.ts"
import type { Weights } from "./Weights.ts"

/**
 * A matmul input [n, in] whose wasm-heap storage is written directly, and the
 * product x·w read through a heap view (no copies through JS arrays). A view
 * is valid only until the next tfjs allocation: `product` hands it to `use`
 * and frees the output right after.
 */
class Input {
  readonly tensor: tf.Tensor2D
  constructor(
    readonly n: number,
    readonly width: number
  ) {
    this.tensor = tf.zeros([n, width]) as tf.Tensor2D
  }
  view(): Float32Array {
    return wasmHeapView(this.tensor)!
  }
  product(w: tf.Tensor2D, use: (y: Float32Array) => void): void {
    const y = tf.matMul(this.tensor, w)
    try {
      use(wasmHeapView(y)!)
    } finally {
      y.dispose()
    }
  }
  dispose(): void {
    this.tensor.dispose()
  }
}

/** out[i·d ..] = x[i·d ..] scaled to unit root-mean-square (the gain is folded into the next matmul). */
const normalizeInto = (x: Float32Array, out: Float32Array, n: number, d: number, eps: number): void => {
  for (let i = 0, o = 0; i < n; i++, o += d) {
    let ss = 0
    for (let j = 0; j < d; j++) ss += x[o + j]! * x[o + j]!
    const r = 1 / Math.sqrt(ss / d + eps)
    for (let j = 0; j < d; j++) out[o + j] = x[o + j]! * r
  }
}

/** Kernel memory the fused decoder takes at most (its KV cache is allocated at full length up front). */
export const FAST_DECODE_MAX_BYTES = 1024 ** 3

/** Bytes of kernel memory `generateRowsFast` needs for `rows` rows of up to `length` tokens. */
export const fastDecodeBytes = (c: ModelConfig, rows: number, length: number): number => {
  const hd = c.hidden_size / c.num_attention_heads
  return 4 * (2 * c.num_hidden_layers * rows * c.num_key_value_heads * length * hd + rows * (2 * c.hidden_size + 3 * c.intermediate_size + 2) + length)
}

/** Samples the rows `prompts` (one chunk of `generateTokens`) with the SIMD kernels. */
export const generateRowsFast = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokenizer: TokenizerShape,
  prompts: ReadonlyArray<ReadonlyArray<number>>,
  rowBase: number,
  seed: number,
  options: GenerateOptions,
  internal: GenerateInternal
): Array<Sample> => {
  const B = prompts.length
  const { P, pads, padded } = leftPadded(prompts, tokenizer.padId)
  const rows = newRows(B, rowBase, seed)
  const maxStop = maxStopLength(options)
  const V = c.vocab_size
  const d = c.hidden_size
  const H = c.num_attention_heads
  const KVH = c.num_key_value_heads
  const G = H / KVH
  const hd = d / H
  const kv = KVH * hd
  // Decoding steps use q|k|v without the rotated copies prefill needs (rotate_half is done in the loop): 40% fewer projection columns.
  const W = d + 2 * kv
  const half = hd / 2
  const cap = P + options.maxTokens
  const eps = c.rms_norm_eps

  const dw = decodeWeights(c, rt, w)
  const owned: Array<tf.Tensor> = []
  try {
    const plain = (m: tf.Tensor2D): tf.Tensor2D =>
      tf.tidy(() => tf.concat([tf.slice(m, [0, 0], [m.shape[0], d + kv]), tf.slice(m, [0, 2 * (d + kv)], [m.shape[0], kv])], 1))
    const layers = dw.layers.map((l) => ({
      ...l,
      wqkv: plain(l.wqkv),
      bias: l.bqkv === undefined ? undefined : (plain(l.bqkv).dataSync() as Float32Array)
    }))
    owned.push(...layers.map((l) => l.wqkv))
    const embed = dw.embed.dataSync() as Float32Array
    const nl = layers.length
    // Kernel memory: per layer k and v caches [B, KVH, cap, hd]; q, o [B, d]; row map and first slots [B]; scores [cap].
    const cacheSize = B * KVH * cap * hd
    const off = arena([...Array.from({ length: 2 * nl }, () => cacheSize), B * d, B * d, B, B, cap, B * 2 * c.intermediate_size, B * c.intermediate_size])
    const kOff = (l: number) => off[2 * l]!
    const vOff = (l: number) => off[2 * l + 1]!
    const [qOff, oOff, rowsOff, loOff, sOff, guOff, hOff] = off.slice(2 * nl) as [number, number, number, number, number, number, number]
    i32(loOff, B).set(pads)

    const pre = prefill(c, rt, dw, padded, pads)
    let logits: Float32Array<ArrayBufferLike> = new Float32Array(0)
    try {
      for (let l = 0; l < nl; l++) {
        for (const [t, at] of [[pre.cache.k[l]!, kOff(l)], [pre.cache.v[l]!, vOff(l)]] as const) {
          const src = t.dataSync() as Float32Array
          const dst = f32(at, cacheSize)
          for (let bg = 0; bg < B * KVH; bg++) dst.set(src.subarray(bg * P * hd, (bg + 1) * P * hd), bg * cap * hd)
        }
      }
      logits = pre.logits.dataSync() as Float32Array
    } finally {
      disposeCache(pre.cache)
      pre.logits.dispose()
    }

    const k = kernels()
    const ff = c.intermediate_size
    const cos = rt.cos
    const sin = rt.sin
    const x = new Float32Array(B * d)
    let inputs: { d: Input; ff: Input } | undefined
    let act = rows.map((_, r) => r)
    try {
      for (let step = 0; step < options.maxTokens; step++) {
        const next = act.map((r, i) => takeToken(rows[r]!, logits.subarray(i * V, (i + 1) * V), options, tokenizer, internal, maxStop))
        const keep = act.flatMap((r, i) => (rows[r]!.finish === undefined ? [i] : []))
        if (keep.length === 0) break
        const feed = keep.map((i) => next[i]!)
        act = keep.map((i) => act[i]!)
        const n = act.length
        if (inputs === undefined || inputs.d.n !== n) {
          inputs?.d.dispose()
          inputs?.ff.dispose()
          inputs = { d: new Input(n, d), ff: new Input(n, ff) }
        }
        const { d: inD, ff: inFF } = inputs
        const slot = P + step
        i32(rowsOff, n).set(act)
        feed.forEach((tok, i) => x.set(embed.subarray(tok * d, (tok + 1) * d), i * d))
        for (let l = 0; l < nl; l++) {
          const L = layers[l]!
          normalizeInto(x, inD.view(), n, d, eps)
          inD.product(L.wqkv, (proj) => {
            if (L.bias !== undefined) for (let i = 0; i < n; i++) for (let j = 0; j < W; j++) proj[i * W + j]! += L.bias[j]!
            // k and v go straight into the cache slot.
            const q = f32(qOff, n * d)
            const kc = f32(kOff(l), cacheSize)
            const vc = f32(vOff(l), cacheSize)
            for (let i = 0; i < n; i++) {
              const r = act[i]!
              const pos = (P - pads[r]! + step) * hd
              const row = i * W
              // rotary: x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] per head.
              for (let h = 0; h < H; h++) {
                const src = row + h * hd
                const dst = i * d + h * hd
                for (let e = 0; e < half; e++) q[dst + e] = proj[src + e]! * cos[pos + e]! - proj[src + e + half]! * sin[pos + e]!
                for (let e = half; e < hd; e++) q[dst + e] = proj[src + e]! * cos[pos + e]! + proj[src + e - half]! * sin[pos + e]!
              }
              for (let g = 0; g < KVH; g++) {
                const at = ((r * KVH + g) * cap + slot) * hd
                const src = row + d + g * hd
                const vs = row + d + kv + g * hd
                for (let e = 0; e < half; e++) kc[at + e] = proj[src + e]! * cos[pos + e]! - proj[src + e + half]! * sin[pos + e]!
                for (let e = half; e < hd; e++) kc[at + e] = proj[src + e]! * cos[pos + e]! + proj[src + e - half]! * sin[pos + e]!
                for (let e = 0; e < hd; e++) vc[at + e] = proj[vs + e]!
              }
            }
          })
          k.decode(qOff, kOff(l), vOff(l), oOff, rowsOff, loOff, sOff, n, KVH, G, cap, hd, slot + 1)
          inD.view().set(f32(oOff, n * d))
          inD.product(L.wo, (y) => {
            for (let j = 0; j < n * d; j++) x[j]! += y[j]!
          })
          normalizeInto(x, inD.view(), n, d, eps)
          inD.product(L.wgu, (gu) => f32(guOff, n * 2 * ff).set(gu.subarray(0, n * 2 * ff)))
          k.swiglu(guOff, hOff, n, ff)
          inFF.view().set(f32(hOff, n * ff))
          inFF.product(L.wd, (y) => {
            for (let j = 0; j < n * d; j++) x[j]! += y[j]!
          })
        }
        normalizeInto(x, inD.view(), n, d, eps)
        inD.product(dw.head, (y) => {
          logits = y.slice(0, n * V)
        })
      }
    } finally {
      inputs?.d.dispose()
      inputs?.ff.dispose()
    }
  } finally {
    disposeDecodeWeights(dw)
    tf.dispose(owned)
  }
  return rows.map((row) => toSample(row, tokenizer))
}

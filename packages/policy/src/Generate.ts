/**
 * Batched sampling with a KV cache. Prompts are left-padded to a common
 * length so every row shares the cache index; rotary positions are per row,
 * so padding does not change what a row sees. Each (prompt, sample) row has
 * its own PRNG stream (seed, row index), so a seed fixes every sample.
 */
import * as tf from "@tensorflow/tfjs"
import type { GenerateOptions } from "@oneshot/core"
import type { Sample } from "@oneshot/core"
import { PolicyError } from "./Errors.ts"
import { FAST_DECODE_MAX_BYTES, fastDecodeBytes, generateRowsFast } from "./FastDecode.ts"
import { simdKernels } from "./KernelChoice.ts"
import type { ModelConfig } from "./ModelConfig.ts"
import {
  decodeStep,
  decodeWeights,
  disposeCache,
  disposeDecodeWeights,
  inPlaceCache,
  type KVCache,
  preallocate,
  prefill,
  type Runtime
} from "./Model.ts"
import { type GenerateInternal, leftPadded, maxStopLength, newRows, takeToken, toSample } from "./SampleRows.ts"
import type { TokenizerShape } from "./Tokenizer.ts"
import type { Weights } from "./Weights.ts"

/** Checks prompts and options against the model; returns the problem. */
export const checkPrompts = (
  c: ModelConfig,
  promptIds: ReadonlyArray<ReadonlyArray<number>>,
  maxTokens: number
): PolicyError | undefined => {
  if (promptIds.length === 0) return undefined
  for (let i = 0; i < promptIds.length; i++) {
    const p = promptIds[i]!
    if (p.length === 0) return new PolicyError({ input: `promptIds[${i}]`, expected: "at least one token (e.g. BOS)", actual: "[]" })
    for (const id of p) {
      if (!Number.isInteger(id) || id < 0 || id >= c.vocab_size) {
        return new PolicyError({ input: `promptIds[${i}]`, expected: `token ids in [0, ${c.vocab_size})`, actual: String(id) })
      }
    }
    if (p.length + maxTokens > c.max_position_embeddings) {
      return new PolicyError({
        input: `promptIds[${i}]`,
        expected: `prompt length + maxTokens ≤ max_position_embeddings (${c.max_position_embeddings})`,
        actual: `${p.length} + ${maxTokens}`
      })
    }
  }
  return undefined
}

/** Samples `options.n` continuations of each prompt. Synchronous; throws PolicyError on bad input. */
export const generateTokens = (
  c: ModelConfig,
  rt: Runtime,
  w: Weights,
  tokenizer: TokenizerShape,
  promptIds: ReadonlyArray<ReadonlyArray<number>>,
  options: GenerateOptions,
  internal: GenerateInternal = {}
): Array<Array<Sample>> => {
  const problem = checkPrompts(c, promptIds, options.maxTokens)
  if (problem !== undefined) throw problem
  if (promptIds.length === 0) return []
  const n = options.n
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const all = promptIds.flatMap((p) => Array.from({ length: n }, () => p))
  // Rows run in chunks so the cache stays bounded; each row keeps its global PRNG stream.
  const samples: Array<Sample> = []
  for (let base = 0; base < all.length; base += MAX_ROWS) {
    const chunk = all.slice(base, base + MAX_ROWS)
    // The fused decoder holds its whole KV cache at once: big models and long outputs take the tfjs decoder.
    const fast =
      simdKernels(c.hidden_size / c.num_attention_heads) &&
      fastDecodeBytes(c, chunk.length, Math.max(...chunk.map((p) => p.length)) + options.maxTokens) <= FAST_DECODE_MAX_BYTES
    samples.push(...(fast ? generateRowsFast : generateRows)(c, rt, w, tokenizer, chunk, base, seed, options, internal))
  }
  return promptIds.map((_, i) => samples.slice(i * n, (i + 1) * n))
}

/** The cache rows `keep` (fresh buffers, so in-place writes stay private). */
const gatherCache = (cache: KVCache, keep: ReadonlyArray<number>): KVCache =>
  tf.tidy(() => {
    const idx = tf.tensor1d(keep as Array<number>, "int32")
    return { k: cache.k.map((t) => tf.gather(t, idx, 0)), v: cache.v.map((t) => tf.gather(t, idx, 0)) }
  })

/** Rows sampled together in one cache (more are run in successive chunks). */
export const MAX_ROWS = 256

const generateRows = (
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
  const { P, pads, padded } = leftPadded(prompts, tokenizer.padId)
  const rows = newRows(prompts.length, rowBase, seed)
  const V = c.vocab_size
  const maxStop = maxStopLength(options)

  const dw = decodeWeights(c, rt, w)
  let { logits, cache } = prefill(c, rt, dw, padded, pads)
  const inPlace = inPlaceCache()
  const Lmax = P + options.maxTokens
  // In-place cache capacity: doubled when full, so attention spans at most ~2× the filled slots.
  let capacity = Math.min(Lmax, P + 32)
  let live: KVCache = cache
  if (inPlace) {
    live = preallocate(cache, capacity)
    disposeCache(cache)
  }
  // Cache row i holds rows[act[i]]; finished rows are dropped from the cache once a quarter are done.
  let act = rows.map((_, r) => r)
  try {
    for (let step = 0; step < options.maxTokens; step++) {
      const all = logits.dataSync()
      logits.dispose()
      const next = new Array<number>(act.length).fill(tokenizer.padId)
      act.forEach((r, i) => {
        const row = rows[r]!
        if (row.finish !== undefined) return
        next[i] = takeToken(row, all.subarray(i * V, (i + 1) * V), options, tokenizer, internal, maxStop)
      })
      const keep = act.flatMap((r, i) => (rows[r]!.finish === undefined ? [i] : []))
      if (keep.length === 0) break
      let feed = next
      if (keep.length <= act.length * 0.75) {
        const old = live
        live = gatherCache(live, keep)
        disposeCache(old)
        act = keep.map((i) => act[i]!)
        feed = keep.map((i) => next[i]!)
      }
      // The fed token goes to cache slot P + step; a row's left padding (and empty capacity) is masked.
      const slot = P + step
      if (inPlace && slot >= capacity) {
        const old = live
        capacity = Math.min(Lmax, capacity * 2)
        live = preallocate(old, capacity)
        disposeCache(old)
      }
      const L = inPlace ? capacity : slot + 1
      const keyMask = new Float32Array(act.length * L)
      act.forEach((r, i) => {
        for (let j = 0; j < pads[r]!; j++) keyMask[i * L + j] = -1e9
        for (let j = slot + 1; j < L; j++) keyMask[i * L + j] = -1e9
      })
      const positions = act.map((r) => P - pads[r]! + step)
      const out: { logits: tf.Tensor2D; cache: KVCache } = decodeStep(c, rt, dw, feed, positions, live, keyMask, inPlace ? slot : undefined)
      if (!inPlace) {
        disposeCache(live)
        live = out.cache
      }
      logits = out.logits
    }
  } finally {
    if (!logits.isDisposed) logits.dispose()
    disposeCache(live)
    disposeDecodeWeights(dw)
  }
  return rows.map((row) => toSample(row, tokenizer))
}

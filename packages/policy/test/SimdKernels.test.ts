/**
 * The "simd" kernel choice (the trainer's worker replicas): the fused
 * decoder and the wasm attention kernels compute the same model as the tfjs
 * path, up to float rounding. Checked against the float64 naive model and
 * against the tfjs ops, and for leaks.
 */
import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { afterAll, beforeAll } from "vitest"
import { selectBackend } from "../src/Backend.ts"
import { weightsToNamed } from "../src/Checkpoint.ts"
import { FAST_DECODE_MAX_BYTES, fastDecodeBytes } from "../src/FastDecode.ts"
import { useKernels } from "../src/KernelChoice.ts"
import { ModelConfig } from "../src/ModelConfig.ts"
import { causalAttention, causalMask } from "../src/Ops.ts"
import { makePolicy, numTensors } from "../src/PolicyLive.ts"
import { makeRng, pickToken } from "../src/Sampler.ts"
import { causalAttentionSimd } from "../src/SimdAttention.ts"
import { shareIdentity } from "../src/WasmKernels.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"
import { initWeights } from "../src/Weights.ts"
import { micro, microTied, rows } from "./fixtures.ts"
import { naiveLogits } from "./Naive.ts"
import { expectScoreMatchesNaive, full } from "./NaiveChecks.ts"

beforeAll(async () => {
  await Effect.runPromise(selectBackend("wasm"))
  useKernels("simd")
})
afterAll(() => useKernels("tfjs"))

/** Qwen2-style: q/k/v biases (the decoder adds them before rotary). */
const microBias = new ModelConfig({ ...micro, attention_bias: true })

/** Fresh weights scaled up (std 0.02 makes every distribution nearly uniform, hiding mistakes); biases made non-zero. */
const setup = (c: ModelConfig, seed: number) => {
  const w = initWeights(c, seed)
  for (const [name, v] of w.byName) {
    if (name.endsWith("bias") && !name.startsWith("value_head")) v.assign(tf.tidy(() => tf.randomNormal(v.shape, 0, 0.5, "float32", seed)))
    else if (!name.includes("norm") && !name.startsWith("value_head")) v.assign(tf.tidy(() => tf.mul(v, 10)))
  }
  return { w, policy: makePolicy(c, CharTokenizer, w) }
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0
  let den = 0
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2
    den += b[i]! ** 2
  }
  return Math.sqrt(num / Math.max(den, 1e-30))
}

describe("SIMD causal attention", () => {
  for (const [B, T, H, KVH, hd] of [[2, 9, 4, 2, 8], [3, 6, 4, 4, 4], [1, 13, 2, 1, 12]] as const) {
    it(`equals the tfjs op and its gradients (B=${B} T=${T} H=${H} KVH=${KVH} hd=${hd})`, () => {
      const q = tf.randomNormal([B * T, H * hd], 0, 1, "float32", 1) as tf.Tensor2D
      const k = tf.randomNormal([B * T, KVH * hd], 0, 1, "float32", 2) as tf.Tensor2D
      const v = tf.randomNormal([B * T, KVH * hd], 0, 1, "float32", 3) as tf.Tensor2D
      const w = tf.randomNormal([B * T, H * hd], 0, 1, "float32", 4)
      const mask = causalMask(T)
      const loss = (f: (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D), w)) as tf.Scalar
      const ref = tf.valueAndGrads(loss(causalAttention(B, T, H, KVH, hd, mask)))([q, k, v])
      const simd = tf.valueAndGrads(loss(causalAttentionSimd(B, T, H, KVH, hd)))([q, k, v])
      const o1 = tf.tidy(() => causalAttention(B, T, H, KVH, hd, mask)(q, k, v))
      const o2 = tf.tidy(() => causalAttentionSimd(B, T, H, KVH, hd)(q, k, v))
      expect(relErr(o2.dataSync(), o1.dataSync())).toBeLessThan(1e-5)
      ref.grads.forEach((g, i) => expect(relErr(simd.grads[i]!.dataSync(), g.dataSync()), `grad ${i}`).toBeLessThan(1e-5))
      tf.dispose([q, k, v, w, mask, o1, o2, ref.value, simd.value, ...ref.grads, ...simd.grads])
    })
  }
})

describe.each([
  ["GQA, untied", micro],
  ["MHA, tied", microTied]
])("model with SIMD kernels (%s)", (_, config) => {
  it.effect("score matches an independent float64 implementation", () =>
    Effect.suspend(() => {
      const { w, policy } = setup(config, 3)
      return expectScoreMatchesNaive(config, w, policy)
    })
  )

  it.effect("sampling equals no-cache sampling (naive full recompute) for the same seed, with left padding and rows finishing early", () =>
    Effect.gen(function* () {
      const { w, policy } = setup(config, 6)
      const named = new Map(weightsToNamed(config, w))
      const prompts = [[1, 40, 41, 42, 43, 44], [1, 50], [1, 60, 61, 62]]
      for (const [temperature, topP, stop] of [[0, 1, []], [1, 1, []], [0.8, 0.9, []], [1.5, 1, [..."aeiou 1"]]] as const) {
        const o = new GenerateOptions({ n: 3, temperature, topP, maxTokens: 10, seed: 11, stop: [...stop] })
        const out = yield* policy.generateIds(prompts, o)
        out.forEach((samples, i) =>
          samples.forEach((sample, j) => {
            const rng = makeRng(11, i * 3 + j)
            const seq = [...prompts[i]!]
            const ids: Array<number> = []
            for (let step = 0; step < sample.tokenIds.length; step++) {
              const logits = naiveLogits(config, named, seq).at(-1)!
              const tok = pickToken(logits, temperature, topP, rng)
              ids.push(tok)
              seq.push(tok)
            }
            expect(sample.tokenIds).toEqual(ids)
            const ls = naiveLogits(config, named, [...prompts[i]!, ...ids])
            sample.logprobs.forEach((lp, s) => {
              const row = ls[prompts[i]!.length - 1 + s]!
              const max = Math.max(...row)
              const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0))
              expect(lp).toBeCloseTo(row[ids[s]!]! - lse, 3)
            })
          })
        )
      }
      yield* policy.dispose
    })
  )
})

describe("SIMD kernels against the tfjs kernels", () => {
  for (const [name, config] of [["GQA, q/k/v biases", microBias], ["MHA, tied", microTied]] as const) {
    it.effect(`${name}: the same scores and samples (the naive model has no biases)`, () =>
      Effect.gen(function* () {
        const { policy } = setup(config, 8)
        const tokens = rows(3, 11, 2)
        const o = new GenerateOptions({ n: 3, temperature: 1, maxTokens: 12, seed: 4 })
        const prompts = [[1, 40, 41, 42, 43, 44], [1, 50]]
        const run = (k: "tfjs" | "simd") =>
          Effect.gen(function* () {
            useKernels(k)
            return { score: yield* policy.score(full(tokens)), samples: yield* policy.generateIds(prompts, o) }
          }).pipe(Effect.ensuring(Effect.sync(() => useKernels("simd"))))
        const a = yield* run("tfjs")
        const b = yield* run("simd")
        expect(relErr(b.score.logprobs.flat(), a.score.logprobs.flat())).toBeLessThan(1e-4)
        expect(relErr(b.score.entropies.flat(), a.score.entropies.flat())).toBeLessThan(1e-4)
        expect(b.samples.map((r) => r.map((x) => x.tokenIds))).toEqual(a.samples.map((r) => r.map((x) => x.tokenIds)))
        expect(relErr(b.samples.flat().flatMap((x) => x.logprobs), a.samples.flat().flatMap((x) => x.logprobs))).toBeLessThan(1e-4)
        yield* policy.dispose
      })
    )
  }
})

describe("SIMD training forward (rotary and the q|k|v split in the kernel)", () => {
  for (const [name, config] of [["GQA, untied", micro], ["MHA, tied", microTied], ["GQA, q/k/v biases", microBias]] as const) {
    it(`${name}: weight gradients equal the tfjs path's (norm gains ≠ 1)`, () => {
      const { w, policy } = setup(config, 31)
      for (const [n, v] of w.byName) if (n.includes("norm")) v.assign(tf.tidy(() => tf.add(1, tf.randomNormal(v.shape, 0, 0.3, "float32", 5))))
      const grads = (k: "tfjs" | "simd"): Array<Float32Array> => {
        useKernels(k)
        const g = tf.variableGrads(() => {
          const s = policy.scoreTensors(full(rows(3, 11, 5)), { temperature: 0.7 })
          return tf.add(tf.sum(s.logprobs), tf.mul(0.1, tf.sum(s.entropies))) as tf.Scalar
        }, [...w.transformer])
        const out = w.transformer.map((v) => g.grads[v.name]!.dataSync() as Float32Array)
        tf.dispose([g.value, ...Object.values(g.grads)])
        return out
      }
      const a = grads("tfjs")
      const b = grads("simd")
      a.forEach((x, i) => expect(relErr(b[i]!, x), w.transformer[i]!.name).toBeLessThan(1e-4))
      Effect.runSync(policy.dispose)
    })
  }
})

describe("SIMD kernels: resources", () => {
  it.effect("numTensors is unchanged by generate, score and a gradient step", () =>
    Effect.gen(function* () {
      const { policy } = setup(micro, 12)
      const before = numTensors()
      yield* policy.generateIds([[1, 40, 41], [1, 50]], new GenerateOptions({ n: 2, temperature: 1, maxTokens: 6, seed: 1 }))
      yield* policy.score(full(rows(2, 7)))
      const g = tf.variableGrads(() => tf.sum(policy.scoreTensors(full(rows(2, 7))).logprobs) as tf.Scalar, [...policy.trainableVariables])
      tf.dispose([g.value, ...Object.values(g.grads)])
      expect(numTensors()).toBe(before)
      yield* policy.dispose
    })
  )
})

describe("lean wasm kernels (sharing Identity, in-heap Slice)", () => {
  it("change no value: gradients of the tfjs path are bit-identical with and without them", () => {
    const { w, policy } = setup(micro, 21)
    const grads = (lean: boolean): Array<Float32Array> => {
      useKernels("tfjs")
      shareIdentity(lean)
      const g = tf.variableGrads(() => tf.sum(policy.scoreTensors(full(rows(3, 10, 4))).logprobs) as tf.Scalar, [...w.transformer])
      const out = w.transformer.map((v) => g.grads[v.name]!.dataSync() as Float32Array)
      tf.dispose([g.value, ...Object.values(g.grads)])
      return out
    }
    const before = numTensors()
    const a = grads(false)
    const b = grads(true)
    expect(numTensors()).toBe(before)
    a.forEach((x, i) => expect(Array.from(b[i]!)).toEqual(Array.from(x)))
    useKernels("simd")
    Effect.runSync(policy.dispose)
  })
})

describe("lean Concat / SplitV / Slice", () => {
  it("equal tfjs' own kernels on every axis, float32 and int32", () => {
    const shapes: Array<[number, number, number]> = [[2, 3, 4], [1, 5, 2], [3, 1, 6]]
    const run = (lean: boolean) => {
      shareIdentity(lean)
      return tf.tidy(() =>
        shapes.flatMap((shape, s) =>
          [0, 1, 2].flatMap((axis) =>
            (["float32", "int32"] as const).flatMap((dtype) => {
              const values = (sh: ReadonlyArray<number>, salt: number) => Array.from({ length: sh[0]! * sh[1]! * sh[2]! }, (_, i) => ((i * 37 + salt * 11) % 101) - 50.5)
              const a = tf.tensor(values(shape, s), shape, dtype)
              const other = [...shape] as [number, number, number]
              other[axis] = 2
              const b = tf.tensor(values(other, s + 7), other, dtype)
              const c = tf.concat([a, b, a], axis)
              const parts = tf.split(c, [shape[axis], 2, shape[axis]], axis)
              const sl = tf.slice(c, [0, 0, 0].map((_, i) => (i === axis ? 1 : 0)), c.shape.map((n, i) => (i === axis ? n - 2 : n)))
              return [c, ...parts, sl].map((t) => Array.from(t.dataSync()))
            })
          )
        )
      )
    }
    const lean = run(true)
    const plain = run(false)
    shareIdentity(true)
    lean.forEach((x, i) => expect(x, `case ${i}`).toEqual(plain[i]))
  })
})

describe("fused decoder memory", () => {
  it("the world model's sampling fits the fused decoder; a 1.5B model's long chunk falls back to the tfjs decoder", () => {
    const world = new ModelConfig({ ...micro, hidden_size: 128, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 4, intermediate_size: 352, max_position_embeddings: 320 })
    expect(fastDecodeBytes(world, 256, 320)).toBeLessThan(FAST_DECODE_MAX_BYTES)
    const qwen = new ModelConfig({ ...micro, vocab_size: 151936, hidden_size: 1536, num_hidden_layers: 28, num_attention_heads: 12, num_key_value_heads: 2, intermediate_size: 8960, max_position_embeddings: 4096 })
    expect(fastDecodeBytes(qwen, 256, 4096)).toBeGreaterThan(FAST_DECODE_MAX_BYTES)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { beforeAll } from "vitest"
import { selectBackend } from "../src/Backend.ts"
import { weightsToNamed } from "../src/Checkpoint.ts"
import type { ModelConfig } from "../src/ModelConfig.ts"
import { MAX_ROWS } from "../src/Generate.ts"
import { makePolicy } from "../src/PolicyLive.ts"
import { makeRng, pickToken } from "../src/Sampler.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"
import { initWeights } from "../src/Weights.ts"
import { micro, microTied, rows } from "./fixtures.ts"
import { naiveLogits } from "./Naive.ts"
import { expectScoreMatchesNaive, full } from "./NaiveChecks.ts"
import { referenceLogprobSum } from "./Reference.ts"

beforeAll(async () => {
  await Effect.runPromise(selectBackend("wasm"))
})

/** Fresh weights scaled up (std 0.02 makes every distribution nearly uniform, hiding mistakes). */
const setup = (c: ModelConfig, seed: number) => {
  const w = initWeights(c, seed)
  for (const [name, v] of w.byName) {
    if (!name.includes("norm") && !name.startsWith("value_head")) v.assign(tf.tidy(() => tf.mul(v, 10)))
  }
  return { w, policy: makePolicy(c, CharTokenizer, w) }
}

describe.each([
  ["GQA, untied", micro],
  ["MHA, tied", microTied]
])("model (%s)", (_, config) => {
  it.effect("score matches an independent float64 implementation", () =>
    Effect.suspend(() => {
      const { w, policy } = setup(config, 3)
      return expectScoreMatchesNaive(config, w, policy)
    })
  )

  it("fast-path gradients equal stock tfjs autograd of a plain implementation", () => {
    const { w, policy } = setup(config, 4)
    const tokens = rows(2, 9, 1)
    const vars = [...w.transformer]
    const fast = tf.variableGrads(() => tf.sum(policy.scoreTensors(full(tokens)).logprobs) as tf.Scalar, vars)
    const ref = tf.variableGrads(() => referenceLogprobSum(config, w, tokens), vars)
    expect(fast.value.dataSync()[0]!).toBeCloseTo(ref.value.dataSync()[0]!, 2)
    for (const v of vars) {
      const a = fast.grads[v.name]!.dataSync()
      const b = ref.grads[v.name]!.dataSync()
      let num = 0
      let den = 0
      for (let i = 0; i < a.length; i++) {
        num += (a[i]! - b[i]!) ** 2
        den += b[i]! ** 2
      }
      expect(Math.sqrt(num / Math.max(den, 1e-20)), v.name).toBeLessThan(1e-3)
    }
    tf.dispose([fast.value, ref.value, ...Object.values(fast.grads), ...Object.values(ref.grads)])
    Effect.runSync(policy.dispose)
  })

  it.effect("next-token probabilities sum to 1 over the vocabulary", () =>
    Effect.gen(function* () {
      const { policy } = setup(config, 5)
      const prefix = rows(1, 6)[0]!
      const tokens = Array.from({ length: config.vocab_size }, (_, v) => [...prefix, v])
      const s = yield* policy.score(full(tokens))
      const total = s.logprobs.reduce((a, row) => a + Math.exp(row[6]!), 0)
      expect(total).toBeCloseTo(1, 4)
      yield* policy.dispose
    })
  )

  it.effect("KV-cache sampling equals no-cache sampling (naive full recompute) for the same seed", () =>
    Effect.gen(function* () {
      const { w, policy } = setup(config, 6)
      const named = new Map(weightsToNamed(config, w))
      // Different prompt lengths exercise the left padding.
      const prompts = [[1, 40, 41, 42, 43, 44], [1, 50], [1, 60, 61, 62]]
      for (const [temperature, topP] of [[0, 1], [1, 1], [0.8, 0.9]] as const) {
        const o = new GenerateOptions({ n: 2, temperature, topP, maxTokens: 10, seed: 11 })
        const out = yield* policy.generateIds(prompts, o)
        out.forEach((samples, i) =>
          samples.forEach((sample, j) => {
            const rng = makeRng(11, i * 2 + j)
            const seq = [...prompts[i]!]
            const ids: Array<number> = []
            for (let step = 0; step < 10; step++) {
              const logits = naiveLogits(config, named, seq).at(-1)!
              const tok = pickToken(logits, temperature, topP, rng)
              ids.push(tok)
              seq.push(tok)
              if (tok === CharTokenizer.eosId) break
            }
            expect(sample.tokenIds).toEqual(ids)
          })
        )
      }
      yield* policy.dispose
    })
  )
})

describe("sampling", () => {
  it.effect("is deterministic for a seed, and greedy ignores the seed", () =>
    Effect.gen(function* () {
      const { policy } = setup(micro, 8)
      const o = (seed: number, temperature: number) => new GenerateOptions({ n: 2, temperature, maxTokens: 8, seed })
      const a = yield* policy.generate(["ab", "c"], o(1, 1))
      const b = yield* policy.generate(["ab", "c"], o(1, 1))
      expect(b).toEqual(a)
      const g1 = yield* policy.generate(["ab"], o(1, 0))
      const g2 = yield* policy.generate(["ab"], o(2, 0))
      expect(g2[0]![0]!.tokenIds).toEqual(g1[0]![0]!.tokenIds)
      yield* policy.dispose
    })
  )

  it.effect("rows that finish early are dropped from the cache without changing the others", () =>
    Effect.gen(function* () {
      const { w, policy } = setup(micro, 15)
      const named = new Map(weightsToNamed(micro, w))
      const prompts = [[1, 40, 41], [1, 50, 51, 52, 53]]
      // Common characters as stop strings make rows finish at different steps.
      const stop = [..."aeiou 1"]
      const out = yield* policy.generateIds(prompts, new GenerateOptions({ n: 6, temperature: 1.5, maxTokens: 12, seed: 3, stop }))
      const lengths = new Set(out.flat().map((s) => s.tokenIds.length))
      expect(lengths.size).toBeGreaterThan(2)
      out.forEach((samples, i) =>
        samples.forEach((sample, j) => {
          const rng = makeRng(3, i * 6 + j)
          const seq = [...prompts[i]!]
          const ids: Array<number> = []
          for (let step = 0; step < sample.tokenIds.length; step++) {
            const tok = pickToken(naiveLogits(micro, named, seq).at(-1)!, 1.5, 1, rng)
            ids.push(tok)
            seq.push(tok)
          }
          expect(sample.tokenIds).toEqual(ids)
        })
      )
      yield* policy.dispose
    })
  )

  it.effect("more rows than one cache chunk (MAX_ROWS) keep their per-row PRNG streams", () =>
    Effect.gen(function* () {
      const { w, policy } = setup(micro, 14)
      const named = new Map(weightsToNamed(micro, w))
      const out = (yield* policy.generateIds([[1, 44]], new GenerateOptions({ n: MAX_ROWS + 20, temperature: 1, maxTokens: 3, seed: 5 })))[0]!
      expect(out.length).toBe(MAX_ROWS + 20)
      for (const r of [0, MAX_ROWS + 7]) {
        const rng = makeRng(5, r)
        const seq = [1, 44]
        const ids: Array<number> = []
        for (let step = 0; step < 3; step++) {
          const tok = pickToken(naiveLogits(micro, named, seq).at(-1)!, 1, 1, rng)
          ids.push(tok)
          seq.push(tok)
          if (tok === CharTokenizer.eosId) break
        }
        expect(out[r]!.tokenIds).toEqual(ids)
      }
      yield* policy.dispose
    })
  )

  it.effect("stops at a stop string: text cut before it, finish reason stop", () =>
    Effect.gen(function* () {
      const { policy } = setup(micro, 9)
      // Find a prompt whose greedy continuation has ≥ 4 visible characters, then stop on a piece of it.
      let checked = false
      for (const prompt of ["x", "ab", "1+1=", "q", "zz", "7"]) {
        const visible = (yield* policy.generate([prompt], new GenerateOptions({ maxTokens: 12 })))[0]![0]!.text
        if (visible.length < 4) continue
        const stop = visible.slice(2, 4)
        const cut = (yield* policy.generate([prompt], new GenerateOptions({ maxTokens: 12, stop: [stop] })))[0]![0]!
        expect(cut.finishReason).toBe("stop")
        expect(cut.text).toBe(visible.slice(0, visible.indexOf(stop)))
        checked = true
        break
      }
      expect(checked).toBe(true)
      const len = (yield* policy.generate(["x"], new GenerateOptions({ maxTokens: 3 })))[0]![0]!
      expect(len.tokenIds.length).toBeLessThanOrEqual(3)
      if (len.finishReason === "length") expect(len.tokenIds.length).toBe(3)
      yield* policy.dispose
    })
  )

  it.effect("rejects prompts that do not fit or hold bad ids, naming the prompt", () =>
    Effect.gen(function* () {
      const { policy } = setup(micro, 10)
      const tooLong = yield* Effect.flip(policy.generateIds([[1, 2, 3]], new GenerateOptions({ maxTokens: 62 })))
      expect(tooLong.message).toContain("promptIds[0]")
      expect(tooLong.message).toContain("max_position_embeddings")
      const bad = yield* Effect.flip(policy.generateIds([[1], [1, 500]], new GenerateOptions({ maxTokens: 2 })))
      expect(bad.message).toContain("promptIds[1]")
      const ragged = yield* Effect.flip(policy.score({ tokens: [[1, 2], [1]], responseMask: [[0, 1], [0]] }))
      expect(ragged.message).toContain("batch.tokens[1]")
      yield* policy.dispose
    })
  )
})

describe("resources", () => {
  it.effect("numTensors is unchanged by generate, score, snapshots and training steps", () =>
    Effect.gen(function* () {
      const { policy } = setup(micro, 12)
      const opt = tf.train.sgd(0.01)
      const batch = full(rows(2, 10))
      const before = tf.memory().numTensors
      for (let i = 0; i < 3; i++) {
        yield* policy.generate(["a", "bc"], new GenerateOptions({ n: 2, temperature: 1, maxTokens: 5, seed: i }))
        yield* policy.score(batch, { withValues: true })
        const snap = yield* policy.snapshot()
        yield* snap.score(batch)
        const cost = opt.minimize(() => {
          const s = policy.scoreTensors(batch, { withValues: true })
          const r = snap.scoreTensors(batch)
          return tf.add(tf.neg(tf.mean(s.logprobs)), tf.add(tf.mean(tf.square(s.values!)), tf.mean(tf.sub(s.logprobs, r.logprobs))))
        }, true, [...policy.trainableVariables, ...policy.valueHeadVariables])
        cost?.dispose()
        yield* snap.dispose
      }
      expect(tf.memory().numTensors).toBe(before)
      opt.dispose()
      yield* policy.dispose
    })
  )

  it.effect("a snapshot stays frozen while the policy trains", () =>
    Effect.gen(function* () {
      const { policy } = setup(micro, 13)
      const batch = full(rows(2, 8))
      const snap = yield* policy.snapshot()
      const before = (yield* snap.score(batch)).logprobs
      const opt = tf.train.sgd(0.5)
      opt.minimize(() => tf.neg(tf.mean(policy.scoreTensors(batch).logprobs)) as tf.Scalar, false, [...policy.trainableVariables])
      expect((yield* snap.score(batch)).logprobs).toEqual(before)
      expect((yield* policy.score(batch)).logprobs).not.toEqual(before)
      yield* snap.dispose
      yield* policy.dispose
    })
  )
})

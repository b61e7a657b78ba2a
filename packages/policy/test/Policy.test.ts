import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect, Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Backend } from "../src/Backend.ts"
import { Policy } from "../src/Policy.ts"
import { PolicyLive } from "../src/PolicyLive.ts"
import { micro, rows } from "./fixtures.ts"

const live = Layer.provideMerge(PolicyLive.init(micro, { seed: 7 }), Backend.wasm)

describe("Policy (live, wasm)", () => {
  it.effect("generate returns n samples per prompt with ids, text, logprobs and a finish reason", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const out = yield* p.generate(["1+1=", "2*3="], new GenerateOptions({ n: 3, temperature: 1, maxTokens: 12, seed: 1 }))
      expect(out.length).toBe(2)
      for (const samples of out) {
        expect(samples.length).toBe(3)
        for (const s of samples) {
          expect(s.tokenIds.length).toBe(s.logprobs.length)
          expect(s.tokenIds.length).toBeLessThanOrEqual(12)
          expect(["eos", "length", "stop"]).toContain(s.finishReason)
          for (const lp of s.logprobs) expect(lp).toBeLessThanOrEqual(0)
        }
      }
    }).pipe(Effect.provide(live))
  )

  it.effect("score: column 0 is 0, log-probs ≤ 0, 0 ≤ entropy ≤ log V", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const tokens = rows(3, 10)
      const s = yield* p.score({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) }, { withValues: true })
      for (let b = 0; b < 3; b++) {
        expect(s.logprobs[b]![0]).toBe(0)
        for (let t = 1; t < 10; t++) {
          expect(s.logprobs[b]![t]!).toBeLessThanOrEqual(0)
          expect(s.entropies[b]![t]!).toBeGreaterThanOrEqual(-1e-5)
          expect(s.entropies[b]![t]!).toBeLessThanOrEqual(Math.log(100) + 1e-4)
        }
      }
      expect(s.values!.length).toBe(3)
    }).pipe(Effect.provide(live))
  )

  it.effect("save → load is bit-exact", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const dir = mkdtempSync(join(tmpdir(), "policy-ck-"))
      yield* p.save(dir)
      const q = yield* PolicyLive.fromCheckpoint(dir)
      expect(q.config).toEqual(p.config)
      const a = p.trainableVariables.map((v) => Array.from(v.dataSync()))
      const b = q.trainableVariables.map((v) => Array.from(v.dataSync()))
      expect(b).toEqual(a)
      const tokens = rows(2, 8)
      const batch = { tokens, responseMask: tokens.map((r) => r.map(() => 1)) }
      expect((yield* q.score(batch)).logprobs).toEqual((yield* p.score(batch)).logprobs)
      yield* q.dispose
    }).pipe(Effect.provide(live))
  )

  it.effect("gradients flow from scoreTensors into every trainable variable", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const tokens = rows(2, 6)
      const { value, grads } = tf.variableGrads(
        () => tf.neg(tf.mean(p.scoreTensors({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })
.logprobs)) as tf.Scalar,
        [...p.trainableVariables]
      )
      expect(Object.keys(grads).length).toBe(p.trainableVariables.length)
      for (const g of Object.values(grads)) expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0)
      tf.dispose([value, ...Object.values(grads)])
    }).pipe(Effect.provide(live))
  )
})

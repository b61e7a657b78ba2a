/**
 * End to end with the real transformer Policy (`PolicyLive` from
 * @oneshot/policy, a 1-layer model from random weights, digit vocabulary) on the next-digit
 * task, on wasm: GRPO must raise the reward within a few dozen steps.
 */
import { describe, expect, it } from "@effect/vitest"
import { Backend, makeCharTokenizer, ModelConfig, PolicyLive } from "@oneshot/policy"
import { Effect, Layer } from "effect"
import { readRunLog, runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"

const model = new ModelConfig({
  vocab_size: 14,
  hidden_size: 32,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_key_value_heads: 2,
  intermediate_size: 64,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: true
})

const source = (dir: string | undefined) =>
  (dir === undefined ? PolicyLive.init(model, { seed: 3, tokenizer: makeCharTokenizer("0123456789".split("")) }) : PolicyLive.load(dir)).pipe(Layer.provide(Backend.wasm))

describe("trainer with the transformer policy (wasm)", () => {
  it.effect("GRPO raises the next-digit reward within 40 steps", () =>
    Effect.gen(function* () {
      const dir = tempDir("transformer")
      const config = taskConfig(dir, {
        actor: { optimizer: { lr: 0.01, weightDecay: 0.01 }, entropyCoef: 0.001, klCoef: 0.001 },
        trainer: { steps: 40, batchSize: 5, checkpointEvery: 20, generationsEvery: 0, runDir: `${dir}/run` }
      })
      yield* train(config, source, { quiet: true })
      const scores = (yield* readRunLog(runLogPath(config.trainer.runDir))).flatMap((l) => (l._tag === "step" ? [l.metrics["critic/score/mean"]!] : []))
      const avg = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length
      expect(scores).toHaveLength(40)
      expect(avg(scores.slice(-5))).toBeGreaterThan(avg(scores.slice(0, 5)) + 0.3)
    }).pipe(Effect.provide(ExactMatchVerifier))
  )
})

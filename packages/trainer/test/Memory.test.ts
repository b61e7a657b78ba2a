/** Long runs must not leak tensors: a run frees everything it allocated (policy, reference, optimizers, step temporaries). */
import { describe, expect, it } from "@effect/vitest"
import { Backend, ModelConfig, PolicyLive, makeCharTokenizer } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect, Layer } from "effect"
import { train } from "../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"

const model = new ModelConfig({
  vocab_size: 14,
  hidden_size: 16,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_key_value_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: true
})
const source = (dir: string | undefined) =>
  (dir === undefined ? PolicyLive.init(model, { seed: 1, tokenizer: makeCharTokenizer("0123456789".split("")) }) : PolicyLive.load(dir)).pipe(Layer.provide(Backend.wasm))

describe("memory", () => {
  for (const algorithm of [{ advEstimator: "grpo" }, { advEstimator: "gae" }]) {
    it.effect(`a ${algorithm.advEstimator} run (KL, micro-batches, resume) leaves no tensors behind`, () =>
      Effect.gen(function* () {
        const dir = tempDir("memory")
        const config = taskConfig(dir, {
          algorithm,
          actor: { microBatchSize: 7, optimizer: { lr: 0.01 }, klCoef: 0.01 },
          rollout: { n: 4, temperature: 1, maxTokens: 3 },
          trainer: { steps: 6, batchSize: 5, checkpointEvery: 2, runDir: `${dir}/run` }
        })
        // warm up kernels/backends once so lazily created constants do not count
        yield* train(taskConfig(tempDir("memory-warm"), { algorithm, trainer: { steps: 1, batchSize: 5, runDir: `${tempDir("mw")}/run` } }), source, { quiet: true })
        const before = tf.memory().numTensors
        yield* train(config, source, { quiet: true, maxSteps: 3 })
        yield* train(config, source, { quiet: true, resume: true })
        expect(tf.memory().numTensors).toBe(before)
      }).pipe(Effect.provide(ExactMatchVerifier))
    )
  }
})

import { describe, expect, it } from "@effect/vitest"
import { CharTokenizer, ModelPresets, type TokenBatch } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { OptimizerConfig } from "../src/Optimizer.ts"
import { evalLoss, loadOptimizerState, makeSftBatch, runSft, SftConfig, type SftExample, type SftModel } from "../src/Sft.ts"

/**
 * A bigram language model behind the Scorer contract: small and fast, but
 * trained through exactly the same loss and optimizer path as the transformer.
 */
const bigram = (seed: number): SftModel & { saved: Array<string> } => {
  const V = CharTokenizer.vocabSize
  const w = tf.variable(tf.randomNormal([V, V], 0, 0.01, "float32", seed), true, `bigram_${seed}_${Math.random()}`)
  const saved: Array<string> = []
  const scoreTensors = (batch: TokenBatch) =>
    tf.tidy(() => {
      const ids = tf.tensor2d(batch.tokens.map((r) => [...r]), undefined, "int32")
      const [B, T] = ids.shape
      const prev = ids.slice([0, 0], [B, T - 1])
      const next = ids.slice([0, 1], [B, T - 1])
      const logits = tf.gather(w, prev.reshape([-1])).reshape([B, T - 1, V])
      const logp = tf.logSoftmax(logits)
      const picked = tf.sum(tf.mul(logp, tf.oneHot(next, V)), -1)
      const ent = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1))
      const zeros = tf.zeros([B, 1])
      return { logprobs: tf.concat([zeros, picked], 1) as tf.Tensor2D, entropies: tf.concat([zeros, ent], 1) as tf.Tensor2D }
    })
  const model: SftModel & { saved: Array<string> } = {
    config: ModelPresets.tiny,
    tokenizer: CharTokenizer,
    scoreTensors,
    score: () => Effect.die("unused"),
    trainableVariables: [w],
    save: (dir) =>
      Effect.sync(() => {
        fs.mkdirSync(dir, { recursive: true })
        fs.writeFileSync(path.join(dir, "weights.json"), JSON.stringify(Array.from(w.dataSync()).slice(0, 4)))
        saved.push(dir)
      }),
    saved
  }
  return model
}

const examples: ReadonlyArray<SftExample> = [
  { prompt: "Q: 1+2\nA: ", completion: "3" },
  { prompt: "Q: 2+2\nA: ", completion: "4" },
  { prompt: "Q: 3+4\nA: ", completion: "7" }
]

describe("Sft", () => {
  it("makeSftBatch: BOS prompt completion EOS, right-padded, mask on targets", () => {
    const b = makeSftBatch({ tokenizer: CharTokenizer }, [{ prompt: "ab", completion: "c" }, { prompt: "a", completion: "" }], 16, false)
    const tk = CharTokenizer
    expect(b.tokens[0]).toEqual([tk.bosId, ...tk.encode("abc"), tk.eosId])
    expect(b.responseMask[0]).toEqual([0, 0, 0, 1, 1])
    expect(b.tokens[1]).toEqual([tk.bosId, ...tk.encode("a"), tk.eosId, tk.padId, tk.padId])
    expect(b.responseMask[1]).toEqual([0, 0, 1, 0, 0])
    const all = makeSftBatch({ tokenizer: CharTokenizer }, [{ prompt: "ab", completion: "c" }], 3, true)
    expect(all.tokens[0]!.length).toBe(3)
    expect(all.responseMask[0]).toEqual([0, 1, 1])
  })

  it.effect("a tiny run lowers the loss and checkpoints atomically with optimizer state", () =>
    Effect.gen(function* () {
      yield* Effect.promise(() => tf.setBackend("cpu"))
      const model = bigram(1)
      const batch = makeSftBatch(model, examples, 64, true)
      const before = evalLoss(model, batch)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sft-"))
      const logs: Array<number> = []
      const config = SftConfig.make({
        steps: 40,
        batchSize: 3,
        maxTokens: 64,
        optimizer: OptimizerConfig.make({ lr: 0.05, weightDecay: 0 }),
        logEvery: 10,
        checkpointEvery: 20
      })
      const r = yield* runSft(model, config, () => examples, { onLog: (m) => Effect.sync(() => logs.push(m.step)) }, { checkpointDir: dir })
      const after = evalLoss(model, batch)
      expect(after).toBeLessThan(before * 0.7)
      expect(r.lastLoss).toBeLessThan(r.firstLoss)
      expect(logs).toEqual([10, 20, 30, 40])
      expect(model.saved).toEqual([path.join(dir, "step_20"), path.join(dir, "final")])
      const state = loadOptimizerState(path.join(dir, "final"))
      expect(state?.step).toBe(40)
      expect(fs.readdirSync(path.join(dir, "final")).some((f) => f.includes(".tmp"))).toBe(false)
    })
  )

  it.effect("lossNorm: a budget equal to every batch's token count runs as the default; logged loss is the mean NLL", () =>
    Effect.gen(function* () {
      yield* Effect.promise(() => tf.setBackend("cpu"))
      const base = { steps: 8, batchSize: 3, maxTokens: 64, optimizer: OptimizerConfig.make({ lr: 0.05, weightDecay: 0 }), logEvery: 4 }
      const tokens = makeSftBatch(bigram(9), examples, 64, false).responseMask.flat().reduce((a, x) => a + x, 0)
      const mean = yield* runSft(bigram(3), SftConfig.make({ ...base, trainOnPrompt: false }), () => examples)
      const fixed = yield* runSft(bigram(3), SftConfig.make({ ...base, trainOnPrompt: false, lossNorm: { _tag: "fixed-token-budget", tokens } }), () => examples)
      fixed.history.forEach((m, i) => expect(m.loss).toBeCloseTo(mean.history[i]!.loss, 5))
      // A budget 10× the token count: the logged loss is still the mean NLL (the first step's, before any update).
      const big = yield* runSft(bigram(3), SftConfig.make({ ...base, trainOnPrompt: false, lossNorm: { _tag: "fixed-token-budget", tokens: tokens * 10 } }), () => examples)
      expect(big.firstLoss).toBeCloseTo(mean.firstLoss, 5)
    })
  )

  it.effect("an empty batch fails with an error naming the step", () =>
    Effect.gen(function* () {
      yield* Effect.promise(() => tf.setBackend("cpu"))
      const model = bigram(2)
      const config = SftConfig.make({ steps: 2, batchSize: 1, maxTokens: 8, optimizer: OptimizerConfig.make({ lr: 0.01 }) })
      const err = yield* Effect.flip(runSft(model, config, (s) => (s === 1 ? [] : examples)))
      expect(err.message).toMatch(/batch at step 1: expected at least one example/)
    })
  )
})

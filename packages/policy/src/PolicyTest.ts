/**
 * A deterministic stand-in Policy for tests of code that consumes one
 * (trainers, evaluators): generation returns scripted responses, and scoring
 * is a real differentiable bigram model (logits of token t+1 = row tokens[t]
 * of a [V, V] variable, zeros at start = uniform), so losses, gradients,
 * snapshots and the value head behave like the real thing, instantly.
 */
import * as tf from "@tensorflow/tfjs"
import { type GenerateOptions, Sample } from "@oneshot/core"
import { Effect, Layer } from "effect"
import { configJson, writeAtomic } from "./Checkpoint.ts"
import { PolicyError } from "./Errors.ts"
import { oneHot, shiftRight } from "./Model.ts"
import { ModelPresets, type ModelConfig } from "./ModelConfig.ts"
import { linear } from "./Ops.ts"
import { batchProblem } from "./PolicyLive.ts"
import { Policy, type PolicyShape, type ScoreArrays, type ScoreOptions, type Scorer, scoreTemperature, type TokenBatch } from "./Policy.ts"
import { encodeSafetensors } from "./Safetensors.ts"
import { logSoftmax } from "./Sampler.ts"
import { CharTokenizer, type TokenizerShape } from "./Tokenizer.ts"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"

export interface PolicyTestOptions {
  /** The response to prompt `prompt`, sample `index` (default: "42"). */
  readonly respond?: (prompt: string, index: number) => string
  /** Reported config (only vocab_size and max_position_embeddings matter). Default: the tiny preset. */
  readonly config?: ModelConfig
}

let counter = 0

interface Bigram {
  readonly table: tf.Variable<tf.Rank.R2>
  readonly valueW: tf.Variable<tf.Rank.R2>
  readonly valueB: tf.Variable<tf.Rank.R1>
}

const bigramScorer = (config: ModelConfig, tokenizer: TokenizerShape, m: Bigram): Scorer => {
  const V = config.vocab_size
  const scoreTensors = (batch: TokenBatch, options?: ScoreOptions) => {
    const problem = batchProblem(config, batch)
    if (problem !== undefined) throw problem
    const temperature = scoreTemperature(options)
    return tf.tidy(() => {
      const B = batch.tokens.length
      const T = batch.tokens[0]!.length
      const x = oneHot(batch.tokens.flat(), V)
      const logp = tf.logSoftmax(tf.div(linear(x, m.table), temperature))
      const next = batch.tokens.flatMap((row) => row.map((_, t) => (t + 1 < T ? row[t + 1]! : 0)))
      const lp = tf.reshape(tf.sum(tf.mul(logp, oneHot(next, V)), -1), [B, T]) as tf.Tensor2D
      const ent = tf.reshape(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1)), [B, T]) as tf.Tensor2D
      const values = options?.withValues === true
        ? { values: shiftRight(tf.reshape(tf.add(linear(x, m.valueW), m.valueB), [B, T]) as tf.Tensor2D) }
        : {}
      return { logprobs: shiftRight(lp), entropies: shiftRight(ent), ...values }
    })
  }
  const score = (batch: TokenBatch, options?: ScoreOptions): Effect.Effect<ScoreArrays, PolicyError> =>
    Effect.try({
      try: () => {
        const s = scoreTensors(batch, options)
        const out = {
          logprobs: s.logprobs.arraySync(),
          entropies: s.entropies.arraySync(),
          ...(s.values === undefined ? {} : { values: s.values.arraySync() })
        }
        tf.dispose([s.logprobs, s.entropies, ...(s.values === undefined ? [] : [s.values])])
        return out
      },
      catch: (e) => (e instanceof PolicyError ? e : new PolicyError({ input: "batch", expected: "a scorable batch", actual: String(e), cause: e }))
    })
  return { config, tokenizer, scoreTensors, score }
}

const makeBigram = (V: number, trainable: boolean, from?: Bigram): Bigram => {
  const tag = `bigram${counter++}`
  return {
    table: tf.variable(from ? tf.clone(from.table) : tf.zeros([V, V]), trainable, `${tag}/table`) as tf.Variable<tf.Rank.R2>,
    valueW: tf.variable(from ? tf.clone(from.valueW) : tf.zeros([V, 1]), trainable, `${tag}/vw`) as tf.Variable<tf.Rank.R2>,
    valueB: tf.variable(from ? tf.clone(from.valueB) : tf.zeros([1]), trainable, `${tag}/vb`) as tf.Variable<tf.Rank.R1>
  }
}

const disposeBigram = (m: Bigram) => tf.dispose([m.table, m.valueW, m.valueB])

/** The stub policy (call `dispose` when done). */
export const makeTestPolicy = (options: PolicyTestOptions = {}): PolicyShape => {
  const config = options.config ?? ModelPresets.tiny
  const tokenizer = CharTokenizer
  const respond = options.respond ?? (() => "42")
  const m = makeBigram(config.vocab_size, true)
  const scorer = bigramScorer(config, tokenizer, m)

  const sampleFor = (prompt: ReadonlyArray<number>, text: string, o: GenerateOptions): Sample => {
    const table = m.table.arraySync()
    let ids = tokenizer.encode(text)
    let finish: "eos" | "length" | "stop" = "eos"
    let outText = text
    let cut = -1
    for (const s of o.stop) {
      const at = s.length > 0 ? text.indexOf(s) : -1
      if (at >= 0 && (cut < 0 || at < cut)) cut = at
    }
    if (cut >= 0) {
      // Tokens through the one that completes the stop string (char-level: one per char).
      const stopLen = o.stop.find((s) => text.indexOf(s) === cut)!.length
      ids = ids.slice(0, cut + stopLen)
      outText = text.slice(0, cut)
      finish = "stop"
    } else {
      ids = [...ids, tokenizer.eosId]
    }
    if (ids.length > o.maxTokens) {
      ids = ids.slice(0, o.maxTokens)
      outText = tokenizer.decode(ids)
      finish = "length"
    }
    let prev = prompt.length > 0 ? prompt[prompt.length - 1]! : tokenizer.bosId
    const logprobs = ids.map((id) => {
      const lp = logSoftmax(table[prev]!)[id]!
      prev = id
      return lp
    })
    return new Sample({ text: outText, tokenIds: ids, logprobs, finishReason: finish })
  }

  const generateIds = (promptIds: ReadonlyArray<ReadonlyArray<number>>, o: GenerateOptions) =>
    Effect.sync(() =>
      promptIds.map((p) => {
        const prompt = tokenizer.decode(p)
        return Array.from({ length: o.n }, (_, j) => sampleFor(p, respond(prompt, j), o))
      })
    )

  return {
    ...scorer,
    generateIds,
    generate: (prompts, o) => generateIds(prompts.map((p) => [tokenizer.bosId, ...tokenizer.encode(p)]), o),
    trainableVariables: [m.table],
    valueHeadVariables: [m.valueW, m.valueB],
    snapshot: () =>
      Effect.sync(() => {
        const frozen = makeBigram(config.vocab_size, false, m)
        return { ...bigramScorer(config, tokenizer, frozen), dispose: Effect.sync(() => disposeBigram(frozen)) }
      }),
    save: (dir) =>
      Effect.gen(function* () {
        yield* Effect.promise(() => mkdir(dir, { recursive: true }))
        const named = [
          ["bigram.weight", { shape: m.table.shape, data: m.table.dataSync() as Float32Array }],
          ["value_head.weight", { shape: m.valueW.shape, data: m.valueW.dataSync() as Float32Array }],
          ["value_head.bias", { shape: m.valueB.shape, data: m.valueB.dataSync() as Float32Array }]
        ] as const
        yield* writeAtomic(join(dir, "model.safetensors"), encodeSafetensors(named))
        yield* writeAtomic(join(dir, "config.json"), configJson(config))
      }),
    dispose: Effect.sync(() => disposeBigram(m))
  }
}

export const PolicyTest = {
  make: makeTestPolicy,
  /** Layer: the stub policy, freed when the layer is released. Needs no Backend (any active tfjs backend works). */
  layer: (options: PolicyTestOptions = {}): Layer.Layer<Policy> =>
    Layer.scoped(Policy, Effect.acquireRelease(Effect.sync(() => makeTestPolicy(options)), (p) => p.dispose))
}

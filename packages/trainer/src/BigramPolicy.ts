/**
 * A bigram policy (next-token logits = a learned table indexed by the previous
 * token) implementing the full `Policy` contract. It exists so the trainer's
 * tests and demos run in seconds on any backend, independent of the
 * transformer: GRPO on a task it can express ("after this token, say that
 * one") must raise the reward within a few dozen steps, and the loss gradient
 * can be checked against a plain float64 re-implementation.
 */
import { Sample } from "@oneshot/core"
import {
  CheckpointError,
  makeCharTokenizer,
  ModelConfig,
  Policy,
  PolicyError,
  type PolicyShape,
  type PolicySnapshot,
  type ScoreArrays,
  type ScoreOptions,
  type ScoreTensors,
  scoreTemperature,
  type TokenBatch,
  type TokenizerShape
} from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect, Layer } from "effect"
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { hashInts, mulberry32 } from "./Rng.ts"

export interface BigramWeights {
  /** [V][V] logits of the next token given the previous one. */
  readonly logits: ReadonlyArray<ReadonlyArray<number>>
  /** [V] value of the state whose last token is v. */
  readonly values: ReadonlyArray<number>
}

const pad0 = (x: tf.Tensor2D): tf.Tensor2D => tf.pad(x, [[0, 0], [1, 0]])

/** Differentiable scoring with the contract's alignment: column t scores tokens[t] given tokens[t−1]; column 0 is 0. */
const scoreWith = (W: tf.Tensor2D, vW: tf.Tensor1D, batch: TokenBatch, options?: ScoreOptions): ScoreTensors => {
  const B = batch.tokens.length
  const T = batch.tokens[0]?.length ?? 0
  if (B === 0 || T < 2 || batch.tokens.some((r) => r.length !== T)) {
    throw new PolicyError({ input: "batch.tokens", expected: "a non-empty [B][T] array with equal rows and T ≥ 2", actual: `B=${B}` })
  }
  return tf.tidy(() => {
    const V = W.shape[0]
    const prev = tf.tensor2d(batch.tokens.map((r) => r.slice(0, -1)), [B, T - 1], "int32")
    const next = tf.tensor2d(batch.tokens.map((r) => r.slice(1)), [B, T - 1], "int32")
    // one-hot matmul instead of gather: gather's gradient needs a kernel wasm lacks
    const prevHot = tf.reshape(tf.oneHot(tf.reshape(prev, [-1]), V), [B * (T - 1), V])
    const logp = tf.reshape(tf.logSoftmax(tf.div(tf.matMul(prevHot, W), scoreTemperature(options))), [B, T - 1, V])
    const lp = tf.sum(tf.mul(logp, tf.oneHot(next, V)), -1) as tf.Tensor2D
    const ent = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), -1)) as tf.Tensor2D
    const out: { logprobs: tf.Tensor2D; entropies: tf.Tensor2D; values?: tf.Tensor2D } = { logprobs: pad0(lp), entropies: pad0(ent) }
    if (options?.withValues === true) out.values = pad0(tf.reshape(tf.matMul(prevHot, tf.reshape(vW, [V, 1])), [B, T - 1]))
    return out
  })
}

const toArrays = (s: ScoreTensors): ScoreArrays => {
  const out: { logprobs: Array<Array<number>>; entropies: Array<Array<number>>; values?: Array<Array<number>> } = {
    logprobs: s.logprobs.arraySync(),
    entropies: s.entropies.arraySync()
  }
  if (s.values !== undefined) out.values = s.values.arraySync()
  tf.dispose([s.logprobs, s.entropies, ...(s.values === undefined ? [] : [s.values])])
  return out
}

export interface BigramOptions {
  /** Characters of the tokenizer (default: digits). */
  readonly chars?: ReadonlyArray<string>
  /** Seed of the initial weights (small random logits). */
  readonly seed?: number
  /** Start from these weights instead (a checkpoint). */
  readonly weights?: BigramWeights
}

/** Builds a bigram policy (synchronously; wrap in an Effect/Layer for services). */
export const makeBigramPolicy = (options: BigramOptions = {}): PolicyShape => {
  const tokenizer: TokenizerShape = makeCharTokenizer(options.chars ?? "0123456789".split(""))
  const V = tokenizer.vocabSize
  const rand = mulberry32(hashInts(options.seed ?? 0, 77))
  const init = options.weights ?? {
    logits: Array.from({ length: V }, () => Array.from({ length: V }, () => (rand() - 0.5) * 0.02)),
    values: Array.from({ length: V }, () => 0)
  }
  if (init.logits.length !== V || init.values.length !== V) {
    throw new PolicyError({ input: "bigram weights", expected: `a ${V}×${V} table and ${V} values`, actual: `${init.logits.length} rows` })
  }
  const W = tf.variable(tf.tensor2d(init.logits.map((r) => [...r]), [V, V]), true)
  const vW = tf.variable(tf.tensor1d([...init.values]), true)
  const config = new ModelConfig({
    vocab_size: V,
    hidden_size: 2,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    num_key_value_heads: 1,
    intermediate_size: 1,
    max_position_embeddings: 4096,
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    tie_word_embeddings: true
  })

  const generateIds: PolicyShape["generateIds"] = (promptIds, opts) =>
    Effect.sync(() => {
      const table = W.arraySync()
      const r = mulberry32(hashInts(opts.seed ?? 0, 99))
      return promptIds.map((prompt) =>
        Array.from({ length: opts.n }, () => {
          let prev = prompt[prompt.length - 1] ?? tokenizer.bosId
          const ids: Array<number> = []
          const lps: Array<number> = []
          let finish: "eos" | "length" = "length"
          for (let k = 0; k < opts.maxTokens; k++) {
            const row = table[prev]!
            const m = Math.max(...row)
            const z = row.reduce((s, x) => s + Math.exp(x - m), 0)
            const logp = row.map((x) => x - m - Math.log(z))
            let tok: number
            if (opts.temperature === 0) tok = logp.indexOf(Math.max(...logp))
            else {
              const w = logp.map((l) => Math.exp(l / opts.temperature))
              const total = w.reduce((s, x) => s + x, 0)
              let u = r() * total
              tok = w.length - 1
              for (let i = 0; i < w.length; i++) {
                u -= w[i]!
                if (u < 0) {
                  tok = i
                  break
                }
              }
            }
            ids.push(tok)
            lps.push(logp[tok]!)
            prev = tok
            if (tok === tokenizer.eosId) {
              finish = "eos"
              break
            }
          }
          return Sample.make({ text: tokenizer.decode(ids), tokenIds: ids, logprobs: lps, finishReason: finish })
        })
      )
    })

  const weights = (): BigramWeights => ({ logits: W.arraySync(), values: Array.from(vW.dataSync()) })

  const policy: PolicyShape = {
    config,
    tokenizer,
    scoreTensors: (batch, o) => scoreWith(W, vW, batch, o),
    score: (batch, o) => Effect.try({ try: () => toArrays(scoreWith(W, vW, batch, o)), catch: (e) => e as PolicyError }),
    generateIds,
    generate: (prompts, opts) => generateIds(prompts.map((p) => [tokenizer.bosId, ...tokenizer.encode(p)]), opts),
    trainableVariables: [W],
    valueHeadVariables: [vW],
    snapshot: () =>
      Effect.sync((): PolicySnapshot => {
        const fw = tf.keep(W.clone()) as tf.Tensor2D
        const fv = tf.keep(vW.clone()) as tf.Tensor1D
        return {
          config,
          tokenizer,
          scoreTensors: (batch, o) => scoreWith(fw, fv, batch, o),
          score: (batch, o) => Effect.try({ try: () => toArrays(scoreWith(fw, fv, batch, o)), catch: (e) => e as PolicyError }),
          dispose: Effect.sync(() => tf.dispose([fw, fv]))
        }
      }),
    save: (dir) =>
      Effect.try({
        try: () => {
          const tmp = `${dir}.tmp-${process.pid}`
          rmSync(tmp, { recursive: true, force: true })
          mkdirSync(tmp, { recursive: true })
          writeFileSync(join(tmp, "bigram.json"), JSON.stringify({ chars: options.chars ?? null, ...weights() }))
          rmSync(dir, { recursive: true, force: true })
          renameSync(tmp, dir)
        },
        catch: (e) => new CheckpointError({ path: dir, reason: e instanceof Error ? e.message : String(e), cause: e })
      }),
    dispose: Effect.sync(() => tf.dispose([W, vW]))
  }
  return policy
}

/** Loads a bigram policy saved by `save(dir)`. */
export const loadBigramPolicy = (dir: string): Effect.Effect<PolicyShape, CheckpointError> =>
  Effect.try({
    try: () => {
      const json = JSON.parse(readFileSync(join(dir, "bigram.json"), "utf8")) as BigramWeights & { chars: Array<string> | null }
      return makeBigramPolicy({ weights: json, ...(json.chars === null ? {} : { chars: json.chars }) })
    },
    catch: (e) => new CheckpointError({ path: join(dir, "bigram.json"), reason: e instanceof Error ? e.message : String(e), cause: e })
  })

/** A scoped Policy layer: from `dir` when given, else fresh with `options`; weights freed on release. */
export const BigramPolicyLayer = (options: BigramOptions, dir?: string): Layer.Layer<Policy, CheckpointError> =>
  Layer.scoped(
    Policy,
    Effect.acquireRelease(dir === undefined ? Effect.sync(() => makeBigramPolicy(options)) : loadBigramPolicy(dir), (p) => p.dispose)
  )

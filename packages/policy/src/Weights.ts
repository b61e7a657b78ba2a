/**
 * The model's parameters as named tfjs variables. Names and stored shapes
 * follow Hugging Face Llama/Qwen2 (`model.layers.0.self_attn.q_proj.weight`,
 * linear weights [out, in]); in memory linear weights are kept [in, out] so
 * the forward pass is x·W without a transpose.
 */
import * as tf from "@tensorflow/tfjs"
import type { ModelConfig } from "./ModelConfig.ts"

export interface ParamSpec {
  /** Hugging Face name. */
  readonly name: string
  /** Shape as stored in a checkpoint (HF layout). */
  readonly shape: ReadonlyArray<number>
  /** Linear weight: stored [out, in], held [in, out]. */
  readonly linear: boolean
  readonly init: "normal" | "ones" | "zeros"
  /** Part of the value head, not the transformer. */
  readonly valueHead: boolean
}

/** Every parameter of a config, in a fixed order. */
export const paramSpecs = (c: ModelConfig): Array<ParamSpec> => {
  const d = c.hidden_size
  const kv = c.num_key_value_heads * (d / c.num_attention_heads)
  const ff = c.intermediate_size
  const specs: Array<ParamSpec> = []
  const add = (name: string, shape: Array<number>, linear: boolean, init: ParamSpec["init"], valueHead = false) =>
    specs.push({ name, shape, linear, init, valueHead })
  add("model.embed_tokens.weight", [c.vocab_size, d], false, "normal")
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}`
    add(`${p}.input_layernorm.weight`, [d], false, "ones")
    add(`${p}.self_attn.q_proj.weight`, [d, d], true, "normal")
    add(`${p}.self_attn.k_proj.weight`, [kv, d], true, "normal")
    add(`${p}.self_attn.v_proj.weight`, [kv, d], true, "normal")
    if (c.attention_bias === true) {
      add(`${p}.self_attn.q_proj.bias`, [d], false, "zeros")
      add(`${p}.self_attn.k_proj.bias`, [kv], false, "zeros")
      add(`${p}.self_attn.v_proj.bias`, [kv], false, "zeros")
    }
    add(`${p}.self_attn.o_proj.weight`, [d, d], true, "normal")
    add(`${p}.post_attention_layernorm.weight`, [d], false, "ones")
    add(`${p}.mlp.gate_proj.weight`, [ff, d], true, "normal")
    add(`${p}.mlp.up_proj.weight`, [ff, d], true, "normal")
    add(`${p}.mlp.down_proj.weight`, [d, ff], true, "normal")
  }
  add("model.norm.weight", [d], false, "ones")
  if (!c.tie_word_embeddings) add("lm_head.weight", [c.vocab_size, d], true, "normal")
  add("value_head.weight", [1, d], true, "zeros", true)
  add("value_head.bias", [1], false, "zeros", true)
  return specs
}

/** In-memory shape: linear weights transposed to [in, out]. */
export const heldShape = (s: ParamSpec): Array<number> => (s.linear ? [s.shape[1]!, s.shape[0]!] : [...s.shape])

export interface LayerWeights {
  readonly inNorm: tf.Variable<tf.Rank.R1>
  readonly wq: tf.Variable<tf.Rank.R2>
  readonly wk: tf.Variable<tf.Rank.R2>
  readonly wv: tf.Variable<tf.Rank.R2>
  /** q|k|v biases (Qwen2), absent without `attention_bias`. */
  readonly bq: tf.Variable<tf.Rank.R1> | undefined
  readonly bk: tf.Variable<tf.Rank.R1> | undefined
  readonly bv: tf.Variable<tf.Rank.R1> | undefined
  readonly wo: tf.Variable<tf.Rank.R2>
  readonly postNorm: tf.Variable<tf.Rank.R1>
  readonly wg: tf.Variable<tf.Rank.R2>
  readonly wu: tf.Variable<tf.Rank.R2>
  readonly wd: tf.Variable<tf.Rank.R2>
}

export interface Weights {
  readonly embed: tf.Variable<tf.Rank.R2>
  readonly layers: ReadonlyArray<LayerWeights>
  readonly norm: tf.Variable<tf.Rank.R1>
  /** [d, V]; absent when tied to `embed`. */
  readonly lmHead: tf.Variable<tf.Rank.R2> | undefined
  readonly valueW: tf.Variable<tf.Rank.R2>
  readonly valueB: tf.Variable<tf.Rank.R1>
  /** All, by HF name, in `paramSpecs` order. */
  readonly byName: ReadonlyMap<string, tf.Variable>
  readonly transformer: ReadonlyArray<tf.Variable>
  readonly valueHead: ReadonlyArray<tf.Variable>
}

let counter = 0

/** Wraps tensors (held layout, by HF name) as variables; takes ownership of the tensors. */
export const weightsFromTensors = (
  c: ModelConfig,
  tensors: ReadonlyMap<string, tf.Tensor>,
  trainable: boolean
): Weights => {
  const tag = `w${counter++}`
  const byName = new Map<string, tf.Variable>()
  const specs = paramSpecs(c)
  for (const s of specs) {
    const t = tensors.get(s.name)!
    byName.set(s.name, tf.variable(t, trainable, `${tag}/${s.name}`))
    t.dispose()
  }
  const g = <R extends tf.Rank>(name: string) => byName.get(name) as tf.Variable<R>
  return {
    embed: g("model.embed_tokens.weight"),
    layers: Array.from({ length: c.num_hidden_layers }, (_, i) => {
      const p = `model.layers.${i}`
      return {
        inNorm: g(`${p}.input_layernorm.weight`),
        wq: g(`${p}.self_attn.q_proj.weight`),
        wk: g(`${p}.self_attn.k_proj.weight`),
        wv: g(`${p}.self_attn.v_proj.weight`),
        bq: c.attention_bias === true ? g(`${p}.self_attn.q_proj.bias`) : undefined,
        bk: c.attention_bias === true ? g(`${p}.self_attn.k_proj.bias`) : undefined,
        bv: c.attention_bias === true ? g(`${p}.self_attn.v_proj.bias`) : undefined,
        wo: g(`${p}.self_attn.o_proj.weight`),
        postNorm: g(`${p}.post_attention_layernorm.weight`),
        wg: g(`${p}.mlp.gate_proj.weight`),
        wu: g(`${p}.mlp.up_proj.weight`),
        wd: g(`${p}.mlp.down_proj.weight`)
      }
    }),
    norm: g("model.norm.weight"),
    lmHead: c.tie_word_embeddings ? undefined : g("lm_head.weight"),
    valueW: g("value_head.weight"),
    valueB: g("value_head.bias"),
    byName,
    transformer: specs.filter((s) => !s.valueHead).map((s) => byName.get(s.name)!),
    valueHead: specs.filter((s) => s.valueHead).map((s) => byName.get(s.name)!)
  }
}

/** Fresh weights: N(0, 0.02²) for matrices (HF `initializer_range`), ones for norms, zeros for the value head. */
export const initWeights = (c: ModelConfig, seed: number): Weights => {
  const tensors = new Map<string, tf.Tensor>()
  paramSpecs(c).forEach((s, i) => {
    const shape = heldShape(s)
    tensors.set(
      s.name,
      s.init === "ones" ? tf.ones(shape) : s.init === "zeros" ? tf.zeros(shape) : tf.randomNormal(shape, 0, 0.02, "float32", seed * 1000 + i)
    )
  })
  return weightsFromTensors(c, tensors, true)
}

/** A frozen (non-trainable) copy. */
export const cloneWeights = (c: ModelConfig, w: Weights, trainable: boolean): Weights =>
  weightsFromTensors(c, new Map([...w.byName].map(([n, v]) => [n, tf.clone(v)])), trainable)

export const disposeWeights = (w: Weights): void => {
  for (const v of w.byName.values()) v.dispose()
}

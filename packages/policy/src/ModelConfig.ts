/**
 * The transformer's shape, with Hugging Face (Llama/Qwen2) field names so that
 * `config.json` in a checkpoint reads like any other model's.
 */
import { Schema } from "effect"

const PositiveInt = Schema.Int.pipe(Schema.positive())

export class ModelConfig extends Schema.Class<ModelConfig>("ModelConfig")({
  vocab_size: PositiveInt,
  hidden_size: PositiveInt,
  num_hidden_layers: PositiveInt,
  num_attention_heads: PositiveInt,
  /** < num_attention_heads for grouped-query attention; must divide it. */
  num_key_value_heads: PositiveInt,
  intermediate_size: PositiveInt,
  max_position_embeddings: PositiveInt,
  rms_norm_eps: Schema.Number.pipe(Schema.positive()),
  rope_theta: Schema.Number.pipe(Schema.positive()),
  tie_word_embeddings: Schema.Boolean,
  /** q/k/v projections with biases (Qwen2); absent = none (Llama). */
  attention_bias: Schema.optional(Schema.Boolean)
}) {
  get headDim(): number {
    return this.hidden_size / this.num_attention_heads
  }
}

/** Checks the relations between fields that a Schema per field cannot. Returns the problem, if any. */
export const configProblem = (c: ModelConfig): string | undefined => {
  if (c.hidden_size % c.num_attention_heads !== 0) {
    return `hidden_size (${c.hidden_size}) divisible by num_attention_heads (${c.num_attention_heads})`
  }
  if (c.num_attention_heads % c.num_key_value_heads !== 0) {
    return `num_attention_heads (${c.num_attention_heads}) divisible by num_key_value_heads (${c.num_key_value_heads})`
  }
  if ((c.hidden_size / c.num_attention_heads) % 2 !== 0) {
    return `an even head dimension for rotary positions (hidden_size / num_attention_heads = ${c.hidden_size / c.num_attention_heads})`
  }
  return undefined
}

/** Number of parameters (without the optional value head). */
export const parameterCount = (c: ModelConfig): number => {
  const d = c.hidden_size
  const kv = c.num_key_value_heads * (d / c.num_attention_heads)
  const attn = d * d * 2 + d * kv * 2
  const mlp = 3 * d * c.intermediate_size
  const perLayer = attn + mlp + 2 * d + (c.attention_bias === true ? d + 2 * kv : 0)
  const embed = c.vocab_size * d * (c.tie_word_embeddings ? 1 : 2)
  return embed + c.num_hidden_layers * perLayer + d
}

const base = {
  max_position_embeddings: 1024,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: true
} as const

/** Named sizes for the character vocabulary (100 symbols). */
export const ModelPresets = {
  /** ≈0.83M parameters: d128, 4 layers, 4 heads. */
  tiny: new ModelConfig({
    ...base,
    vocab_size: 100,
    hidden_size: 128,
    num_hidden_layers: 4,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    intermediate_size: 352
  }),
  /** ≈4.8M parameters: d256, 6 layers, 8 heads. */
  small: new ModelConfig({
    ...base,
    vocab_size: 100,
    hidden_size: 256,
    num_hidden_layers: 6,
    num_attention_heads: 8,
    num_key_value_heads: 8,
    intermediate_size: 704
  }),
  /** ≈25.7M parameters: d512, 8 layers, 8 heads. */
  medium: new ModelConfig({
    ...base,
    vocab_size: 100,
    hidden_size: 512,
    num_hidden_layers: 8,
    num_attention_heads: 8,
    num_key_value_heads: 8,
    intermediate_size: 1408
  })
} as const

export type ModelPresetName = keyof typeof ModelPresets

/** Small configs and helpers shared by the tests. */
import { ModelConfig } from "../src/ModelConfig.ts"

/** 2 layers, GQA (4 query heads over 2 kv heads), untied head. */
export const micro = new ModelConfig({
  vocab_size: 100,
  hidden_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  intermediate_size: 48,
  max_position_embeddings: 64,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  tie_word_embeddings: false
})

/** Like `micro` but tied embeddings and full multi-head attention. */
export const microTied = new ModelConfig({ ...micro, num_key_value_heads: 4, tie_word_embeddings: true })

/** Deterministic pseudo-random token rows in [4, 100). */
export const rows = (B: number, T: number, salt = 0): Array<Array<number>> =>
  Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => 4 + ((b * 31 + t * 17 + salt * 7 + ((b * t) % 5)) % 96)))

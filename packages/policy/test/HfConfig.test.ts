import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { parseHfConfig } from "../src/HfConfig.ts"

const qwen15b = {
  architectures: ["Qwen2ForCausalLM"], model_type: "qwen2", hidden_size: 1536, intermediate_size: 8960, num_hidden_layers: 28,
  num_attention_heads: 12, num_key_value_heads: 2, max_position_embeddings: 4096, rope_theta: 10000, rms_norm_eps: 1e-6,
  tie_word_embeddings: true, torch_dtype: "bfloat16", vocab_size: 151936, use_sliding_window: false, sliding_window: 4096, eos_token_id: 151643
}
const err = (raw: unknown) => Either.match(parseHfConfig(raw), { onLeft: (m) => m, onRight: () => "ok" })

describe("config.json", () => {
  it("reads Qwen2.5-Math-1.5B's fields (biases, GQA, tied head, bf16)", () => {
    const c = Either.getOrThrow(parseHfConfig(qwen15b))
    expect(c.family).toBe("qwen2")
    expect(c.dtype).toBe("BF16")
    expect(c.eosId).toBe(151643)
    expect(c.config.attention_bias).toBe(true)
    expect(c.config.num_key_value_heads).toBe(2)
    expect(c.config.headDim).toBe(128)
  })

  it("takes class defaults and rope_parameters.rope_theta (transformers v5)", () => {
    const { rope_theta: _, num_key_value_heads: __, tie_word_embeddings: ___, ...rest } = qwen15b
    const c = Either.getOrThrow(parseHfConfig({ ...rest, rope_parameters: { rope_theta: 1e6, rope_type: "default" }, eos_token_id: [151645, 151643] }))
    expect(c.config.rope_theta).toBe(1e6)
    expect(c.config.num_key_value_heads).toBe(12)
    expect(c.config.tie_word_embeddings).toBe(false)
    expect(c.eosId).toBe(151645)
  })

  it("refuses what it cannot compute, naming the field", () => {
    expect(err({ ...qwen15b, model_type: "mistral", architectures: ["MistralForCausalLM"] })).toContain("model_type")
    expect(err({ ...qwen15b, rope_scaling: { rope_type: "yarn", factor: 4 } })).toContain("yarn")
    expect(err({ ...qwen15b, use_sliding_window: true })).toContain("use_sliding_window")
    expect(err({ ...qwen15b, model_type: "llama", architectures: ["LlamaForCausalLM"], attention_bias: true })).toContain("attention_bias")
    expect(err({ ...qwen15b, head_dim: 64 })).toContain("head_dim")
    expect(err({ ...qwen15b, torch_dtype: "float8_e4m3fn" })).toContain("torch_dtype")
    expect(err({ ...qwen15b, num_key_value_heads: 5 })).toContain("divisible by num_key_value_heads")
    expect(err({ ...qwen15b, hidden_size: "big" })).toContain("hidden_size")
    expect(err({ ...qwen15b, hidden_act: "gelu" })).toContain("hidden_act")
  })
})

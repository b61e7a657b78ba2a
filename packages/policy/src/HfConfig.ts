/**
 * Hugging Face `config.json` of a `Qwen2ForCausalLM` or `LlamaForCausalLM`
 * (and this project's own checkpoints, which write the same fields) → the
 * policy's `ModelConfig`. Missing fields take the HF class defaults; what the
 * model here cannot compute (rope scaling, sliding windows, o_proj/MLP biases,
 * a head_dim ≠ hidden/heads) is refused with the field named, never ignored.
 */
import { Either } from "effect"
import { dtypeFromTorch, type StorageDtype } from "./Dtype.ts"
import { configProblem, ModelConfig } from "./ModelConfig.ts"

export interface HfModelConfig {
  readonly config: ModelConfig
  /** Storage dtype of the weights (`torch_dtype` / `dtype`; default float32). */
  readonly dtype: StorageDtype
  /** `eos_token_id` (the first when a list). */
  readonly eosId: number | undefined
  readonly family: "qwen2" | "llama"
}

type Raw = Record<string, unknown>

/** Class defaults of transformers' Qwen2Config / LlamaConfig for the fields used here. */
const DEFAULTS = {
  qwen2: { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 32768, rms_norm_eps: 1e-6, rope_theta: 10000 },
  llama: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048, rms_norm_eps: 1e-6, rope_theta: 10000 }
} as const

const firstInt = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : Array.isArray(v) && typeof v[0] === "number" ? (v[0] as number) : undefined

/** Left: what was expected, naming the field. */
export const parseHfConfig = (raw: unknown): Either.Either<HfModelConfig, string> => {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return Either.left("expected a JSON object")
  const r = raw as Raw
  const archs = Array.isArray(r["architectures"]) ? (r["architectures"] as Array<unknown>) : []
  const type = r["model_type"]
  const family =
    type === "qwen2" || archs.includes("Qwen2ForCausalLM")
      ? "qwen2"
      : type === "llama" || archs.includes("LlamaForCausalLM") || (type === undefined && archs.length === 0)
        ? "llama"
        : undefined
  if (family === undefined) {
    return Either.left(`expected model_type "qwen2" or "llama" (Qwen2ForCausalLM / LlamaForCausalLM), got model_type ${JSON.stringify(type)}, architectures ${JSON.stringify(archs)}`)
  }
  const d = DEFAULTS[family]
  const num = (k: keyof typeof d): unknown => r[k] ?? d[k]
  const heads = num("num_attention_heads")
  const hidden = num("hidden_size")
  const act = r["hidden_act"] ?? "silu"
  if (act !== "silu") return Either.left(`expected hidden_act "silu", got ${JSON.stringify(act)}`)
  const rp = r["rope_parameters"] as Raw | undefined
  const scaling = (r["rope_scaling"] ?? null) as Raw | null
  const ropeType = scaling?.["rope_type"] ?? scaling?.["type"] ?? rp?.["rope_type"] ?? "default"
  if (ropeType !== "default") return Either.left(`expected default rotary positions (rope_scaling null), got rope type ${JSON.stringify(ropeType)}: not implemented`)
  if (r["use_sliding_window"] === true) return Either.left("expected use_sliding_window false (sliding-window attention is not implemented)")
  if (family === "llama" && r["attention_bias"] === true) return Either.left("expected attention_bias false for llama (o_proj biases are not implemented)")
  if (r["mlp_bias"] === true) return Either.left("expected mlp_bias false (MLP biases are not implemented)")
  if (r["head_dim"] !== undefined && r["head_dim"] !== null && typeof hidden === "number" && typeof heads === "number" && r["head_dim"] !== hidden / heads) {
    return Either.left(`expected head_dim = hidden_size / num_attention_heads (${hidden / heads}), got ${JSON.stringify(r["head_dim"])}`)
  }
  const dtypeName = r["torch_dtype"] ?? r["dtype"] ?? "float32"
  const dtype = typeof dtypeName === "string" ? dtypeFromTorch(dtypeName) : undefined
  if (dtype === undefined) return Either.left(`expected torch_dtype float32, float16 or bfloat16, got ${JSON.stringify(dtypeName)}`)
  const fields = {
    vocab_size: num("vocab_size"),
    hidden_size: hidden,
    num_hidden_layers: num("num_hidden_layers"),
    num_attention_heads: heads,
    num_key_value_heads: r["num_key_value_heads"] ?? heads,
    intermediate_size: num("intermediate_size"),
    max_position_embeddings: num("max_position_embeddings"),
    rms_norm_eps: num("rms_norm_eps"),
    rope_theta: r["rope_theta"] ?? rp?.["rope_theta"] ?? d.rope_theta,
    tie_word_embeddings: r["tie_word_embeddings"] ?? false,
    ...(family === "qwen2" ? { attention_bias: true } : {})
  }
  for (const [k, v] of Object.entries(fields)) {
    const ok = k === "tie_word_embeddings" || k === "attention_bias" ? typeof v === "boolean" : typeof v === "number" && v > 0 && (k === "rms_norm_eps" || k === "rope_theta" || Number.isInteger(v))
    if (!ok) return Either.left(`expected ${k} to be a ${k === "tie_word_embeddings" ? "boolean" : "positive number"}, got ${JSON.stringify(v)}`)
  }
  const config = new ModelConfig(fields as ConstructorParameters<typeof ModelConfig>[0])
  const problem = configProblem(config)
  if (problem !== undefined) return Either.left(`expected ${problem}`)
  return Either.right({ config, dtype, eosId: firstInt(r["eos_token_id"]), family })
}

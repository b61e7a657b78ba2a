/**
 * `@oneshot/policy`: a Llama/Qwen2-style decoder-only transformer in
 * TensorFlow.js as an Effect service: tokenizer, KV-cache sampling,
 * differentiable scoring, safetensors checkpoints, backends as layers.
 */
export * from "./Backend.ts"
export * from "./Errors.ts"
export * from "./ModelConfig.ts"
export * from "./Policy.ts"
export * from "./Tokenizer.ts"

/**
 * `@oneshot/policy`: a Llama/Qwen2-style decoder-only transformer in
 * TensorFlow.js as an Effect service: tokenizer, KV-cache sampling,
 * differentiable scoring, safetensors checkpoints, backends as layers.
 */
export * from "./Backend.ts"
export * from "./Checkpoint.ts"
export * from "./Dtype.ts"
export * from "./HfConfig.ts"
export * from "./HfTokenizer.ts"
export * from "./JsonlTools.ts"
export { type KernelChoice, kernelChoice, useKernels } from "./KernelChoice.ts"
export * from "./MemoryPlan.ts"
export * from "./Errors.ts"
export * from "./ModelConfig.ts"
export * from "./Policy.ts"
export * from "./PolicyLive.ts"
export * from "./PolicyTest.ts"
export * from "./Safetensors.ts"
export * from "./Sampler.ts"
export * from "./Tokenizer.ts"
export { isWasmHeapError, WASM_HEAP_INPUT, WASM_HEAP_RESERVE_BYTES, WASM_TENSOR_LIMIT_BYTES } from "./WasmHeap.ts"

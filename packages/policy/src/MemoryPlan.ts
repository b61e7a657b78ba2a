/**
 * How much memory a model needs before it is loaded or trained, so a run that
 * cannot fit is refused with the numbers instead of aborting the wasm module
 * halfway. Everything is held in float32 here whatever the file's dtype.
 *
 * Training activations: the backward pass keeps every layer's saved tensors
 * until it ends. Per token and layer the forward saves about
 * 8·d + 2·kv + 3·ff + H·T floats (residuals, norms, q|k|v, rotated q/k,
 * attention probabilities, gate|up, SwiGLU output), and backward
 * temporaries multiply that by ACTIVATION_OVERHEAD, calibrated on
 * the tiny model's measured peak (≈30 MB per 128-token sequence on wasm,
 * tf.profile, README); the head adds HEAD_TENSORS vocabulary-wide rows per
 * token. An estimate, not a bound.
 */
import { parameterCount, type ModelConfig } from "./ModelConfig.ts"

/** Backward temporaries and allocator slack over the saved forward tensors (tiny model: 30 MB measured / ≈6 MB counted). */
export const ACTIVATION_OVERHEAD = 5

/**
 * Vocabulary-wide tensors per token in a training pass: forward one-hot input,
 * logits, log-softmax, one-hot target, the two products (log-prob, entropy),
 * exp; backward the same number of gradients.
 */
export const HEAD_TENSORS = 14

/** The wasm backend's heap cap (32-bit wasm memory). */
export const WASM_HEAP_BYTES = 4 * 1024 ** 3

export interface Workload {
  /** Sequences sampled together (prompts × samples per prompt). */
  readonly rolloutRows: number
  /** Prompt + response tokens of the longest sequence. */
  readonly sequenceTokens: number
  /** Sequences in one forward+backward pass (the micro-batch); 0 for inference only. */
  readonly trainRows: number
  /** A frozen reference copy for the KL term. */
  readonly reference: boolean
  /** Sequences scored together without gradients (`rlvr score`); default 0. */
  readonly scoreRows?: number
}

export interface MemoryPlan {
  readonly parameters: number
  readonly weights: number
  readonly gradients: number
  readonly optimizer: number
  readonly reference: number
  /** Sampling: the decode copy of the weights, the KV cache, the logits. */
  readonly sampling: number
  readonly activations: number
  /** What must be resident at the peak (training and sampling do not overlap). */
  readonly total: number
}

const F32 = 4

/** Bytes of training activations for `rows` sequences of `T` tokens. */
export const activationBytes = (c: ModelConfig, rows: number, T: number): number => {
  const d = c.hidden_size
  const kv = c.num_key_value_heads * (d / c.num_attention_heads)
  const perTokenLayer = 8 * d + 2 * kv + 3 * c.intermediate_size + c.num_attention_heads * T
  // The head's [T, vocab] tensors, forward and backward, are counted one by one (HEAD_TENSORS) rather than scaled.
  return rows * T * ((c.num_hidden_layers * perTokenLayer + 4 * d) * ACTIVATION_OVERHEAD + HEAD_TENSORS * c.vocab_size) * F32
}

/** The plan for a config and workload (bytes). */
export const memoryPlan = (c: ModelConfig, w: Workload): MemoryPlan => {
  const parameters = parameterCount(c)
  const weights = parameters * F32
  const training = w.trainRows > 0
  const gradients = training ? weights : 0
  const optimizer = training ? 2 * weights : 0
  const reference = training && w.reference ? weights : 0
  const kv = c.num_key_value_heads * (c.hidden_size / c.num_attention_heads)
  // Rows are sampled MAX_ROWS (256) at a time, so the cache holds at most that many.
  const cache = Math.min(w.rolloutRows, 256) * w.sequenceTokens * c.num_hidden_layers * 2 * kv * F32
  const sampling = w.rolloutRows === 0 ? 0 : weights + cache + Math.min(w.rolloutRows, 256) * c.vocab_size * F32 * 2
  // Scoring without gradients still builds the [T, vocab] logits and the per-layer tensors of one pass (counted as a training pass: an upper estimate).
  const activations = activationBytes(c, Math.max(w.trainRows, w.scoreRows ?? 0), w.sequenceTokens)
  const resident = weights + gradients + optimizer + reference
  return { parameters, weights, gradients, optimizer, reference, sampling, activations, total: resident + Math.max(sampling, activations) }
}

/** The memory a backend can hold, in bytes, or undefined when unknown (a GPU's memory is not visible from here). */
export const backendCapacity = (backend: string, systemBytes: number, deviceBytes?: number): number | undefined =>
  backend === "wasm" ? WASM_HEAP_BYTES : backend === "cpu" ? Math.floor(systemBytes * 0.8) : deviceBytes

export const formatBytes = (b: number): string =>
  b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : b >= 1024 ** 2 ? `${(b / 1024 ** 2).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`

/** One line per item, for `--dry-run` and the refusal message. */
export const formatPlan = (p: MemoryPlan, backend: string, capacity: number | undefined): string =>
  [
    `parameters ${(p.parameters / 1e6).toFixed(1)}M`,
    `weights ${formatBytes(p.weights)}`,
    `gradients ${formatBytes(p.gradients)}`,
    `AdamW state ${formatBytes(p.optimizer)}`,
    `reference ${formatBytes(p.reference)}`,
    `sampling ${formatBytes(p.sampling)}`,
    `activations ${formatBytes(p.activations)}`,
    `total ${formatBytes(p.total)}`,
    `${backend} capacity ${capacity === undefined ? "unknown (set ONESHOT_DEVICE_MEMORY_GB)" : formatBytes(capacity)}`
  ].join(", ")

/** The problem, if the plan does not fit: names every number. */
export const planProblem = (p: MemoryPlan, backend: string, capacity: number | undefined): string | undefined =>
  capacity !== undefined && p.total > capacity
    ? `memory plan exceeds the ${backend} backend's ${formatBytes(capacity)}: ${formatPlan(p, backend, capacity)} (smaller micro-batch, shorter responses, or a GPU backend)`
    : undefined

/** The capacity of `backend` on this machine: wasm 4 GiB, cpu 80% of RAM, a GPU from ONESHOT_DEVICE_MEMORY_GB (else unknown). */
export const capacityHere = (backend: string, env: Record<string, string | undefined>, systemBytes: number): number | undefined => {
  const gb = Number(env["ONESHOT_DEVICE_MEMORY_GB"])
  return backendCapacity(backend, systemBytes, Number.isFinite(gb) && gb > 0 ? gb * 1024 ** 3 : undefined)
}

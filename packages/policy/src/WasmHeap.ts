/**
 * The wasm backend's heap is capped: 32-bit wasm memory, 4 GiB. When it is
 * full, tfjs' `malloc` returns 0 and tfjs does not check it: the tensor is
 * registered at address 0, over the module's own data, and the next C++
 * kernel aborts the whole module (`RuntimeError: Aborted()`, measured in
 * PadV2 of a slice gradient: a training pass of 64 × 264 tokens on base-v2,
 * ≈ 4.5 GB of live tensors), or computes on garbage. After an abort every
 * later tfjs call fails, so this cannot be caught; it has to be prevented.
 *
 * The guard wraps the backend's `malloc`: a tensor allocation that does not
 * fit below the limit throws a PolicyError (input `WASM_HEAP_INPUT`) naming
 * the size, the live tensor bytes and the limit, before anything is written.
 * tfjs' scopes then free the pass's tensors and the backend stays usable.
 * The top `WASM_HEAP_RESERVE_BYTES` are left to the kernels' own C++
 * allocations (XNNPACK operators, scratch), which do not go through this
 * `malloc` and would still abort. Values are unchanged: the guard only
 * refuses.
 */
import * as tf from "@tensorflow/tfjs"
import { PolicyError } from "./Errors.ts"
import { formatBytes, WASM_HEAP_BYTES } from "./MemoryPlan.ts"

/** Heap bytes kept free for the kernels' C++ allocations, which the guard cannot see. */
export const WASM_HEAP_RESERVE_BYTES = 64 * 1024 ** 2

/** Tensor allocations must end below this address: the 4 GiB cap less the reserve. */
export const WASM_TENSOR_LIMIT_BYTES = WASM_HEAP_BYTES - WASM_HEAP_RESERVE_BYTES

/** The `input` of the guard's PolicyError; the policy's entry points re-raise it naming their batch. */
export const WASM_HEAP_INPUT = "wasm heap"

interface WasmModuleLike {
  _malloc: (bytes: number) => number
  _free: (ptr: number) => void
}

let limit = WASM_TENSOR_LIMIT_BYTES
const guarded = new WeakSet<object>()
/** The policy's last pass on this thread: a backward pass runs after its forward returned, outside the policy. */
let lastPass: string | undefined

/** Records the pass the policy starts (its batch), so a refusal in the caller's backward pass names it. */
export const noteWasmPass = (label: string): void => {
  lastPass = label
}

/**
 * Lowers (or restores, with undefined) the address limit of tensor
 * allocations: tests emulate a full heap with it. Returns the previous limit.
 */
export const setWasmTensorLimit = (bytes: number | undefined): number => {
  const before = limit
  limit = bytes ?? WASM_TENSOR_LIMIT_BYTES
  return before
}

/** The address limit tensor allocations are held to now. */
export const wasmTensorLimit = (): number => limit

/** True for the guard's error (a tensor that did not fit in the wasm heap). */
export const isWasmHeapError = (e: unknown): e is PolicyError => e instanceof PolicyError && e.input === WASM_HEAP_INPUT

const heapError = (bytes: number): PolicyError =>
  new PolicyError({
    input: WASM_HEAP_INPUT,
    expected: `a ${formatBytes(bytes)} tensor within the wasm backend's heap (tensors below ${formatBytes(limit)}: the 4 GiB cap less ${formatBytes(WASM_HEAP_RESERVE_BYTES)} for the kernels)`,
    actual: `full, with ${formatBytes(tf.memory().numBytes)} of tensors live${lastPass === undefined ? "" : `; the policy's last pass: ${lastPass}`}`
  })

/** Installs the guard on the active wasm backend (idempotent; a no-op on other backends). */
export const guardWasmHeap = (): void => {
  if (tf.getBackend() !== "wasm") return
  const wasm = (tf.backend() as unknown as { wasm?: WasmModuleLike }).wasm
  if (wasm === undefined || guarded.has(wasm)) return
  guarded.add(wasm)
  let raw = wasm._malloc
  const malloc = (bytes: number): number => {
    const ptr = raw(bytes) >>> 0
    // Emscripten's lazy export stub replaces `_malloc` with the raw export on its first call: keep the guard in place.
    if (wasm._malloc !== malloc) {
      raw = wasm._malloc
      wasm._malloc = malloc
    }
    if (bytes > 0 && (ptr === 0 || ptr + bytes > limit)) {
      if (ptr !== 0) wasm._free(ptr)
      throw heapError(bytes)
    }
    return ptr
  }
  wasm._malloc = malloc
}

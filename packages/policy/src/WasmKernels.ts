/**
 * A faster `Slice` for the wasm backend. The stock kernel copies the WHOLE
 * input out of the wasm heap (`readSync`) before taking the slice, so slicing
 * a [2048, 128] activation 64 times costs ~170 ms; the attention kernel slices
 * per (sequence, head). This version reads the input through a heap view.
 */
import * as tf from "@tensorflow/tfjs"

interface WasmData {
  readonly memoryOffset: number
}
interface WasmBackendLike {
  readonly dataIdMap: { get(dataId: object): WasmData | undefined }
  readonly wasm: { readonly HEAPU8: Uint8Array }
  makeOutput(shape: ReadonlyArray<number>, dtype: tf.DataType): tf.TensorInfo
}

const view = (backend: WasmBackendLike, t: tf.TensorInfo): Float32Array | Int32Array => {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId)!
  const size = t.shape.reduce((a, b) => a * b, 1)
  return t.dtype === "int32"
    ? new Int32Array(backend.wasm.HEAPU8.buffer, memoryOffset, size)
    : new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, size)
}

const strides = (shape: ReadonlyArray<number>): Array<number> => {
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!
  return s
}

/** float32 and int32 live in the heap as 4-byte words (bool as bytes, strings in JS). */
const fourByte = (dtype: tf.DataType): boolean => dtype === "float32" || dtype === "int32"

/** Lean kernels (see `shareIdentity`): set by the "simd" kernel choice. */
let wantShared = false

const sliceKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const x = inputs["x"] as tf.TensorInfo
  const b = backend as unknown as WasmBackendLike
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as unknown as tf.Tensor,
    attrs!["begin"] as number | Array<number>,
    attrs!["size"] as number | Array<number> | undefined
  )
  const out = b.makeOutput(size, x.dtype)
  const total = size.reduce((a, c) => a * c, 1)
  if (total === 0) return out
  // Views are taken after makeOutput: allocating may grow (and move) the heap.
  const xv = view(b, x)
  const ov = view(b, out)
  const xs = strides(x.shape)
  const rank = x.shape.length
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const off = begin.reduce((a, c, i) => a + c * xs[i]!, 0)
    ov.set(xv.subarray(off, off + total))
    return out
  }
  // Copy maximal contiguous runs: dims after `k` are taken whole, so each run is size[k]·stride[k] values.
  let k = rank - 1
  while (k > 0 && size[k] === x.shape[k]) k--
  const run = size[k]! * xs[k]!
  const outer = total / run
  const idx = new Array<number>(k).fill(0)
  // Lean kernels: runs copied inside the heap (copyWithin), no subarray object per run (less GC).
  const heap = wantShared && fourByte(x.dtype) ? new Float32Array(b.wasm.HEAPU8.buffer) : undefined
  const xBase = xv.byteOffset / 4
  const oBase = ov.byteOffset / 4
  for (let o = 0; o < outer; o++) {
    let off = begin[k]! * xs[k]!
    for (let d = 0; d < k; d++) off += (begin[d]! + idx[d]!) * xs[d]!
    if (heap !== undefined) heap.copyWithin(oBase + o * run, xBase + off, xBase + off + run)
    else ov.set(xv.subarray(off, off + run), o * run)
    for (let d = k - 1; d >= 0; d--) {
      idx[d]!++
      if (idx[d]! < size[d]!) break
      idx[d] = 0
    }
  }
  return out
}

let patched = false

/** Replaces the wasm `Slice` kernel (idempotent). */
export const patchWasmKernels = (): void => {
  applyIdentity()
  if (patched) return
  tf.unregisterKernel("Slice", "wasm")
  tf.registerKernel({ kernelName: "Slice", backendName: "wasm", kernelFunc: sliceKernel })
  patched = true
}

/**
 * tfjs saves every input an op needs for its gradient through `clone`, the
 * `Identity` kernel, which on wasm copies the whole buffer: a training pass
 * copies each activation several times. This Identity shares the buffer
 * (reference-counted, as `Reshape` already does); values are unchanged, as
 * nothing writes a tensor in place except buffers their owner never clones
 * (the KV caches, the fused decoder's matmul inputs).
 */
const sharedIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs["x"] as tf.TensorInfo
  ;(backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

/** SplitV through the heap-view Slice (tfjs' wasm SplitV copies its whole input out of the heap once per piece). */
const splitVKernel: tf.KernelFunc = (args) => {
  const { inputs, attrs, backend } = args
  const x = inputs["x"] as tf.TensorInfo
  if (!fourByte(x.dtype)) return original.get("SplitV")!(args)
  const axis = tf.util.parseAxisParam(attrs!["axis"] as number, x.shape)[0]!
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, attrs!["numOrSizeSplits"] as Array<number> | number, axis)
  const begin = new Array<number>(x.shape.length).fill(0)
  return sizes.map((s) => {
    const size = [...x.shape]
    size[axis] = s
    const out = sliceKernel({ inputs: { x }, attrs: { begin: [...begin], size }, backend }) as tf.TensorInfo
    begin[axis]! += s
    return out
  })
}

/** Concat of numeric tensors with the row copies inside the heap (tfjs' wasm Concat makes a subarray per row and input). */
const concatKernel: tf.KernelFunc = (args) => {
  const { inputs, attrs, backend } = args
  const xs = (inputs as unknown as Array<tf.TensorInfo>).filter((t) => tf.util.sizeFromShape(t.shape) > 0)
  if (xs.length < 2 || !fourByte(xs[0]!.dtype)) return original.get("Concat")!(args)
  const b = backend as unknown as WasmBackendLike
  const axis = tf.util.parseAxisParam(attrs!["axis"] as number, xs[0]!.shape)[0]!
  const outShape = tf.backend_util.computeOutShape(xs.map((t) => t.shape), axis)
  const out = b.makeOutput(outShape, xs[0]!.dtype)
  const heap = new Float32Array(b.wasm.HEAPU8.buffer)
  const ov = view(b, out)
  const batch = tf.util.sizeFromShape(xs[0]!.shape.slice(0, axis))
  const inner = xs.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)))
  const bases = xs.map((t) => view(b, t).byteOffset / 4)
  let o = ov.byteOffset / 4
  for (let r = 0; r < batch; r++) {
    for (let i = 0; i < xs.length; i++) {
      const n = inner[i]!
      heap.copyWithin(o, bases[i]! + r * n, bases[i]! + (r + 1) * n)
      o += n
    }
  }
  return out
}

const lean: Record<string, tf.KernelFunc> = { Identity: sharedIdentity, SplitV: splitVKernel, Concat: concatKernel }
const original = new Map<string, tf.KernelFunc>()
let leanApplied = false

const applyIdentity = (): void => {
  if (wantShared === leanApplied || tf.getKernel("Identity", "wasm") === undefined) return
  for (const [name, f] of Object.entries(lean)) {
    const current = tf.getKernel(name, "wasm")
    if (current === undefined) continue
    if (!original.has(name)) original.set(name, current.kernelFunc)
    tf.unregisterKernel(name, "wasm")
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: wantShared ? f : original.get(name)! })
  }
  leanApplied = wantShared
}

/**
 * Lean kernels on (true) or off: the sharing `Identity`; `Slice`, `SplitV`
 * and `Concat` copying runs inside the heap. None changes a value. Applied when the wasm
 * backend loads if it has not yet.
 */
export const shareIdentity = (on: boolean): void => {
  wantShared = on
  applyIdentity()
}

/**
 * A float32 view of a tensor's storage in the wasm heap, for in-place writes
 * into buffers this code alone owns (the preallocated KV cache); undefined on
 * other backends. Take a fresh view after anything that may grow the heap.
 */
export const wasmHeapView = (t: tf.Tensor): Float32Array | undefined => {
  if (tf.getBackend() !== "wasm" || t.dtype !== "float32") return undefined
  const b = tf.backend() as unknown as WasmBackendLike
  if (b.dataIdMap === undefined || b.wasm === undefined) return undefined
  return view(b, t as unknown as tf.TensorInfo) as Float32Array
}

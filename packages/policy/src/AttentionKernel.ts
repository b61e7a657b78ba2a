/**
 * The SIMD attention kernels of `kernels/attention.as` (a 3 KB wasm module,
 * one instance per thread) with their memory: callers lay out a call's
 * buffers in one arena (byte offsets, 16-byte aligned) and read/write them
 * through fresh views. The arena is reused by every call, so a layout lives
 * only until the next `arena` call of this thread (calls are synchronous).
 */
import { ATTENTION_WASM_BASE64 } from "./AttentionWasm.ts"

/** The parts of the WebAssembly API used here (the project's lib settings leave out its DOM types). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown }
}
const wasmApi = (): WasmApi | undefined => (globalThis as unknown as { readonly WebAssembly?: WasmApi }).WebAssembly

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number }
  readonly decode: (q: number, k: number, v: number, o: number, rows: number, lo: number, s: number, n: number, KVH: number, G: number, cap: number, hd: number, hi: number) => void
  readonly ropeSplit: (qkv: number, q: number, k: number, v: number, cos: number, sin: number, B: number, T: number, H: number, KVH: number, hd: number, scale: number) => void
  readonly ropeSplitBackward: (dq: number, dk: number, dv: number, dqkv: number, cos: number, sin: number, B: number, T: number, H: number, KVH: number, hd: number, scale: number) => void
  readonly swiglu: (gu: number, h: number, n: number, ff: number) => void
  readonly swigluBackward: (gu: number, dy: number, dgu: number, n: number, ff: number) => void
  readonly causalForward: (q: number, k: number, v: number, o: number, lse: number, s: number, B: number, T: number, H: number, KVH: number, hd: number) => void
  readonly causalBackward: (
    q: number,
    k: number,
    v: number,
    lse: number,
    dout: number,
    dq: number,
    dk: number,
    dv: number,
    p: number,
    ds: number,
    B: number,
    T: number,
    H: number,
    KVH: number,
    hd: number
  ) => void
}

let instance: Exports | undefined

/** The kernels of this thread (instantiated on first use). */
export const kernels = (): Exports => {
  if (instance === undefined) {
    const bytes = Buffer.from(ATTENTION_WASM_BASE64, "base64")
    const api = wasmApi()!
    instance = new api.Instance(new api.Module(bytes), {}).exports as unknown as Exports
  }
  return instance
}

/** The kernels need head dims in whole SIMD lanes. */
export const kernelsSupport = (headDim: number): boolean => headDim % 4 === 0 && wasmApi() !== undefined

/** Bytes below this offset are left to the module (its data and stack). */
const BASE = 65536

/**
 * Lays out buffers of the given float counts (f32 or i32) and returns their
 * byte offsets, growing the memory as needed. Offsets are valid until the next call.
 */
export const arena = (sizes: ReadonlyArray<number>): Array<number> => {
  const k = kernels()
  const offsets: Array<number> = []
  let at = BASE
  for (const n of sizes) {
    offsets.push(at)
    at += Math.ceil((n * 4) / 16) * 16
  }
  const have = k.memory.buffer.byteLength
  if (at > have) k.memory.grow(Math.ceil((at - have) / 65536))
  return offsets
}

/** A float32 view of `n` floats at byte offset `at` (take a fresh one after `arena`). */
export const f32 = (at: number, n: number): Float32Array => new Float32Array(kernels().memory.buffer, at, n)

/** An int32 view of `n` ints at byte offset `at`. */
export const i32 = (at: number, n: number): Int32Array => new Int32Array(kernels().memory.buffer, at, n)

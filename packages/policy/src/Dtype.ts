/**
 * Storage dtypes of safetensors checkpoints and their exact conversions to
 * and from float32 (the compute dtype). Encoding rounds to nearest, ties to
 * even, as PyTorch's `.to(torch.bfloat16 | torch.float16)` does, so a saved
 * checkpoint reads back as the same values a PyTorch user would get.
 */
export type StorageDtype = "F32" | "F16" | "BF16"

export const STORAGE_DTYPES: ReadonlyArray<StorageDtype> = ["F32", "F16", "BF16"]

export const bytesPerElement = (d: StorageDtype): number => (d === "F32" ? 4 : 2)

/** HF `torch_dtype` / `dtype` strings ↔ safetensors dtypes. */
export const dtypeFromTorch = (s: string): StorageDtype | undefined =>
  s === "float32" ? "F32" : s === "float16" ? "F16" : s === "bfloat16" ? "BF16" : undefined

export const torchFromDtype = (d: StorageDtype): string => (d === "F32" ? "float32" : d === "F16" ? "float16" : "bfloat16")

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** bf16 bits → float32: the upper 16 bits of an IEEE float32. */
export const bf16ToF32 = (h: number): number => {
  u32[0] = (h & 0xffff) << 16
  return f32[0]!
}

/** float32 → bf16 bits, round to nearest even; NaN stays a (quiet) NaN. */
export const f32ToBf16 = (x: number): number => {
  f32[0] = x
  const b = u32[0]!
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) return ((b >>> 16) | 0x40) & 0xffff
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff
}

/** IEEE half bits → float32 (subnormals, infinities and NaN included). */
export const f16ToF32 = (h: number): number => {
  const s = h & 0x8000 ? -1 : 1
  const e = (h >> 10) & 0x1f
  const m = h & 0x3ff
  if (e === 0) return s * m * 2 ** -24
  if (e === 31) return m === 0 ? s * Infinity : NaN
  return s * (1 + m / 1024) * 2 ** (e - 15)
}

/** float32 → IEEE half bits, round to nearest even, overflow to ±Infinity. */
export const f32ToF16 = (x: number): number => {
  f32[0] = x
  const b = u32[0]!
  const sign = (b >>> 16) & 0x8000
  const exp = (b >>> 23) & 0xff
  const mant = b & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0)
  const e = exp - 127 + 15
  if (e >= 31) return sign | 0x7c00
  if (e <= 0) {
    // Subnormal half (or zero): shift the full mantissa, round to nearest even.
    if (e < -10) return sign
    const full = mant | 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    let r = full >>> shift
    const rest = full & ((1 << shift) - 1)
    if (rest > half || (rest === half && (r & 1) === 1)) r++
    return sign | r
  }
  let r = (e << 10) | (mant >>> 13)
  const rest = mant & 0x1fff
  if (rest > 0x1000 || (rest === 0x1000 && (r & 1) === 1)) r++
  return sign | r
}

/** Little-endian storage bytes → float32 values. */
export const decodeValues = (bytes: Uint8Array, dtype: StorageDtype): Float32Array => {
  const n = bytes.length / bytesPerElement(dtype)
  const out = new Float32Array(n)
  if (dtype === "F32") {
    // Copy: the source may not be 4-byte aligned.
    new Uint8Array(out.buffer).set(bytes)
    return out
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const conv = dtype === "BF16" ? bf16ToF32 : f16ToF32
  for (let i = 0; i < n; i++) out[i] = conv(view.getUint16(2 * i, true))
  return out
}

/** float32 values → little-endian storage bytes. */
export const encodeValues = (data: Float32Array, dtype: StorageDtype): Uint8Array => {
  if (dtype === "F32") return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
  const out = new Uint8Array(data.length * 2)
  const view = new DataView(out.buffer)
  const conv = dtype === "BF16" ? f32ToBf16 : f32ToF16
  for (let i = 0; i < data.length; i++) view.setUint16(2 * i, conv(data[i]!), true)
  return out
}

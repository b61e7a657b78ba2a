/**
 * The safetensors format (huggingface/safetensors), F32, F16 and BF16 (read
 * into float32, written back in the tensor's own dtype): an 8-byte
 * little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {..}}`
 * padded with spaces to 8 bytes, then the raw little-endian data.
 * No maintained npm reader/writer was available here, and the format is small
 * enough to write and validate by hand (see the tests).
 */
import { Either } from "effect"
import { endianness } from "node:os"
import { bytesPerElement, decodeValues, encodeValues, STORAGE_DTYPES, type StorageDtype } from "./Dtype.ts"

export interface NamedTensor {
  readonly shape: ReadonlyArray<number>
  /** float32 values (whatever the storage dtype). */
  readonly data: Float32Array
  /** Storage dtype: how it was read, how it is written (default F32). */
  readonly dtype?: StorageDtype
}

if (endianness() !== "LE") throw new Error("safetensors: this implementation needs a little-endian machine")

/** Serialises tensors (in the given order) with optional string metadata. */
export const encodeSafetensors = (
  tensors: ReadonlyArray<readonly [string, NamedTensor]>,
  metadata: Readonly<Record<string, string>> = {}
): Uint8Array => {
  const header: Record<string, unknown> = {}
  if (Object.keys(metadata).length > 0) header["__metadata__"] = metadata
  let offset = 0
  for (const [name, t] of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1)
    if (size !== t.data.length) throw new Error(`safetensors: ${name} has shape [${t.shape}] but ${t.data.length} values`)
    const dtype = t.dtype ?? "F32"
    const nbytes = size * bytesPerElement(dtype)
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + nbytes] }
    offset += nbytes
  }
  let json = new TextEncoder().encode(JSON.stringify(header))
  const padded = Math.ceil(json.length / 8) * 8
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20)
    p.set(json)
    json = p
  }
  const out = new Uint8Array(8 + json.length + offset)
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true)
  out.set(json, 8)
  let at = 8 + json.length
  for (const [, t] of tensors) {
    const raw = (t.dtype ?? "F32") === "F32" ? new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) : encodeValues(t.data, t.dtype!)
    out.set(raw, at)
    at += raw.byteLength
  }
  return out
}

export interface Decoded {
  readonly tensors: Map<string, NamedTensor>
  readonly metadata: Record<string, string>
}

/** Parses and validates a safetensors buffer; Left is a message saying what was wrong. */
export const decodeSafetensors = (bytes: Uint8Array): Either.Either<Decoded, string> => {
  if (bytes.length < 8) return Either.left(`expected at least 8 bytes (header length), got ${bytes.length}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const n = view.getBigUint64(0, true)
  if (n > BigInt(bytes.length - 8)) return Either.left(`header length ${n} exceeds the file (${bytes.length} bytes)`)
  const hlen = Number(n)
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + hlen)))
  } catch (e) {
    return Either.left(`header is not UTF-8 JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    return Either.left("header: expected a JSON object")
  }
  const dataStart = 8 + hlen
  const dataLen = bytes.length - dataStart
  const tensors = new Map<string, NamedTensor>()
  let metadata: Record<string, string> = {}
  const spans: Array<[number, number, string]> = []
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>
      continue
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown }
    const dtype = STORAGE_DTYPES.find((d) => d === e.dtype)
    if (dtype === undefined) return Either.left(`${name}: expected dtype F32, F16 or BF16, got ${JSON.stringify(e.dtype)}`)
    const shape = e.shape
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      return Either.left(`${name}: expected shape to be an array of non-negative integers, got ${JSON.stringify(shape)}`)
    }
    const off = e.data_offsets
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0) || off[0] > off[1]) {
      return Either.left(`${name}: expected data_offsets [begin, end], got ${JSON.stringify(off)}`)
    }
    const [b, end] = off as [number, number]
    const size = (shape as Array<number>).reduce((a, d) => a * d, 1)
    const nbytes = size * bytesPerElement(dtype)
    if (end - b !== nbytes) return Either.left(`${name}: shape [${shape}] in ${dtype} needs ${nbytes} bytes, data_offsets span ${end - b}`)
    if (end > dataLen) return Either.left(`${name}: data_offsets end ${end} beyond the data (${dataLen} bytes)`)
    const data = decodeValues(bytes.subarray(dataStart + b, dataStart + end), dtype)
    tensors.set(name, { shape: shape as Array<number>, data, dtype })
    spans.push([b, end, name])
  }
  spans.sort((x, y) => x[0] - y[0])
  let pos = 0
  for (const [b, end, name] of spans) {
    if (b !== pos) return Either.left(`${name}: data_offsets start at ${b}, expected ${pos} (tensors must tile the data without gaps or overlap)`)
    pos = end
  }
  if (pos !== dataLen) return Either.left(`data has ${dataLen} bytes but tensors cover ${pos}`)
  return Either.right({ tensors, metadata })
}

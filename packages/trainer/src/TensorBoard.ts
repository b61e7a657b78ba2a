/**
 * TensorBoard event files: a run's step metrics as scalars under verl's
 * metric names (`critic/score/mean`, `actor/entropy`, `val/test_score/…`),
 * so a verl user opens the run in TensorBoard as they would a verl run.
 *
 * The format is small and stable, so it is written here rather than pulled
 * in with a dependency (the npm writers bundle TensorFlow or protobuf
 * runtimes): a TFRecord stream (length, masked CRC32C of the length, data,
 * masked CRC32C of the data) of `Event` protobufs; the first carries
 * `file_version: "brain.Event:2"`, each later one a `Summary` of
 * `{tag, simple_value}` values at a step.
 */
import { FileError, reasonOf, type RunLogLine } from "@oneshot/core"
import { Clock, Effect } from "effect"
import { appendFileSync, mkdirSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import type { RunSink } from "./RunSink.ts"

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

export const crc32c = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant, so a CRC of CRCs is not a CRC. */
export const maskedCrc32c = (bytes: Uint8Array): number => {
  const c = crc32c(bytes)
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0
}

/** One TFRecord: u64 length, u32 masked CRC of the length bytes, the data, u32 masked CRC of the data (all little-endian). */
export const tfRecord = (data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(8 + 4 + data.length + 4)
  const view = new DataView(out.buffer)
  view.setBigUint64(0, BigInt(data.length), true)
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true)
  out.set(data, 12)
  view.setUint32(12 + data.length, maskedCrc32c(data), true)
  return out
}

// Protobuf wire format, just what Event and Summary need.
const varint = (n: number | bigint): Array<number> => {
  let v = BigInt.asUintN(64, BigInt(n))
  const out: Array<number> = []
  do {
    const byte = Number(v & 0x7fn)
    v >>= 7n
    out.push(v > 0n ? byte | 0x80 : byte)
  } while (v > 0n)
  return out
}
const key = (field: number, wireType: number): Array<number> => varint((field << 3) | wireType)
const lengthDelimited = (field: number, bytes: Uint8Array): Array<number> => [...key(field, 2), ...varint(bytes.length), ...bytes]
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
const float32 = (x: number): Array<number> => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setFloat32(0, x, true)
  return [...b]
}
const float64 = (x: number): Array<number> => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setFloat64(0, x, true)
  return [...b]
}

/** `Summary.Value { tag = 1; simple_value = 2 }`. */
const summaryValue = (tag: string, value: number): Uint8Array => new Uint8Array([...lengthDelimited(1, utf8(tag)), ...key(2, 5), ...float32(value)])

/** `Event { wall_time = 1 (double); step = 2 (int64); file_version = 3 | summary = 5 }`. */
export const scalarsEvent = (wallTimeSeconds: number, step: number, scalars: Readonly<Record<string, number>>): Uint8Array => {
  const summary = new Uint8Array(Object.entries(scalars).flatMap(([t, v]) => lengthDelimited(1, summaryValue(t, v))))
  return new Uint8Array([...key(1, 1), ...float64(wallTimeSeconds), ...key(2, 0), ...varint(step), ...lengthDelimited(5, summary)])
}

export const fileVersionEvent = (wallTimeSeconds: number): Uint8Array =>
  new Uint8Array([...key(1, 1), ...float64(wallTimeSeconds), ...lengthDelimited(3, utf8("brain.Event:2"))])

/** TensorBoard's file name: `events.out.tfevents.<seconds>.<host>` (TensorBoard finds files by this prefix). */
export const eventFileName = (wallTimeSeconds: number, host: string = hostname()): string => `events.out.tfevents.${Math.floor(wallTimeSeconds)}.${host}`

/**
 * A run sink writing the step lines as scalars into `dir` (one new event
 * file per process, TensorBoard's convention: a resumed run adds a file and
 * TensorBoard shows the steps of both). Every write is appended at once, so
 * TensorBoard can follow a running job.
 */
export const tensorBoardSink = (dir: string): RunSink => {
  let file: string | undefined
  const append = (bytes: Uint8Array, path: string) =>
    Effect.try({ try: () => appendFileSync(path, bytes), catch: (e) => new FileError({ path, operation: "append to", reason: reasonOf(e), cause: e }) })
  return {
    write: (line: RunLogLine) =>
      line._tag !== "step"
        ? Effect.void
        : Effect.gen(function* () {
            const now = (yield* Clock.currentTimeMillis) / 1000
            if (file === undefined) {
              const path = join(dir, eventFileName(now))
              yield* Effect.try({ try: () => mkdirSync(dir, { recursive: true }), catch: (e) => new FileError({ path: dir, operation: "create", reason: reasonOf(e), cause: e }) })
              yield* append(tfRecord(fileVersionEvent(now)), path)
              file = path
            }
            yield* append(tfRecord(scalarsEvent(now, line.step, line.metrics)), file)
          })
  }
}

/**
 * The event files parse with a reader written independently of the writer
 * (bitwise CRC-32C, a generic protobuf walk), and the known CRC-32C check
 * values hold. `ONESHOT_TB_CHECK_DIR` keeps the file for a check with
 * TensorBoard's own reader (see the trainer README).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { crc32c, tensorBoardSink } from "../src/TensorBoard.ts"

/** CRC-32C bit by bit (no table), the reference the table-driven one is checked against. */
const crcBitwise = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1))
  }
  return (c ^ 0xffffffff) >>> 0
}
const masked = (b: Uint8Array): number => {
  const c = crcBitwise(b)
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0
}

type Field = { readonly field: number; readonly wire: number; readonly value: bigint | number | Uint8Array }

/** Every field of a protobuf message, in order. */
const fields = (buf: Uint8Array): Array<Field> => {
  const out: Array<Field> = []
  let i = 0
  const readVarint = (): bigint => {
    let shift = 0n
    let v = 0n
    for (;;) {
      const b = buf[i++]!
      v |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return v
      shift += 7n
    }
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  while (i < buf.length) {
    const k = Number(readVarint())
    const field = k >> 3
    const wire = k & 7
    if (wire === 0) out.push({ field, wire, value: readVarint() })
    else if (wire === 1) {
      out.push({ field, wire, value: view.getFloat64(i, true) })
      i += 8
    } else if (wire === 5) {
      out.push({ field, wire, value: view.getFloat32(i, true) })
      i += 4
    } else if (wire === 2) {
      const n = Number(readVarint())
      out.push({ field, wire, value: buf.subarray(i, i + n) })
      i += n
    } else throw new Error(`wire type ${wire}`)
  }
  return out
}

/** The events of a TFRecord file, each CRC checked. */
const readEvents = (file: Uint8Array): Array<Array<Field>> => {
  const events: Array<Array<Field>> = []
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  let i = 0
  while (i < file.length) {
    const len = Number(view.getBigUint64(i, true))
    expect(view.getUint32(i + 8, true)).toBe(masked(file.subarray(i, i + 8)))
    const data = file.subarray(i + 12, i + 12 + len)
    expect(view.getUint32(i + 12 + len, true)).toBe(masked(data))
    events.push(fields(data))
    i += 12 + len + 4
  }
  expect(i).toBe(file.length)
  return events
}

const text = (v: Field["value"]): string => new TextDecoder().decode(v as Uint8Array)

describe("CRC-32C", () => {
  it("matches the standard check value and the bitwise reference", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283)
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => crc32c(b) === crcBitwise(b)))
  })
})

describe("tensorBoardSink", () => {
  it.effect("writes step metrics that read back as scalars under verl's names", () =>
    Effect.gen(function* () {
      const dir = process.env.ONESHOT_TB_CHECK_DIR ?? mkdtempSync(join(tmpdir(), "tb-"))
      const sink = tensorBoardSink(dir)
      const steps: ReadonlyArray<{ readonly step: number; readonly metrics: Readonly<Record<string, number>> }> = [
        { step: 1, metrics: { "critic/score/mean": 0.25, "actor/entropy": 1.5 } },
        { step: 2, metrics: { "critic/score/mean": 0.5, "val/test_score/math500": 0.375 } }
      ]
      yield* sink.write({ _tag: "generations", step: 1, samples: [] })
      for (const s of steps) yield* sink.write({ _tag: "step", ...s })
      const files = readdirSync(dir).filter((f) => f.startsWith("events.out.tfevents."))
      expect(files).toHaveLength(1)
      const events = readEvents(new Uint8Array(readFileSync(join(dir, files[0]!))))
      expect(events).toHaveLength(3)
      expect(text(events[0]!.find((f) => f.field === 3)!.value)).toBe("brain.Event:2")
      const scalars = events.slice(1).map((e) => ({
        step: Number(e.find((f) => f.field === 2)!.value),
        metrics: Object.fromEntries(
          fields(e.find((f) => f.field === 5)!.value as Uint8Array).map((v) => {
            const value = fields(v.value as Uint8Array)
            return [text(value.find((f) => f.field === 1)!.value), value.find((f) => f.field === 2)!.value]
          })
        )
      }))
      // The values are float32, and these are exact in float32.
      expect(scalars).toEqual(steps)
    })
  )
})

import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { bf16ToF32, decodeValues, encodeValues, f16ToF32, f32ToBf16, f32ToF16 } from "../src/Dtype.ts"

const isNaNBits16 = (h: number, expBits: number, mantMask: number) => (h & expBits) === expBits && (h & mantMask) !== 0

describe("storage dtypes", () => {
  it("every bf16 and f16 value survives float32 and back bit-exactly (NaN stays NaN)", () => {
    for (let h = 0; h < 65536; h++) {
      if (isNaNBits16(h, 0x7f80, 0x7f)) expect(Number.isNaN(bf16ToF32(f32ToBf16(bf16ToF32(h))))).toBe(true)
      else expect(f32ToBf16(bf16ToF32(h))).toBe(h)
      if (isNaNBits16(h, 0x7c00, 0x3ff)) expect(Number.isNaN(f16ToF32(f32ToF16(f16ToF32(h))))).toBe(true)
      else expect(f32ToF16(f16ToF32(h))).toBe(h)
    }
  })

  it("float32 → bf16 / f16 rounds to the nearest representable value (ties to even)", () => {
    const nearest = (x: number, toBits: (x: number) => number, fromBits: (h: number) => number) => {
      const h = toBits(x)
      const y = fromBits(h)
      if (!Number.isFinite(y)) return
      // Neighbours one ulp either side are never strictly closer; at a tie the chosen one is even.
      for (const n of [h - 1, h + 1]) {
        const z = fromBits(n & 0xffff)
        if (!Number.isFinite(z) || Math.sign(z) !== Math.sign(y)) continue
        expect(Math.abs(z - x)).toBeGreaterThanOrEqual(Math.abs(y - x))
        if (Math.abs(z - x) === Math.abs(y - x)) expect(h & 1).toBe(0)
      }
    }
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        nearest(x, f32ToBf16, bf16ToF32)
        if (Math.abs(x) < 65504) nearest(x, f32ToF16, f16ToF32)
      }),
      { numRuns: 5000 }
    )
  })

  it("decodeValues inverts encodeValues for representable values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 50 }), (hs) => {
        for (const [dtype, from] of [["BF16", bf16ToF32], ["F16", f16ToF32]] as const) {
          const vals = Float32Array.from(hs.map(from).filter((v) => !Number.isNaN(v)))
          expect(Array.from(decodeValues(encodeValues(vals, dtype), dtype))).toEqual(Array.from(vals))
        }
      })
    )
  })
})

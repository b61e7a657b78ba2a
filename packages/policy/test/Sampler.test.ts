import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { argmax, logSoftmax, makeRng, nucleus, pickToken, temperedProbs } from "../src/Sampler.ts"

const logitsArb = fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 40 })

describe("Sampler", () => {
  it("tempered probabilities sum to 1 and entropy lies in [0, log V]", () => {
    fc.assert(
      fc.property(logitsArb, fc.double({ min: 0.05, max: 5, noNaN: true }), (logits, temp) => {
        const p = temperedProbs(logits, temp)
        const sum = p.reduce((a, b) => a + b, 0)
        expect(sum).toBeCloseTo(1, 9)
        const h = -p.reduce((a, q) => a + (q > 0 ? q * Math.log(q) : 0), 0)
        expect(h).toBeGreaterThanOrEqual(-1e-12)
        expect(h).toBeLessThanOrEqual(Math.log(logits.length) + 1e-9)
        const lp = logSoftmax(logits)
        expect(lp.reduce((a, v) => a + Math.exp(v), 0)).toBeCloseTo(1, 9)
      })
    )
  })

  it("top-p never samples outside the nucleus", () => {
    fc.assert(
      fc.property(
        logitsArb,
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer(),
        (logits, temp, topP, seed) => {
          const nuc = new Set(nucleus(temperedProbs(logits, temp), topP).ids)
          const rng = makeRng(seed, 0)
          for (let i = 0; i < 20; i++) expect(nuc.has(pickToken(logits, temp, topP, rng))).toBe(true)
        }
      )
    )
  })

  it("the nucleus is the smallest most-probable prefix reaching top-p", () => {
    fc.assert(
      fc.property(logitsArb, fc.double({ min: 0, max: 1, noNaN: true }), (logits, topP) => {
        const p = temperedProbs(logits, 1)
        const { ids, probs } = nucleus(p, topP)
        expect(ids.length).toBeGreaterThanOrEqual(1)
        const mass = probs.reduce((a, b) => a + b, 0)
        if (ids.length < p.length) expect(mass).toBeGreaterThanOrEqual(topP - 1e-12)
        expect(mass - probs[probs.length - 1]!).toBeLessThan(topP + 1e-12)
        for (let i = 1; i < probs.length; i++) expect(probs[i]!).toBeLessThanOrEqual(probs[i - 1]!)
      })
    )
  })

  it("temperature 0 is argmax; the rng is deterministic per (seed, stream) and in [0, 1)", () => {
    fc.assert(
      fc.property(logitsArb, fc.integer(), fc.nat(1000), (logits, seed, stream) => {
        expect(pickToken(logits, 0, 1, makeRng(seed, stream))).toBe(argmax(logits))
        const a = makeRng(seed, stream)
        const b = makeRng(seed, stream)
        for (let i = 0; i < 5; i++) {
          const u = a()
          expect(u).toBe(b())
          expect(u).toBeGreaterThanOrEqual(0)
          expect(u).toBeLessThan(1)
        }
      })
    )
  })

  it("sampling frequencies follow the distribution (chi-square sanity)", () => {
    const logits = [0, 1, 2, -1]
    const p = temperedProbs(logits, 1)
    const counts = [0, 0, 0, 0]
    const rng = makeRng(42, 0)
    const n = 20000
    for (let i = 0; i < n; i++) counts[pickToken(logits, 1, 1, rng)]!++
    const chi = counts.reduce((a, c, i) => a + (c - n * p[i]!) ** 2 / (n * p[i]!), 0)
    expect(chi).toBeLessThan(16.3) // p = 0.001 for 3 degrees of freedom
  })
})

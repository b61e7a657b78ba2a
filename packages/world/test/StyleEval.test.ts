import { describe, expect, it } from "@effect/vitest"
import { Problem } from "@oneshot/core"
import { Backend, PolicyLive } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { Effect, FastCheck as fc, Layer } from "effect"
import { PRETRAIN_PRESETS } from "../src/Pretrain.ts"
import { STYLES } from "../src/Style.ts"
import {
  checkTargets,
  meanAtK,
  measureStyles,
  passAtK,
  perCellSubset,
  type ProblemRecord,
  type ScoredResponse,
  summarizeStyles
} from "../src/StyleEval.ts"

const response = fc.record({ style: fc.constantFrom(...STYLES), correct: fc.boolean(), boxed: fc.boolean() })
const record = (k: number) =>
  fc.record({
    id: fc.string(),
    category: fc.constantFrom("arithmetic", "fractions", "geometry"),
    greedy: response,
    samples: fc.array(response, { minLength: k, maxLength: k })
  })

const r = (style: ScoredResponse["style"], correct: boolean, boxed = true): ScoredResponse => ({ style, correct, boxed })

describe("StyleEval", () => {
  it("pass@k ≥ mean@k, both in [0, 1], equal when every problem's samples agree", () => {
    fc.assert(
      fc.property(fc.array(record(4), { minLength: 1, maxLength: 20 }), (records) => {
        const pass = passAtK(records)
        const mean = meanAtK(records)
        expect(pass).toBeGreaterThanOrEqual(mean - 1e-12)
        expect(mean).toBeGreaterThanOrEqual(0)
        expect(pass).toBeLessThanOrEqual(1)
        const agreeing = records.map((x) => ({ ...x, samples: x.samples.map((s) => ({ ...s, correct: x.samples[0]!.correct })) }))
        expect(passAtK(agreeing)).toBeCloseTo(meanAtK(agreeing), 12)
      })
    )
  })

  it("style shares sum to 1 overall and in every category", () => {
    fc.assert(
      fc.property(fc.array(record(3), { minLength: 1, maxLength: 20 }), (records) => {
        const s = summarizeStyles(records)
        const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0)
        expect(sum(s.sampledStyleMix)).toBeCloseTo(1, 9)
        for (const c of Object.values(s.byCategory)) expect(sum(c.styleMix)).toBeCloseTo(1, 9)
        expect(STYLES.reduce((n, st) => n + s.byStyle[st].n, 0)).toBe(records.length * 3)
      })
    )
  })

  it("summarises a hand-built case and checks the targets", () => {
    const records: Array<ProblemRecord> = [
      { id: "a", category: "arithmetic", greedy: r("terse", true), samples: [r("careful", true), r("terse", false)] },
      { id: "b", category: "arithmetic", greedy: r("terse", false, false), samples: [r("careful", false), r("terse", false)] },
      { id: "c", category: "geometry", greedy: r("careful", true), samples: [r("careful", true), r("careful", true)] }
    ]
    const s = summarizeStyles(records)
    expect(s.greedyAccuracy).toBeCloseTo(2 / 3, 12)
    expect(s.greedyBoxed).toBeCloseTo(2 / 3, 12)
    expect(s.byCategory.arithmetic).toMatchObject({ n: 2, meanAtK: 0.25, passAtK: 0.5, greedyAccuracy: 0.5 })
    expect(s.byStyle.careful).toEqual({ n: 4, accuracy: 0.75 })
    expect(s.byStyle.terse).toEqual({ n: 2, accuracy: 0 })
    const met = (prefix: string) => checkTargets(s).find((x) => x.target.startsWith(prefix))?.met
    expect(met("careful")).toBe(true)
    expect(met("greedy accuracy")).toBe(false) // 66.7% is above 40%
    expect(met("greedy boxed")).toBe(true)
    // Careful as accurate as terse: not twice.
    const flat = summarizeStyles(records.map((x) => ({ ...x, samples: x.samples.map((y) => ({ ...y, correct: true })) })))
    expect(checkTargets(flat).find((x) => x.target.startsWith("careful"))?.met).toBe(false)
  })

  it("perCellSubset keeps the first n of every subject × level cell", () => {
    const ps = [1, 1, 1, 2, 2].map((level, i) => new Problem({ id: `p${i}`, prompt: "x", answer: "1", subject: "s", level, source: "t" }))
    expect(perCellSubset(ps, 2).map((p) => p.id)).toEqual(["p0", "p1", "p3", "p4"])
    expect(perCellSubset(ps, undefined)).toBe(ps)
  })

  it.effect("measures a tiny random model end to end (greedy + k samples per problem, graded, classified)", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const policy = yield* Effect.acquireRelease(PolicyLive.make(PRETRAIN_PRESETS.smoke.model, { seed: 3 }), (p) => p.dispose)
        const problems = [
          new Problem({ id: "p0", prompt: "Compute 3+4.", answer: "7", subject: "arithmetic", level: 1, source: "t" }),
          new Problem({ id: "p1", prompt: "Compute 9-4.", answer: "5", subject: "arithmetic", level: 1, source: "t" }),
          new Problem({ id: "p2", prompt: "A rectangle is 2 by 3. Find its area.", answer: "6", subject: "geometry", level: 1, source: "t" })
        ]
        const records = yield* measureStyles(policy.generate, problems, { k: 3, temperature: 0.6, maxTokens: 12, seed: 1, chunk: 2 })
        expect(records.map((x) => x.id)).toEqual(["p0", "p1", "p2"])
        for (const x of records) expect(x.samples.length).toBe(3)
        const s = summarizeStyles(records)
        expect(s.k).toBe(3)
        expect(Object.keys(s.byCategory)).toEqual(["arithmetic", "geometry"])
      })
    ).pipe(Effect.provide(Layer.mergeAll(Backend.wasm, VerifierLive)))
  )
})

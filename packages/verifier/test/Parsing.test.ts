import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { extract } from "../src/Extract.ts"
import { fastParse } from "../src/FastParse.ts"
import { parseLatex, valueOfJson } from "../src/Numeric.ts"
import * as Q from "../src/Rational.ts"

/** Random LaTeX expressions in the fast parser's subset. */
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer({ min: 0, max: 50 }).map(String),
    fc.constantFrom("x", "y", "\\pi", "2.5"),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `${a}+${b}`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `${a}-(${b})`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a})\\cdot(${b})`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `\\frac{${a}}{${b}}`),
    tie("e").map((a) => `\\sqrt{${a}}`),
    fc.tuple(tie("e"), fc.integer({ min: 2, max: 3 })).map(([a, n]) => `(${a})^{${n}}`),
    tie("e").map((a) => `\\sin(${a})`),
    fc.tuple(fc.integer({ min: 2, max: 9 }), fc.constantFrom("x", "y")).map(([k, v]) => `${k}${v}`)
  )
})).e

const same = (a: ReturnType<typeof valueOfJson>, b: ReturnType<typeof valueOfJson>): boolean => {
  if (a.kind === "opaque" || b.kind === "opaque") return true // the CAS may decline; nothing to compare
  const nums = (v: typeof a): ReadonlyArray<number> =>
    v.kind === "rational" ? [Q.toNumber(v.r)] : v.kind === "real" ? [v.v] : v.kind === "function" ? v.samples : []
  const xs = nums(a)
  const ys = nums(b)
  if (xs.length !== ys.length) return false
  return xs.every((x, k) => {
    const y = ys[k] as number
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Number.isFinite(x) === Number.isFinite(y) || Number.isNaN(x) || Number.isNaN(y)
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))
  })
}

describe("the fast parser agrees with the CAS parser", () => {
  it("on random expressions in its subset", () => {
    fc.assert(
      fc.property(expr, (s) => {
        const fast = fastParse(s)
        if (fast === undefined) return true
        const a = valueOfJson(fast, "fast")
        const b = valueOfJson(parseLatex(s), "cas")
        return same(a, b) || (console.log(s, JSON.stringify(a), JSON.stringify(b)), false)
      }),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 150) }
    )
  })
  it("declines what it does not know", () => {
    expect(fastParse("\\lfloor x \\rfloor")).toBeUndefined()
    expect(fastParse("f(x)")).toBeUndefined()
    expect(fastParse("1/2x")).toBeUndefined()
    expect(fastParse("\\sin x^2")).toBeUndefined()
  })
})

describe("rationals", () => {
  it("parse decimals and fractions exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 10_000 }), (p, q) => {
        const r = Q.parseRational(`\\frac{${p}}{${q}}`)
        const s = Q.parseRational(`${p}/${q}`)
        return r !== undefined && s !== undefined && Q.equals(r, s) && Q.equals(r, Q.make(BigInt(p), BigInt(q)) as Q.Rational)
      })
    )
    expect(Q.parseRational("2.5E2")).toEqual({ num: 250n, den: 1n })
    expect(Q.parseRational(".1")?.decimals).toBe(1)
    expect(Q.parseRational("3 1")).toBeUndefined()
    expect(Q.parseRational("\\frac{1}{0}")).toBeUndefined()
  })
})

describe("extraction styles", () => {
  it("boxed (deepscaler): only the last box", () => {
    expect(extract("The answer is 5.", "boxed")).toBe(null)
    expect(extract("\\boxed{1} and \\boxed{2}", "boxed")?.answer).toBe("2")
  })
  it("qwen: Minerva sentence, last box, answer phrases, last number", () => {
    expect(extract("Final Answer: The final answer is $7$. I hope it is correct.", "qwen")?.answer).toBe("7")
    expect(extract("x \\boxed{3} then 5", "qwen")?.answer).toBe("3")
    expect(extract("So the answer is 12.", "qwen")?.answer).toBe("12")
    expect(extract("we get 1,234 apples and 17 pears", "qwen")?.answer).toBe("17")
  })
  it("strict: a later final-answer sentence overrides an earlier box", () => {
    expect(extract("\\boxed{200} ... Final Answer: The final answer is $10,455$.", "strict")?.answer).toBe("10,455")
    expect(extract("\\boxed{44} so our answer is correct.", "strict")?.answer).toBe("44")
  })
})

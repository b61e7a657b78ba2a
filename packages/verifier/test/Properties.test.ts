import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { grade } from "../src/index.ts"

/** Generated answers of every kind, rendered to LaTeX under random formatting. */
type Answer =
  | { readonly kind: "int"; readonly n: number }
  | { readonly kind: "frac"; readonly p: number; readonly q: number }
  | { readonly kind: "dec"; readonly n: number; readonly places: number }
  | { readonly kind: "sqrt"; readonly k: number; readonly r: number }
  | { readonly kind: "pi"; readonly k: number; readonly q: number }
  | { readonly kind: "tuple"; readonly items: ReadonlyArray<Answer> }
  | { readonly kind: "set"; readonly items: ReadonlyArray<Answer> }
  | { readonly kind: "interval"; readonly lo: number; readonly hi: number; readonly lc: boolean; readonly rc: boolean }
  | { readonly kind: "matrix"; readonly rows: ReadonlyArray<ReadonlyArray<number>> }
  | { readonly kind: "poly"; readonly coeffs: ReadonlyArray<number> }
  | { readonly kind: "text"; readonly word: string }
  | { readonly kind: "eq"; readonly v: string; readonly rhs: Answer }

interface Style {
  readonly frac: "\\frac" | "\\dfrac" | "\\tfrac"
  readonly space: boolean
  readonly leftRight: boolean
}

const sp = (st: Style): string => (st.space ? " " : "")
const paren = (inner: string, open: string, close: string, st: Style): string =>
  st.leftRight ? `\\left${open}${sp(st)}${inner}${sp(st)}\\right${close}` : `${open}${inner}${close}`

const render = (a: Answer, st: Style): string => {
  switch (a.kind) {
    case "int":
      return String(a.n)
    case "frac":
      return `${a.p < 0 ? "-" : ""}${st.frac}{${Math.abs(a.p)}}{${a.q}}`
    case "dec":
      return (a.n / 10 ** a.places).toFixed(a.places)
    case "sqrt":
      return `${a.k === 1 ? "" : a.k}\\sqrt{${a.r}}`
    case "pi":
      return `${st.frac}{${a.k === 1 ? "" : a.k}\\pi}{${a.q}}`
    case "tuple":
      return paren(a.items.map((x) => render(x, st)).join(`,${sp(st)}`), "(", ")", st)
    case "set":
      return paren(a.items.map((x) => render(x, st)).join(`,${sp(st)}`), "\\{", "\\}", st)
    case "interval":
      return paren(`${a.lo},${sp(st)}${a.hi}`, a.lc ? "[" : "(", a.rc ? "]" : ")", st)
    case "matrix":
      return `\\begin{pmatrix}${a.rows.map((r) => r.join(` &${sp(st)}`)).join(" \\\\ ")}\\end{pmatrix}`
    case "poly":
      return a.coeffs
        .map((c, k) => ({ c, k }))
        .filter((t) => t.c !== 0)
        .map(({ c, k }, i) => {
          const sign = c < 0 ? "-" : i === 0 ? "" : "+"
          const mag = Math.abs(c)
          const body = k === 0 ? String(mag) : `${mag === 1 ? "" : mag}x${k === 1 ? "" : `^{${k}}`}`
          return `${sign}${sp(st)}${body}`
        })
        .join(sp(st)) || "0"
    case "text":
      return `\\text{${a.word}}`
    case "eq":
      return `${a.v}${sp(st)}=${sp(st)}${render(a.rhs, st)}`
  }
}

type Scalar = Extract<Answer, { readonly kind: "int" | "frac" | "dec" | "sqrt" | "pi" }>

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.integer({ min: -100000, max: 100000 }).map((n) => ({ kind: "int" as const, n })),
  fc
    .tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 2, max: 97 }))
    .map(([p, q]) => ({ kind: "frac" as const, p, q })),
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 1, max: 4 }))
    .map(([n, places]) => ({ kind: "dec" as const, n, places })),
  fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.constantFrom(2, 3, 5, 6, 7, 10, 11, 13))
    .map(([k, r]) => ({ kind: "sqrt" as const, k, r })),
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 })).map(([k, q]) => ({ kind: "pi" as const, k, q }))
)

const answer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  fc.array(scalar, { minLength: 2, maxLength: 4 }).map((items) => ({ kind: "tuple" as const, items })),
  fc.array(scalar, { minLength: 2, maxLength: 4 }).map((items) => ({ kind: "set" as const, items })),
  fc
    .tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.boolean())
    .map(([lo, d, lc, rc]) => ({ kind: "interval" as const, lo, hi: lo + d, lc, rc })),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .chain(([r, c]) => fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }))
    .map((rows) => ({ kind: "matrix" as const, rows })),
  fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 4 }).map((coeffs) => ({ kind: "poly" as const, coeffs })),
  fc.constantFrom("Evelyn", "east", "even", "ellipse", "odd").map((word) => ({ kind: "text" as const, word })),
  fc.tuple(fc.constantFrom("x", "k", "n"), scalar).map(([v, rhs]) => ({ kind: "eq" as const, v, rhs }))
)

const style: fc.Arbitrary<Style> = fc.record({
  frac: fc.constantFrom("\\frac" as const, "\\dfrac" as const, "\\tfrac" as const),
  space: fc.boolean(),
  leftRight: fc.boolean()
})

const wrappers: ReadonlyArray<(x: string) => string> = [
  (x) => `Therefore the answer is $\\boxed{${x}}$.`,
  (x) => `We compute things first.\n\nSo we get \\[\\boxed{${x}}\\]`,
  (x) => `\\boxed{${x}}`,
  (x) => `Hence $x$ is \\(\\boxed{${x}}\\). Done.`,
  (x) => `Final Answer: The final answer is $${x}$. I hope it is correct.`,
  (x) => `Some steps, like $1+1=2$. The answer is $\\boxed{ ${x} }$`
]

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 150)

describe("properties", () => {
  it("grade(render(x), x) is correct under random formatting and box placement", () => {
    fc.assert(
      fc.property(answer, style, style, fc.integer({ min: 0, max: wrappers.length - 1 }), (a, s1, s2, w) => {
        const gold = render(a, s1)
        const response = (wrappers[w] as (x: string) => string)(render(a, s2))
        const g = grade(response, gold, { timeoutMs: 1000 })
        return g.correct || (console.log(JSON.stringify({ response, gold, g })), false)
      }),
      { numRuns: RUNS }
    )
  })

  it("equivalent numeric forms match: scaled fractions, terminating decimals, percent", () => {
    fc.assert(
      fc.property(fc.integer({ min: -999, max: 999 }), fc.constantFrom(2, 4, 5, 8, 10, 20, 25), fc.integer({ min: 2, max: 9 }), (p, q, k) => {
        const decimal = String(p / q)
        return (
          grade(`\\boxed{\\frac{${p * k}}{${q * k}}}`, `\\frac{${p}}{${q}}`).correct &&
          grade(`\\boxed{${decimal}}`, `\\frac{${p}}{${q}}`).correct &&
          grade(`\\boxed{${p}\\%}`, `${p}`).correct
        )
      }),
      { numRuns: RUNS }
    )
  })

  it("near-misses do not match", () => {
    fc.assert(
      fc.property(scalar, fc.integer({ min: 1, max: 9 }), (a, d) => {
        const gold = render(a, { frac: "\\frac", space: false, leftRight: false })
        const off: string =
          a.kind === "int"
            ? String(a.n + d)
            : a.kind === "frac"
              ? `\\frac{${a.p + d * a.q + 1}}{${a.q}}`
              : a.kind === "dec"
                ? ((a.n + d) / 10 ** a.places).toFixed(a.places)
                : a.kind === "sqrt"
                  ? `${a.k}\\sqrt{${a.r + d}}`
                  : `\\frac{${a.k + d}\\pi}{${a.q}}`
        return !grade(`\\boxed{${off}}`, gold).correct
      }),
      { numRuns: RUNS }
    )
  })

  it("sets are order-free and tuples are not", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 5 }), (xs) => {
        const rev = [...xs].reverse()
        return (
          grade(`\\boxed{\\{${rev.join(",")}\\}}`, `\\{${xs.join(",")}\\}`).correct &&
          !grade(`\\boxed{(${rev.join(",")})}`, `(${xs.join(",")})`).correct
        )
      }),
      { numRuns: RUNS }
    )
  })
})

describe("safety: never throws, always returns within the bound", () => {
  const bounded = (response: string, gold: string): void => {
    const t = performance.now()
    const g = grade(response, gold, { timeoutMs: 100 })
    const ms = performance.now() - t
    expect(typeof g.correct).toBe("boolean")
    expect(ms).toBeLessThan(400)
  }
  it("arbitrary Unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "binary", maxLength: 40 }), (r, g) => {
        bounded(r, g)
        bounded(`\\boxed{${r}}`, g)
        return true
      }),
      { numRuns: 300 }
    )
  })
  it("LaTeX-ish garbage", () => {
    const piece = fc.constantFrom("\\frac", "{", "}", "\\boxed{", "(", ")", "[", "]", "\\sqrt", "^", "_", "x", "1", ",", "=", "\\le", "\\{", "\\}", "$", "\\left(", "\\right)", "&", "\\\\", "\\begin{pmatrix}", "\\end{pmatrix}", "\\pm", "\\cup", " ")
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(piece, { maxLength: 20 }), (r, g) => {
        bounded(`\\boxed{${r.join("")}}`, g.join(""))
        bounded(r.join(""), `\\boxed{${g.join("")}}`)
        return true
      }),
      { numRuns: 300 }
    )
  })
  it("10^5-character inputs", () => {
    bounded("a".repeat(100_000), "1")
    bounded("1 + ".repeat(25_000) + "\\boxed{2}", "2")
    bounded(`\\boxed{${"x+".repeat(50_000)}1}`, "x+1")
    bounded("$1$ ".repeat(25_000), "1")
    const g = grade(`${"word ".repeat(20_000)} \\boxed{42}`, "42")
    expect(g.correct).toBe(true)
  })
  it("10^4 nested braces", () => {
    bounded(`\\boxed{${"{".repeat(10_000)}1${"}".repeat(10_000)}}`, "1")
    bounded(`\\boxed{${"(".repeat(10_000)}1${")".repeat(10_000)}}`, "1")
    bounded(`\\boxed{${"\\frac{".repeat(10_000)}}`, "1")
    bounded(`\\boxed{${"\\sqrt{".repeat(5_000)}2${"}".repeat(5_000)}}`, "\\sqrt{2}")
    bounded("{".repeat(10_000), "1")
  })
  it("a spent time bound yields a typed timeout, never 'correct'", () => {
    const g = grade("\\boxed{\\frac{x^2-1}{x-1}}", "x+1", { timeoutMs: 0 })
    expect(g.timedOut).toBe(true)
    expect(g.correct).toBe(false)
    expect(g.rule).toBe("timeout")
    expect(g.extracted).toBe("\\frac{x^2-1}{x-1}")
  })
})

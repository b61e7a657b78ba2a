/**
 * Soundness in `strict` mode, class by class, with generators: what must never be
 * rewarded (a flipped relation, a near-miss of any size, a rejected answer, an
 * undefined value, half of a relation) and the equalities that must hold on the
 * same generators (so that the checks cannot pass by rejecting everything).
 */
import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { grade } from "../src/index.ts"

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 200)

const correct = (response: string, gold: string): boolean => grade(response, gold, { mode: "strict", timeoutMs: 2000 }).correct

/** Fails with the pair and the grade when `correct(response, gold)` is not `expected`. */
const expectGrade = (response: string, gold: string, expected: boolean): boolean => {
  const g = grade(response, gold, { mode: "strict", timeoutMs: 2000 })
  if (g.correct === expected) return true
  throw new Error(`expected ${expected} for ${JSON.stringify(response)} vs ${JSON.stringify(gold)}: ${g.rule} ${g.extracted}`)
}

// ---------------------------------------------------------------- relations

type Rel = "<" | ">" | "le" | "ge" | "ne"
const RELATIONS: ReadonlyArray<Rel> = ["<", ">", "le", "ge", "ne"]
const SPELLINGS: Record<Rel, ReadonlyArray<string>> = {
  "<": ["<", "\\lt", " < "],
  ">": [">", "\\gt", " > "],
  le: ["\\le", "\\leq", "\\leqslant", "≤", "<=", "\\leqq"],
  ge: ["\\ge", "\\geq", "\\geqslant", "≥", ">=", "\\geqq"],
  ne: ["\\neq", "\\ne", "≠", "!="]
}
/** The same relation with its sides swapped: x < 5 ⇔ 5 > x. */
const MIRROR: Record<Rel, Rel> = { "<": ">", ">": "<", le: "ge", ge: "le", ne: "ne" }

const spelled = (r: Rel, k: number): string => {
  const xs = SPELLINGS[r]
  return xs[k % xs.length] as string
}

/** `x op b` as an interval, for the relations that are one. */
const asInterval = (r: Rel, b: string): string | undefined =>
  r === "<" ? `(-\\infty, ${b})` : r === "le" ? `(-\\infty, ${b}]` : r === ">" ? `(${b}, \\infty)` : r === "ge" ? `[${b}, \\infty)` : undefined

const bound = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 2, max: 9 })).map(([p, q]) => `${p < 0 ? "-" : ""}\\frac{${Math.abs(p)}}{${q}}`),
  fc.integer({ min: 2, max: 30 }).map((n) => `\\sqrt{${n}}`)
)
const variable = fc.constantFrom("x", "y", "t", "a", "n", "k")

const placements: ReadonlyArray<(s: string) => string> = [
  (s) => `\\boxed{${s}}`,
  (s) => `Therefore the solution set is $${s}$.`,
  (s) => `so the answer is $\\boxed{${s}}$`,
  (s) => `Final Answer: The final answer is $${s}$. I hope it is correct.`,
  (s) => `\\[ \\boxed{${s}} \\]`
]

describe("relations keep direction and strictness", () => {
  it("x op b against every relation, spelled any way, either side first, boxed, in prose or as an interval", () => {
    fc.assert(
      fc.property(
        variable,
        bound,
        fc.constantFrom(...RELATIONS),
        fc.constantFrom(...RELATIONS),
        fc.nat(20),
        fc.nat(20),
        fc.nat(placements.length - 1),
        fc.constantFrom("plain", "mirrored", "interval"),
        (v, b, gold, resp, k1, k2, where, form) => {
          const goldText = `${v} ${spelled(gold, k1)} ${b}`
          const inner =
            form === "plain"
              ? `${v} ${spelled(resp, k2)} ${b}`
              : form === "mirrored"
                ? `${b} ${spelled(MIRROR[resp], k2)} ${v}`
                : asInterval(resp, b)
          if (inner === undefined) return true
          const response = (placements[where] as (s: string) => string)(inner)
          return expectGrade(response, goldText, gold === resp)
        }
      ),
      { numRuns: RUNS * 3 }
    )
  })

  it("double inequalities: a change of either strictness or a flip is never correct", () => {
    const lowRel = fc.constantFrom<Rel>("<", "le")
    fc.assert(
      fc.property(
        variable,
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        lowRel,
        lowRel,
        lowRel,
        lowRel,
        fc.boolean(),
        fc.nat(10),
        (v, lo, d, g1, g2, r1, r2, mirrored, k) => {
          const hi = lo + d
          const gold = `${lo} ${spelled(g1, k)} ${v} ${spelled(g2, k + 1)} ${hi}`
          const resp = mirrored
            ? `${hi} ${spelled(MIRROR[r2], k)} ${v} ${spelled(MIRROR[r1], k + 2)} ${lo}`
            : `${lo} ${spelled(r1, k + 3)} ${v} ${spelled(r2, k)} ${hi}`
          expectGrade(`\\boxed{${resp}}`, gold, g1 === r1 && g2 === r2)
          // The interval it describes, and the same interval with the bounds swapped.
          const interval = `${r1 === "le" ? "[" : "("}${lo}, ${hi}${r2 === "le" ? "]" : ")"}`
          expectGrade(`\\boxed{${interval}}`, gold, g1 === r1 && g2 === r2)
          return expectGrade(`\\boxed{${lo} ${spelled(r1, k)} ${v} ${spelled(r2, k)} ${hi}}`, `${hi} ${spelled(g2, k)} ${v} ${spelled(g1, k)} ${lo}`, false)
        }
      ),
      { numRuns: RUNS }
    )
  })

  it("a relation is never its own bound, and an equation is not an inequality", () => {
    fc.assert(
      fc.property(variable, bound, fc.constantFrom(...RELATIONS), fc.nat(10), (v, b, r, k) => {
        const rel = `${v} ${spelled(r, k)} ${b}`
        return expectGrade(`\\boxed{${b}}`, rel, false) && expectGrade(`\\boxed{${v} = ${b}}`, rel, false) && expectGrade(`\\boxed{${rel}}`, `${v} = ${b}`, false)
      }),
      { numRuns: RUNS }
    )
  })
})

// ---------------------------------------------------------------- exact numbers

/** Exact renderings of p/q · 10^e. */
const renderRational = (p: bigint, q: bigint, e: number, style: number): string => {
  const sign = p < 0n ? "-" : ""
  const a = p < 0n ? -p : p
  switch (style % 4) {
    case 0:
      return e >= 0 ? `${sign}\\frac{${a * 10n ** BigInt(e)}}{${q}}` : `${sign}\\frac{${a}}{${q * 10n ** BigInt(-e)}}`
    case 1:
      return `${sign}\\frac{${a}}{${q}} \\times 10^{${e}}`
    case 2:
      return `${sign}\\frac{${a}\\cdot 10^{${e}}}{${q}}`
    default:
      return e >= 0 ? `${sign}${a}\\cdot 10^{${e}} / ${q}` : `${sign}\\frac{${a}}{${q}\\cdot 10^{${-e}}}`
  }
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b))

describe("exact comparison where exact", () => {
  it("integer powers: b^e against b^e ± 1, b^(e+1), and its own digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 13 }), fc.integer({ min: 16, max: 400 }), fc.constantFrom(-1n, 1n), (b, e, d) => {
        const power = `${b}^{${e}}`
        const digits = (BigInt(b) ** BigInt(e)).toString()
        return (
          expectGrade(`\\boxed{${power}}`, `${power}${d > 0n ? "+" : "-"}1`, false) &&
          expectGrade(`\\boxed{${(BigInt(b) ** BigInt(e) + d).toString()}}`, power, false) &&
          expectGrade(`\\boxed{${b}^{${e + 1}}}`, power, false) &&
          expectGrade(`\\boxed{${digits}}`, power, true) &&
          expectGrade(`\\boxed{\\frac{1}{${b}^{${e}}}}`, `\\frac{1}{${b}^{${e + 1}}}`, false) &&
          expectGrade(`\\boxed{${b}^{-${e}}}`, `\\frac{1}{${power}}`, true)
        )
      }),
      { numRuns: RUNS }
    )
  })

  it("distinct rationals at magnitudes 10^-30 … 10^30 are never equal; the same rational in another form is", () => {
    const rational = fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 9n })).filter(([p]) => p !== 0n)
    fc.assert(
      fc.property(
        rational,
        fc.integer({ min: -30, max: 30 }),
        fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.constantFrom(1n, 2n, 10n)),
        fc.nat(7),
        fc.nat(7),
        ([p, q], e, m, s1, s2) => {
          // r2 = r1 · (1 + 1/m): a distinct rational at the same magnitude, relatively 1/m away.
          const p2 = p * (m + 1n)
          const q2 = q * m
          const g = gcd(p2, q2)
          return (
            expectGrade(`\\boxed{${renderRational(p2 / g, q2 / g, e, s1)}}`, renderRational(p, q, e, s2), false) &&
            expectGrade(`\\boxed{${renderRational(p, q, e, s1)}}`, renderRational(p, q, e + 1, s2), false) &&
            expectGrade(`\\boxed{${renderRational(p * 3n, q * 3n, e, s1)}}`, renderRational(p, q, e, s2), true)
          )
        }
      ),
      { numRuns: RUNS }
    )
  })

  it("inexact values get a relative tolerance only: tiny distinct irrationals differ", () => {
    fc.assert(
      fc.property(fc.constantFrom("\\sqrt{2}", "\\pi", "\\sqrt{3}", "e", "\\ln 2"), fc.integer({ min: 10, max: 40 }), fc.integer({ min: 2, max: 9 }), (c, k, f) => {
        const x = `${c} \\cdot 10^{-${k}}`
        return (
          expectGrade(`\\boxed{${c} \\cdot 10^{-${k + 1}}}`, x, false) &&
          expectGrade(`\\boxed{${f}${c} \\cdot 10^{-${k}}}`, x, false) &&
          expectGrade(`\\boxed{\\frac{${c}}{10^{${k}}}}`, x, true)
        )
      }),
      { numRuns: RUNS }
    )
  })

  it("a rounded decimal needs two significant digits: 0.00 is not a rounding of a tiny value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.constantFrom(3, 7, 9, 11), (k, q) => {
        const tiny = `\\frac{1}{${q} \\cdot 10^{${k}}}`
        return expectGrade(`\\boxed{0.00}`, tiny, false) && expectGrade(`\\boxed{${(0).toFixed(k + 1)}}`, tiny, false)
      }),
      { numRuns: RUNS }
    )
  })
})

// ---------------------------------------------------------------- rejected answers

const REJECTIONS: ReadonlyArray<(ok: string, bad: string) => string> = [
  (ok, bad) => `The answer is \\boxed{${ok}} and not \\boxed{${bad}}.`,
  (ok, bad) => `So $\\boxed{${ok}}$, not $\\boxed{${bad}}$.`,
  (ok, bad) => `We get \\boxed{${ok}} rather than \\boxed{${bad}}`,
  (ok, bad) => `The result is \\boxed{${ok}} instead of \\boxed{${bad}}.`,
  (ok, bad) => `\\boxed{${ok}}; my first guess \\boxed{${bad}} is wrong.`,
  (ok, bad) => `Answer: \\boxed{${ok}} (\\boxed{${bad}} was a mistake)`,
  (ok, bad) => `Hence \\boxed{${ok}}, it is not equal to \\boxed{${bad}}`,
  (ok, bad) => `\\boxed{${ok}} und nicht \\boxed{${bad}}`,
  (ok, bad) => `答案是 \\boxed{${ok}}，不是 \\boxed{${bad}}`,
  (ok, bad) => `The answer is ${ok}, not ${bad}.`,
  (ok, bad) => `The answer is not ${bad}. We find ${ok}.`,
  (ok, bad) => `So the final answer is $${ok}$ (not $${bad}$).`
]

describe("an answer the response rejects is not its answer", () => {
  it("boxed answers followed or preceded by a rejection", () => {
    fc.assert(
      fc.property(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 1, max: 999 }), fc.nat(REJECTIONS.length - 1), (a, d, k) => {
        const ok = String(a)
        const bad = String(a + d)
        const response = (REJECTIONS[k] as (ok: string, bad: string) => string)(ok, bad)
        return expectGrade(response, bad, false) && expectGrade(response, ok, true)
      }),
      { numRuns: RUNS }
    )
  })

  it("a response that rejects its only box has no answer", () => {
    fc.assert(
      fc.property(fc.integer({ min: -999, max: 999 }), (a) => expectGrade(`It is certainly not \\boxed{${a}}.`, String(a), false)),
      { numRuns: 50 }
    )
  })

  it("multiple choice: a letter the response rules out is not its answer", () => {
    const templates: ReadonlyArray<(ok: string, bad: string) => string> = [
      (ok, bad) => `(${bad}) is wrong since it overcounts the cases, hence ${ok}`,
      (ok, bad) => `${ok}. It can't be ${bad} because the sum is odd.`,
      (ok, bad) => `Option ${bad} is incorrect. Therefore the answer is (${ok}).`,
      (ok, bad) => `Not ${bad}, so the correct choice is ${ok}.`,
      (ok, bad) => `${ok}，不是 ${bad}`,
      (ok, bad) => `We rule out (${bad}); the answer is ${ok}.`
    ]
    fc.assert(
      fc.property(fc.constantFrom("A", "B", "C", "D", "E"), fc.constantFrom("A", "B", "C", "D", "E"), fc.nat(templates.length - 1), (ok, bad, k) => {
        if (ok === bad) return true
        const response = (templates[k] as (ok: string, bad: string) => string)(ok, bad)
        return expectGrade(response, bad, false) && expectGrade(response, ok, true)
      }),
      { numRuns: RUNS }
    )
  })
})

// ---------------------------------------------------------------- undefined values

describe("undefined values equal nothing", () => {
  it("division by zero against infinity, numbers, itself", () => {
    const undefinedForm = fc.oneof(
      fc.integer({ min: -99, max: 99 }).map((n) => `\\frac{${n}}{0}`),
      fc.integer({ min: -99, max: 99 }).map((n) => `${n}/0`),
      fc.constantFrom("0/0", "\\frac{0}{0}", "\\dfrac{1}{0}", "5 \\div 0", "\\frac{x}{0}")
    )
    const other = fc.oneof(fc.constantFrom("\\infty", "-\\infty", "+\\infty", "0", "\\text{undefined}"), fc.integer({ min: -99, max: 99 }).map(String))
    fc.assert(
      fc.property(undefinedForm, other, (u, o) => expectGrade(`\\boxed{${u}}`, o, false) && expectGrade(`\\boxed{${o}}`, u, false) && expectGrade(`\\boxed{${u}}`, u, false)),
      { numRuns: RUNS }
    )
  })
  it("overflowing powers are not equal to each other", () => {
    expect(correct("\\boxed{2^{100000}}", "3^{100000}")).toBe(false)
    expect(correct("\\boxed{10^{400}}", "\\infty")).toBe(false)
  })
})

// ---------------------------------------------------------------- which side of an equation is the answer

describe("an equation's answer is the relation unless one side names it", () => {
  it("c = expression(vars): neither side alone is the answer; the relation in any arrangement is", () => {
    const term = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom("a", "b", "x", "y"))
    fc.assert(
      fc.property(fc.integer({ min: -30, max: 30 }), term, term, fc.constantFrom("+", "-"), (c, [k1, v1], [k2, v2], op) => {
        if (v1 === v2) return true
        const expr = `${k1}${v1} ${op} ${k2}${v2}`
        const gold = `${c} = ${expr}`
        return (
          expectGrade(`\\boxed{${expr}}`, gold, false) &&
          expectGrade(`\\boxed{${c}}`, gold, false) &&
          expectGrade(`\\boxed{${c}}`, `${v1} ${op} ${v2} = ${c}`, false) &&
          expectGrade(`\\boxed{${expr} = ${c}}`, gold, true) &&
          expectGrade(`\\boxed{${2 * k1}${v1} ${op} ${2 * k2}${v2} = ${2 * c}}`, gold, true)
        )
      }),
      { numRuns: RUNS }
    )
  })
  it("a named side states the other: x = 3, 3 = x, f(x) = 2x+1, and a computation states its result", () => {
    fc.assert(
      fc.property(fc.integer({ min: -99, max: 99 }), fc.integer({ min: 1, max: 9 }), (n, m) => {
        return (
          expectGrade(`\\boxed{x = ${n}}`, String(n), true) &&
          expectGrade(`\\boxed{${n} = x}`, String(n), true) &&
          expectGrade(`\\boxed{${n} + ${m} = ${n + m}}`, String(n + m), true) &&
          expectGrade(`\\boxed{${n} + ${m} = ${n + m}}`, String(n), false) &&
          expectGrade(`\\boxed{${m}x + ${n}}`, `f(x) = ${m}x + ${n}`, true)
        )
      }),
      { numRuns: RUNS }
    )
  })
})

// ---------------------------------------------------------------- complex constants

describe("complex constants", () => {
  it("e^{i k π} = (-1)^k, e^{iπ/2} = i, and Gaussian products exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: -6, max: 6 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), (k, a, b, c, d) => {
        const z = (re: number, im: number): string => `${re} ${im < 0 ? "-" : "+"} ${Math.abs(im)}i`
        return (
          expectGrade(`\\boxed{e^{${k}i\\pi}}`, String(k % 2 === 0 ? 1 : -1), true) &&
          expectGrade(`\\boxed{e^{${k}i\\pi}}`, String(k % 2 === 0 ? -1 : 1), false) &&
          expectGrade(`\\boxed{(${z(a, b)})(${z(c, d)})}`, z(a * c - b * d, a * d + b * c), true) &&
          expectGrade(`\\boxed{(${z(a, b)})(${z(c, d)})}`, z(a * c - b * d + 1, a * d + b * c), false)
        )
      }),
      { numRuns: RUNS }
    )
    expect(correct("\\boxed{e^{i\\pi}}", "-1")).toBe(true)
    expect(correct("\\boxed{e^{i\\pi/2}}", "i")).toBe(true)
    expect(correct("\\boxed{2^{100} i}", "(2^{100}+1)i")).toBe(false)
  })
})

/**
 * Completeness in `strict` mode, class by class, with generators: each class is
 * rendered every way the generator knows (locales, separators, connectives,
 * units, languages, orders) and must be accepted; a near-miss in the same
 * rendering must not be (so no check passes by accepting everything).
 */
import { describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { grade } from "../src/index.ts"

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 150)

const expectGrade = (response: string, gold: string, expected: boolean): boolean => {
  const g = grade(response, gold, { mode: "strict", timeoutMs: 2000 })
  if (g.correct === expected) return true
  throw new Error(`expected ${expected} for ${JSON.stringify(response)} vs ${JSON.stringify(gold)}: ${g.rule} ${JSON.stringify(g.extracted)}`)
}

const pick = <A>(xs: ReadonlyArray<A>, k: number): A => xs[k % xs.length] as A

// ---------------------------------------------------------------- numbers of other locales

const group = (digits: string, sep: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep)

/** `int.frac` rendered with a locale's separators, or `undefined` when that rendering would be ambiguous. */
const localeRender = (int: string, frac: string, locale: number): string | undefined => {
  const f = frac.length > 0
  switch (locale % 6) {
    case 0: // English
      return `${group(int, ",")}${f ? `.${frac}` : ""}`
    case 1: // German, Spanish, Italian: dot thousands, comma decimal (a lone 1.234 reads as English)
      return int.length <= 3 || (!f && int.length <= 6) ? undefined : `${group(int, ".")}${f ? `,${frac}` : ""}`
    case 2: // French: (thin) space thousands, comma decimal
      return int.length <= 3 ? undefined : `${group(int, pick([" ", "\u202f", "\u00a0", "\\,"], int.length))}${f ? `,${frac}` : ""}`
    case 3: // Swiss
      return int.length <= 3 ? undefined : `${group(int, "'")}${f ? `.${frac}` : ""}`
    case 4: // a bare decimal comma (three decimals after ≤ 3 digits read as thousands)
      return !f || (frac.length === 3 && int.length <= 3) ? undefined : `${int},${frac}`
    default:
      return `${int}${f ? `.${frac}` : ""}`
  }
}

const PROSE: ReadonlyArray<(x: string) => string> = [
  (x) => `\\boxed{${x}}`,
  (x) => `La réponse est ${x}.`,
  (x) => `Die Antwort ist ${x}.`,
  (x) => `La respuesta es $${x}$.`,
  (x) => `So the total comes to ${x}`,
  (x) => `答案是 ${x}。`
]

describe("numbers written in other locales", () => {
  it("thousands separators and decimal commas, bare and in prose; a near-miss is not accepted", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.stringMatching(/^\d{0,4}$/), fc.nat(11), fc.nat(PROSE.length - 1), (n, frac, locale, where) => {
        const int = n.toString()
        const shown = localeRender(int, frac, locale)
        if (shown === undefined || (frac.length > 0 && /^0+$/.test(frac) && locale % 6 === 4)) return true
        const gold = `${int}${frac.length > 0 ? `.${frac}` : ""}`
        const wrap = pick(PROSE, where)
        const near = localeRender((n + 1n).toString(), frac, locale)
        return expectGrade(wrap(shown), gold, true) && (near === undefined || expectGrade(wrap(near), gold, false))
      }),
      { numRuns: RUNS * 2 }
    )
  })
})

// ---------------------------------------------------------------- percent, units, currency

const DECORATIONS: ReadonlyArray<(x: string) => string> = [
  (x) => `${x}\\%`,
  (x) => `${x}%`,
  (x) => `${x} percent`,
  (x) => `${x} per cent`,
  (x) => `${x} pct`,
  (x) => `${x}\\text{ percent}`,
  (x) => `${x}\\textnormal{ km}`,
  (x) => `${x}\\text{ cm}^2`,
  (x) => `${x}\\,\\mathrm{m}`,
  (x) => `${x} \\mathrm{kg}`,
  (x) => `${x}\\ \\text{meters}`,
  (x) => `${x} square units`,
  (x) => `${x} km`,
  (x) => `\\$${x}`,
  (x) => `€${x}`,
  (x) => `${x}€`,
  (x) => `${x} euros`,
  (x) => `${x} dollars`,
  (x) => `USD ${x}`,
  (x) => `${x} USD`,
  (x) => `US\\$${x}`,
  (x) => `¥${x}`,
  (x) => `${x}元`,
  (x) => `${x}\\text{ dollars}`
]

describe("percent, units and currency around a number", () => {
  it("are presentation: the number decides", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99999 }), fc.nat(2), fc.nat(DECORATIONS.length - 1), fc.boolean(), (n, places, k, boxed) => {
        const x = (n / 10 ** places).toFixed(places)
        const shown = pick(DECORATIONS, k)(x)
        const near = pick(DECORATIONS, k)(((n + 1) / 10 ** places).toFixed(places))
        const wrap = (s: string): string => (boxed ? `so the answer is $\\boxed{${s}}$` : `Final answer: ${s}`)
        return expectGrade(wrap(shown), x, true) && expectGrade(wrap(near), x, false)
      }),
      { numRuns: RUNS * 2 }
    )
  })
})

// ---------------------------------------------------------------- several answers

const JOINS: ReadonlyArray<string> = [", ", ",", "; ", " and ", " or ", ", and ", "\\text{ and }", "\\text{ or }", " \\quad ", ",\\ "]

describe("several answers joined by words or separators", () => {
  it("any separator or connective, in a box, in boxes, or in prose, in any order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -60, max: 60 }), { minLength: 2, maxLength: 5 }),
        fc.nat(JOINS.length - 1),
        fc.nat(3),
        fc.nat(100),
        (xs, j, where, seed) => {
          const shuffled = [...xs].sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101))
          const gold = xs.join(", ")
          const join = pick(JOINS, j)
          const render = (ys: ReadonlyArray<number>): string => {
            switch (where) {
              case 0:
                return `\\boxed{${ys.join(join)}}`
              case 1:
                return ys.map((y) => `\\boxed{${y}}`).join(join.startsWith("\\text") || join.startsWith(" \\quad") ? join : ` ${join.trim() || ","} `)
              case 2:
                return `The solutions are ${ys.slice(0, -1).join(", ")} and ${ys[ys.length - 1]}.`
              default:
                return `The solutions are ${ys.map((y) => `$x = ${y}$`).join(" or ")}.`
            }
          }
          const wrong = [...shuffled]
          wrong[0] = (wrong[0] as number) + 100
          return expectGrade(render(shuffled), gold, true) && expectGrade(render(wrong), gold, false)
        }
      ),
      { numRuns: RUNS * 2 }
    )
  })

  it("sets of tuples in any order: bracketed, in a set, as named assignments grouped by ; or `or`", () => {
    const names = fc.constantFrom(["a", "b"], ["x", "y"], ["p", "q"], ["m", "n"])
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), { minLength: 1, maxLength: 4, selector: ([u, v]) => `${u},${v}` }),
        names,
        fc.nat(4),
        fc.boolean(),
        (pairs, [u, v], style, reversed) => {
          const gold = pairs.map(([a, b]) => `(${a},${b})`).join(",")
          const order = reversed ? [...pairs].reverse() : pairs
          const render = (ps: ReadonlyArray<readonly [number, number]>): string => {
            switch (style) {
              case 0:
                return `\\boxed{${ps.map(([a, b]) => `(${a}, ${b})`).join(", ")}}`
              case 1:
                return `\\boxed{\\{${ps.map(([a, b]) => `(${a},${b})`).join(",")}\\}}`
              case 2:
                return `\\boxed{${ps.map(([a, b]) => `${u}=${a}, ${v}=${b}`).join("; ")}}`
              case 3:
                return `\\boxed{${ps.map(([a, b]) => `${u}=${a}, ${v}=${b}`).join(" \\text{ or } ")}}`
              default:
                return `\\boxed{(${u},${v}) = ${ps.map(([a, b]) => `(${a},${b})`).join(" \\text{ or } ")}}`
            }
          }
          const swapped = order.map(([a, b]) => [b, a] as const)
          const same = pairs.every(([a, b]) => pairs.some(([c, d]) => c === b && d === a))
          return expectGrade(render(order), gold, true) && (same || expectGrade(render(swapped), gold, false))
        }
      ),
      { numRuns: RUNS * 2 }
    )
  })

  it("named values against bare values: PQ=3, RS=7 is 3, 7", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 2, maxLength: 4 }), (xs) => {
        const names = ["PQ", "RS", "TU", "VW"]
        const named = xs.map((x, k) => `${names[k]}=${x}`).join(", ")
        return expectGrade(`\\boxed{${named}}`, xs.join(", "), true) && expectGrade(`\\boxed{${named}}`, xs.map((x) => x + 1).join(", "), false)
      }),
      { numRuns: RUNS }
    )
  })
})

// ---------------------------------------------------------------- inequalities and the intervals they describe

describe("an inequality against the union of intervals it describes", () => {
  it("|x - c| between two bounds, below one, above one; disjunctions; a moved endpoint or bracket is not accepted", () => {
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.nat(3), fc.nat(1), (c, r1, dr, strict, kind, wrongWhat) => {
        const r2 = r1 + dr
        const [lo, hi] = strict ? ["(", ")"] : ["[", "]"]
        const le = strict ? "<" : "\\le"
        const ge = strict ? ">" : "\\ge"
        const shift = (x: number): string => String(x)
        let ineq: string
        let union: (d: number) => string
        switch (kind) {
          case 0:
            ineq = `${r1} ${le} |x - ${c}| ${le} ${r2}`.replace("- -", "+ ")
            union = (d) => `${lo}${c - r2},${c - r1}${hi} \\cup ${lo}${c + r1},${c + r2 + d}${hi}`
            break
          case 1:
            ineq = `|x - ${c}| ${le} ${r1}`.replace("- -", "+ ")
            union = (d) => `${lo}${c - r1},${c + r1 + d}${hi}`
            break
          case 2:
            ineq = `|x - ${c}| ${ge} ${r1}`.replace("- -", "+ ")
            union = (d) => `(-\\infty,${shift(c - r1)}${hi} \\cup ${lo}${c + r1 + d},\\infty)`
            break
          default:
            ineq = `x ${le} ${c - r1} \\text{ or } x ${ge} ${c + r1}`
            union = (d) => `(-\\infty,${c - r1}${hi} \\cup ${lo}${c + r1 + d},\\infty)`
        }
        const flipped = union(0).replace(/[()[\]]/g, (b) => ({ "(": "[", ")": "]", "[": "(", "]": ")" })[b] as string).replace(/\[-\\infty/g, "(-\\infty").replace(/\\infty\]/g, "\\infty)")
        const wrong = wrongWhat === 0 ? union(1) : flipped
        return (
          expectGrade(`\\boxed{${union(0)}}`, ineq, true) &&
          expectGrade(`\\boxed{${ineq}}`, union(0), true) &&
          expectGrade(`\\boxed{${wrong}}`, ineq, false)
        )
      }),
      { numRuns: RUNS * 2 }
    )
  })
})

// ---------------------------------------------------------------- matrices

type M = ReadonlyArray<ReadonlyArray<number>>
const tex = (m: ReadonlyArray<ReadonlyArray<string | number>>, env = "pmatrix"): string => `\\begin{${env}}${m.map((r) => r.join(" & ")).join(" \\\\ ")}\\end{${env}}`
const mul = (a: M, b: M): M => a.map((r) => (b[0] as ReadonlyArray<number>).map((_, j) => r.reduce((s, x, k) => s + x * ((b[k] as ReadonlyArray<number>)[j] as number), 0)))

describe("matrices", () => {
  const matrix = (rows: number, cols: number) =>
    fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows })
  it("products, sums and scalar multiples of matrix literals against the result", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.nat(2), fc.integer({ min: -5, max: 5 }), (r, k, c, op, s) =>
        fc.assert(
          fc.property(matrix(r, k), matrix(k, c), matrix(r, k), (a, b, a2) => {
            const [expr, result]: [string, M] =
              op === 0
                ? [`${tex(a)} ${tex(b, "bmatrix")}`, mul(a, b)]
                : op === 1
                  ? [`${tex(a)} + ${tex(a2)}`, a.map((row, i) => row.map((x, j) => x + ((a2[i] as ReadonlyArray<number>)[j] as number)))]
                  : [`${s}${tex(a)}`, a.map((row) => row.map((x) => s * x))]
            const wrong = result.map((row, i) => row.map((x, j) => (i === 0 && j === 0 ? x + 1 : x)))
            return expectGrade(`The result is $${expr}$`, tex(result), true) && expectGrade(`\\boxed{${expr}}`, tex(wrong), false)
          }),
          { numRuns: 3 }
        )
      ),
      { numRuns: Math.ceil(RUNS / 3) }
    )
  })
  it("radicals and fractional powers in the cells", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.constantFrom(2, 3, 5, 6, 7), fc.integer({ min: 2, max: 5 }), (k, m, b) => {
        const gold = tex([[`${k}\\sqrt{${m}}`, `${b * b}`], [`\\frac{1}{\\sqrt{${m}}}`, `${b}`]])
        const shown = tex([[`\\sqrt{${k * k * m}}`, `${b}^{2}`], [`${m}^{-1/2}`, `${b * b * b}^{1/3}`]], "bmatrix")
        const off = tex([[`\\sqrt{${k * k * m + 1}}`, `${b}^{2}`], [`${m}^{-1/2}`, `${b * b * b}^{1/3}`]])
        return expectGrade(`\\boxed{${shown}}`, gold, true) && expectGrade(`\\boxed{${off}}`, gold, false)
      }),
      { numRuns: RUNS }
    )
  })
})

// ---------------------------------------------------------------- other languages

const PHRASES: ReadonlyArray<(x: string) => string> = [
  (x) => `La respuesta es ${x} manzanas.`,
  (x) => `Por lo tanto, la respuesta final es $${x}$.`,
  (x) => `Die Antwort ist ${x} Äpfel.`,
  (x) => `Die Antwort lautet also ${x}.`,
  (x) => `La réponse est ${x} pommes.`,
  (x) => `A resposta é ${x}.`,
  (x) => `La risposta è ${x}.`,
  (x) => `Het antwoord is ${x}.`,
  (x) => `Jawabannya adalah ${x}.`,
  (x) => `Ответ: ${x}.`,
  (x) => `答案是 ${x} 个。`,
  (x) => `答えは ${x} です。`,
  (x) => `정답은 ${x}입니다.`,
  (x) => `Respuesta: ${x}`,
  (x) => `Antwort: ${x}`
]

describe("answer phrases in other languages, with the answer inside a computation", () => {
  it("phrase × computation: the result is the answer, not an operand", () => {
    const ops = ["+", "-", "\\times", "×", "*"] as const
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 999 }), fc.integer({ min: 2, max: 99 }), fc.nat(ops.length - 1), fc.nat(PHRASES.length - 1), fc.boolean(), (a, b, o, k, computed) => {
        const op = ops[o] as string
        const r = op === "+" ? a + b : op === "-" ? a - b : a * b
        const shown = computed ? `${a} ${op} ${b} = ${r}` : String(r)
        const say = pick(PHRASES, k)
        return expectGrade(say(shown), String(r), true) && expectGrade(say(shown), String(r + 1), false) && (!computed || expectGrade(say(shown), String(a), a === r))
      }),
      { numRuns: RUNS * 2 }
    )
  })
  it("digits of other scripts (Arabic-Indic, Persian, Devanagari, Bengali, Thai, full-width)", () => {
    const zeros = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0xff10]
    const say: ReadonlyArray<(x: string) => string> = [(x) => `الجواب هو ${x}`, (x) => `उत्तर: ${x}`, (x) => `উত্তর: ${x}`, (x) => `คำตอบคือ ${x}`, (x) => `答案是${x}。`, (x) => `\\boxed{${x}}`]
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 6 }), fc.nat(zeros.length - 1), fc.nat(say.length - 1), (n, z, k) => {
        const script = (m: number): string => String(m).replace(/\d/g, (d) => String.fromCharCode((zeros[z] as number) + Number(d)))
        return expectGrade(pick(say, k)(script(n)), String(n), true) && expectGrade(pick(say, k)(script(n + 1)), String(n), false)
      }),
      { numRuns: RUNS }
    )
  })
})

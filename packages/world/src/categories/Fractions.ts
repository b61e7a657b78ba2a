/**
 * Fractions (MATH "Prealgebra"/"Algebra" analogue): add, subtract and
 * multiply simple fractions, then reduce by the gcd. Answers are `\frac{}{}`
 * LaTeX (or integers), the form the Verifier normalises.
 */
import { type Calc, SlipInvalid } from "../Calc.ts"
import type { Rng } from "../Rng.ts"
import { type Category, fracLatex, gcd } from "./Category.ts"

/** Reduces num/den (den may be slipped), appending the steps; returns the LaTeX answer. */
export const reduce = (calc: Calc, steps: Array<string>, num: number, den: number): string => {
  if (den <= 0) throw new SlipInvalid(`denominator ${den}`)
  const g = gcd(num, den)
  if (g > 1) {
    const n = calc.op(num, "/", g)
    const d = calc.op(den, "/", g)
    steps.push(`gcd(${Math.abs(num)},${den})=${g}. ${n.s}, ${d.s}.`)
    num = n.v
    den = d.v
  }
  steps.push(den === 1 ? `So the result is ${num}.` : `So the result is ${num}/${den}.`)
  return fracLatex(num, den)
}

const properFraction = (rng: Rng, den: number): number => rng.int(1, den - 1)

export const Fractions: Category = {
  name: "fractions",
  generate: (rng, level, calc) => {
    const steps: Array<string> = []
    switch (level) {
      case 1:
      case 2: {
        // Same denominator; level 1 needs no reduction, level 2 does.
        for (;;) {
          const q = rng.int(3, 12)
          const p = properFraction(rng, q)
          const r = properFraction(rng, q)
          const reducible = gcd(p + r, q) > 1
          if ((level === 1) === reducible) continue
          const prompt = `Compute ${p}/${q}+${r}/${q}.`
          const s = calc.op(p, "+", r)
          steps.push(`Same denominator: ${s.s}, so ${s.v}/${q}.`)
          return { prompt, steps, answer: reduce(calc, steps, s.v, q) }
        }
      }
      case 3: {
        // One denominator is a multiple of the other.
        const b = rng.int(2, 6)
        const k = rng.int(2, 3)
        const a = properFraction(rng, b)
        const c = properFraction(rng, b * k)
        const prompt = `Compute ${a}/${b}+${c}/${b * k}.`
        const m = calc.op(a, "*", k)
        steps.push(`${a}/${b}=${m.v}/${b * k} since ${m.s}.`)
        const s = calc.op(m.v, "+", c)
        steps.push(`${s.s}, so ${s.v}/${b * k}.`)
        return { prompt, steps, answer: reduce(calc, steps, s.v, b * k) }
      }
      case 4:
      case 5: {
        const sub = level === 5 && rng.chance(0.5)
        const mul = level === 5 && !sub
        let b: number
        let d: number
        do {
          b = rng.int(2, 7)
          d = rng.int(2, 7)
        } while (b === d || gcd(b, d) !== 1)
        const a = properFraction(rng, b)
        const c = mul ? rng.int(1, 9) : properFraction(rng, d)
        const sym = sub ? "-" : mul ? "*" : "+"
        const prompt = `Compute ${a}/${b}${sym}${c}/${d}.`
        if (mul) {
          const n = calc.op(a, "*", c)
          const q = calc.op(b, "*", d)
          steps.push(`Multiply: ${n.s}, ${q.s}, so ${n.v}/${q.v}.`)
          return { prompt, steps, answer: reduce(calc, steps, n.v, q.v) }
        }
        const x = calc.op(a, "*", d)
        const y = calc.op(c, "*", b)
        const q = calc.op(b, "*", d)
        steps.push(`Common denominator: ${q.s}. ${x.s}, ${y.s}.`)
        const s = calc.op(x.v, sub ? "-" : "+", y.v)
        steps.push(`${s.s}, so ${s.v}/${q.v}.`)
        return { prompt, steps, answer: reduce(calc, steps, s.v, q.v) }
      }
    }
  }
}

/**
 * Linear equations (MATH "Algebra" analogue): one unknown, integer solutions
 * (negative ones from level 4), isolated step by step.
 */
import { operand } from "../Calc.ts"
import type { Category } from "./Category.ts"

const term = (a: number): string => (a === 1 ? "x" : a === -1 ? "-x" : `${a}x`)
const signed = (b: number): string => (b < 0 ? `-${-b}` : `+${b}`)

export const Linear: Category = {
  name: "linear",
  generate: (rng, level, calc) => {
    switch (level) {
      case 1: {
        const x = rng.int(1, 20)
        const a = rng.int(1, 20)
        const prompt = `Solve x+${a}=${x + a}.`
        const r = calc.op(x + a, "-", a)
        return { prompt, steps: [`x=${r.s}.`], answer: `${r.v}` }
      }
      case 2: {
        const x = rng.int(2, 12)
        const a = rng.int(2, 9)
        const prompt = `Solve ${a}x=${a * x}.`
        const r = calc.op(a * x, "/", a)
        return { prompt, steps: [`x=${r.s}.`], answer: `${r.v}` }
      }
      case 3:
      case 4: {
        const x = level === 3 ? rng.int(1, 10) : rng.int(-10, -1)
        const a = rng.int(2, 9)
        const b = rng.int(-20, 20) || 3
        const c = a * x + b
        const prompt = `Solve ${term(a)}${signed(b)}=${c}.`
        const r = calc.op(c, "-", b)
        const q = calc.op(r.v, "/", a)
        return { prompt, steps: [`${term(a)}=${r.s}.`, `x=${q.s}.`], answer: `${q.v}` }
      }
      case 5: {
        const x = rng.int(-9, 9)
        let a: number
        let c: number
        do {
          a = rng.int(2, 9)
          c = rng.int(1, 8)
        } while (a === c)
        const b = rng.int(-15, 15)
        const d = (a - c) * x + b
        const prompt = `Solve ${term(a)}${signed(b)}=${term(c)}${signed(d)}.`
        const k = calc.op(a, "-", c)
        const r = calc.op(d, "-", b)
        const q = calc.op(r.v, "/", k.v)
        return {
          prompt,
          steps: [`${k.s}, ${r.s}.`, `${term(k.v)}=${operand(r.v, true)}.`, `x=${q.s}.`],
          answer: `${q.v}`
        }
      }
    }
  }
}

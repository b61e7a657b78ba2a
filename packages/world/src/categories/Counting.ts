/**
 * Counting (MATH "Counting & Probability" analogue): the product rule,
 * factorials, arrangements and binomial coefficients as running products.
 */
import type { Calc } from "../Calc.ts"
import type { Category } from "./Category.ts"

/** n*(n-1)*…*(n-k+1) as a chain of products; returns the value as computed. */
const fallingProduct = (calc: Calc, steps: Array<string>, n: number, k: number): number => {
  let acc = n
  const parts: Array<string> = []
  for (let i = 1; i < k; i++) {
    const r = calc.op(acc, "*", n - i)
    parts.push(r.s)
    acc = r.v
  }
  if (parts.length > 0) steps.push(`${parts.join(". ")}.`)
  return acc
}

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1))

const binom = (calc: Calc, steps: Array<string>, n: number, k: number): number => {
  steps.push(`\\binom{${n}}{${k}}=${Array.from({ length: k }, (_, i) => n - i).join("*")}/${k}!.`)
  const p = fallingProduct(calc, steps, n, k)
  const d = calc.op(p, "/", factorial(k))
  steps.push(`${k}!=${factorial(k)}. ${d.s}.`)
  return d.v
}

export const Counting: Category = {
  name: "counting",
  generate: (rng, level, calc) => {
    const steps: Array<string> = []
    switch (level) {
      case 1: {
        if (rng.chance(0.2)) {
          const n = rng.int(3, 5)
          const prompt = `How many ways can ${n} books be ordered in a row?`
          steps.push(`${n}!=${Array.from({ length: n }, (_, i) => n - i).join("*")}.`)
          const v = fallingProduct(calc, steps, n, n - 1)
          return { prompt, steps, answer: `${v}` }
        }
        const a = rng.int(2, 9)
        const b = rng.int(2, 9)
        const prompt = `A shirt comes in ${a} colors and ${b} sizes. How many choices?`
        const r = calc.op(a, "*", b)
        steps.push(`${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 2: {
        if (rng.chance(0.5)) {
          const a = rng.int(2, 6)
          const b = rng.int(2, 6)
          const c = rng.int(2, 6)
          const prompt = `A meal has ${a} starters, ${b} mains and ${c} desserts. How many meals?`
          const x = calc.op(a, "*", b)
          const y = calc.op(x.v, "*", c)
          steps.push(`${x.s}. ${y.s}.`)
          return { prompt, steps, answer: `${y.v}` }
        }
        const n = rng.int(4, 40)
        const prompt = `Compute \\binom{${n}}{2}.`
        return { prompt, steps, answer: `${binom(calc, steps, n, 2)}` }
      }
      case 3: {
        if (rng.chance(0.7)) {
          const n = rng.int(4, 60)
          const prompt = `How many ways can a 1st and a 2nd prize go to 2 of ${n} people?`
          const r = calc.op(n, "*", n - 1)
          steps.push(`${r.s}.`)
          return { prompt, steps, answer: `${r.v}` }
        }
        const n = rng.int(2, 9)
        const k = rng.int(2, 3)
        const prompt = `How many ${k}-letter strings use only ${n} letters?`
        steps.push(`${n}^${k}.`)
        let acc = n
        for (let i = 1; i < k; i++) {
          const r = calc.op(acc, "*", n)
          steps.push(`${r.s}.`)
          acc = r.v
        }
        return { prompt, steps, answer: `${acc}` }
      }
      case 4: {
        const n = rng.int(5, 30)
        if (rng.chance(0.5)) {
          const prompt = `How many ways can gold, silver and bronze go to 3 of ${n} runners?`
          const v = fallingProduct(calc, steps, n, 3)
          return { prompt, steps, answer: `${v}` }
        }
        const prompt = `Compute \\binom{${n}}{3}.`
        return { prompt, steps, answer: `${binom(calc, steps, n, 3)}` }
      }
      case 5: {
        const u = rng.next()
        if (u < 0.3) {
          const n = rng.int(6, 20)
          const prompt = `Compute \\binom{${n}}{4}.`
          return { prompt, steps, answer: `${binom(calc, steps, n, 4)}` }
        }
        const k = u < 0.7 ? 2 : 3
        const n = k === 2 ? rng.int(6, 60) : rng.int(7, 25)
        const prompt = `Compute \\binom{${n}}{${n - k}}.`
        steps.push(`\\binom{${n}}{${n - k}}=\\binom{${n}}{${k}}.`)
        return { prompt, steps, answer: `${binom(calc, steps, n, k)}` }
      }
    }
  }
}

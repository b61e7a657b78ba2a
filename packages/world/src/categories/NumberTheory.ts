/**
 * Number theory: remainders, gcd by Euclid's algorithm, lcm, and the number
 * of divisors from a prime factorisation.
 */
import type { Calc } from "../Calc.ts"
import type { Category } from "./Category.ts"

/** Euclid's algorithm, one `a mod b` step per line. Returns the gcd as computed. */
export const euclid = (calc: Calc, steps: Array<string>, a: number, b: number): number => {
  let x = Math.max(a, b)
  let y = Math.min(a, b)
  while (y > 0) {
    const r = calc.op(x, "mod", y)
    steps.push(`${r.s}.`)
    x = y
    y = r.v
  }
  return x
}

const factor = (n: number): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  for (let p = 2; p * p <= n; p++) {
    let e = 0
    while (n % p === 0) {
      n /= p
      e++
    }
    if (e > 0) out.push([p, e])
  }
  if (n > 1) out.push([n, 1])
  return out
}

export const NumberTheory: Category = {
  name: "numtheory",
  generate: (rng, level, calc) => {
    const steps: Array<string> = []
    switch (level) {
      case 1:
      case 2: {
        const m = level === 1 ? rng.int(2, 9) : rng.int(6, 19)
        const n = level === 1 ? rng.int(m + 1, 60) : rng.int(50, 200)
        const q = Math.floor(n / m)
        const prompt = `Find the remainder when ${n} is divided by ${m}.`
        const p = calc.op(m, "*", q)
        const r = calc.op(n, "-", p.v)
        steps.push(`${p.s}.`, `${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 3: {
        const g = rng.int(2, 12)
        const a = g * rng.int(2, 9)
        let b = g * rng.int(2, 9)
        if (b === a) b += g
        const prompt = `Find gcd(${a},${b}).`
        const v = euclid(calc, steps, a, b)
        steps.push(`So the gcd is ${v}.`)
        return { prompt, steps, answer: `${v}` }
      }
      case 4: {
        const a = rng.int(2, 15)
        let b = rng.int(2, 15)
        if (b === a) b += 1
        const prompt = `Find lcm(${a},${b}).`
        const g = euclid(calc, steps, a, b)
        const p = calc.op(a, "*", b)
        const l = calc.op(p.v, "/", g)
        steps.push(`gcd=${g}. ${p.s}. ${l.s}.`)
        return { prompt, steps, answer: `${l.v}` }
      }
      case 5: {
        const n = rng.int(12, 200)
        const f = factor(n)
        const prompt = `How many positive divisors does ${n} have?`
        steps.push(`${n}=${f.map(([p, e]) => (e === 1 ? `${p}` : `${p}^${e}`)).join("*")}.`)
        let acc = f[0] ? f[0][1] + 1 : 1
        const parts = [`(${f.map(([, e]) => `${e}+1`).join(")(")})`]
        for (let i = 1; i < f.length; i++) {
          const r = calc.op(acc, "*", (f[i]?.[1] ?? 0) + 1)
          parts.push(r.s)
          acc = r.v
        }
        steps.push(`${parts.join(", ")}.`)
        steps.push(`So ${acc} divisors.`)
        return { prompt, steps, answer: `${acc}` }
      }
    }
  }
}

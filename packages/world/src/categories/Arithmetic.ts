/**
 * Arithmetic (MATH "Prealgebra" analogue): column addition, subtraction with
 * borrowing and multiplication by one digit, written digit by digit so that
 * each step is a one-digit fact a tiny model can memorise.
 */
import type { Calc } from "../Calc.ts"
import { digitsLsf, type Category } from "./Category.ts"

const COLUMN = ["Units", "Tens", "Hundreds", "Thousands", "Ten-thousands"]
const col = (i: number): string => COLUMN[i] ?? `Column ${i + 1}`

/** Column addition of non-negative a + b. Returns the steps and the (possibly slipped) result. */
export const columnAdd = (calc: Calc, a: number, b: number): { steps: Array<string>; value: number } => {
  const da = digitsLsf(a)
  const db = digitsLsf(b)
  const steps: Array<string> = []
  const out: Array<number> = []
  let carry = 0
  const n = Math.max(da.length, db.length)
  for (let i = 0; i < n; i++) {
    const terms = [da[i] ?? 0, ...(i < db.length ? [db[i] ?? 0] : []), ...(carry > 0 ? [carry] : [])]
    if (terms.length === 1) {
      steps.push(`${col(i)}: ${terms[0]}.`)
      out.push(terms[0] ?? 0)
      carry = 0
      continue
    }
    const r = calc.sum(terms)
    const v = Math.max(0, r.v)
    carry = Math.floor(v / 10)
    out.push(v % 10)
    steps.push(`${col(i)}: ${r.s}${carry > 0 ? `, carry ${carry}` : ""}.`)
  }
  if (carry > 0) {
    steps.push(`${col(n)}: ${carry}.`)
    out.push(carry)
  }
  return { steps, value: Number(out.reverse().join("")) }
}

/** Column subtraction of a - b with a >= b >= 0. */
export const columnSub = (calc: Calc, a: number, b: number): { steps: Array<string>; value: number } => {
  const da = digitsLsf(a)
  const db = digitsLsf(b)
  const steps: Array<string> = []
  const out: Array<number> = []
  let borrow = 0
  for (let i = 0; i < da.length; i++) {
    const top = (da[i] ?? 0) - borrow
    const y = db[i] ?? 0
    if (i >= db.length && borrow === 0) {
      out.push(top)
      steps.push(`${col(i)}: ${top}.`)
      continue
    }
    if (top < y) {
      const r = calc.op(top + 10, "-", y)
      out.push(((r.v % 10) + 10) % 10)
      borrow = 1
      steps.push(`${col(i)}: ${r.s}, borrow 1.`)
    } else {
      const r = calc.op(top, "-", y)
      out.push(((r.v % 10) + 10) % 10)
      borrow = 0
      steps.push(`${col(i)}: ${r.s}.`)
    }
  }
  return { steps, value: Number(out.reverse().join("")) }
}

/** Multiplication of a >= 0 by one digit d. */
export const columnMul = (calc: Calc, a: number, d: number): { steps: Array<string>; value: number } => {
  const da = digitsLsf(a)
  const steps: Array<string> = []
  const out: Array<number> = []
  let carry = 0
  for (let i = 0; i < da.length; i++) {
    const r = carry > 0 ? calc.mulAdd(da[i] ?? 0, d, carry) : calc.op(da[i] ?? 0, "*", d)
    const v = Math.max(0, r.v)
    carry = Math.floor(v / 10)
    out.push(v % 10)
    steps.push(`${col(i)}: ${r.s}${carry > 0 ? `, carry ${carry}` : ""}.`)
  }
  if (carry > 0) {
    out.push(...digitsLsf(carry))
    steps.push(`Then ${carry}.`)
  }
  return { steps, value: Number(out.reverse().join("")) }
}

const rand = (rng: { int: (a: number, b: number) => number }, digits: number): number =>
  digits === 1 ? rng.int(1, 9) : rng.int(10 ** (digits - 1), 10 ** digits - 1)

export const Arithmetic: Category = {
  name: "arithmetic",
  generate: (rng, level, calc) => {
    // Parameters first (the rng is replayed for flawed variants).
    let a: number
    let b: number
    let op: "+" | "-" | "*"
    switch (level) {
      case 1: {
        op = rng.chance(0.5) ? "+" : "-"
        a = rand(rng, 1)
        b = rand(rng, 1)
        if (op === "-" && b > a) [a, b] = [b, a]
        break
      }
      case 2: {
        op = rng.chance(0.5) ? "+" : "-"
        a = rand(rng, 2)
        b = rand(rng, 1)
        break
      }
      case 3: {
        op = rng.chance(0.5) ? "+" : "*"
        a = rand(rng, 2)
        b = op === "+" ? rand(rng, 2) : rng.int(2, 9)
        break
      }
      case 4: {
        op = rng.chance(0.5) ? "+" : "-"
        a = op === "+" ? rand(rng, 3) : rand(rng, 2)
        b = op === "+" ? rand(rng, 3) : rand(rng, 2)
        break
      }
      case 5: {
        op = rng.chance(0.5) ? "-" : "*"
        a = rand(rng, 3)
        b = op === "-" ? rand(rng, 3) : rng.int(2, 9)
        break
      }
    }
    const prompt = `Compute ${a}${op}${b}.`
    if (level === 1) {
      const r = calc.op(a, op, b)
      return { prompt, steps: [`${r.s}.`], answer: `${r.v}` }
    }
    if (op === "+") {
      const r = columnAdd(calc, a, b)
      return { prompt, steps: [...r.steps, `So ${a}+${b}=${r.value}.`], answer: `${r.value}` }
    }
    if (op === "*") {
      const r = columnMul(calc, a, b)
      return { prompt, steps: [...r.steps, `So ${a}*${b}=${r.value}.`], answer: `${r.value}` }
    }
    if (a >= b) {
      const r = columnSub(calc, a, b)
      return { prompt, steps: [...r.steps, `So ${a}-${b}=${r.value}.`], answer: `${r.value}` }
    }
    const r = columnSub(calc, b, a)
    const v = r.value === 0 ? 0 : -r.value
    return {
      prompt,
      steps: [`${a}-${b}=-(${b}-${a}).`, ...r.steps, `So ${a}-${b}=${v}.`],
      answer: `${v}`
    }
  }
}

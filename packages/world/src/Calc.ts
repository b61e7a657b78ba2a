/**
 * The step calculator that every category's worked solution goes through.
 *
 * Why: pretraining-corpus flaws must be *realistic*: an arithmetic slip in one
 * step has to propagate to every later step and to the final answer, and a
 * reflection ("recheck: …") has to correct exactly that step. Routing every
 * elementary operation through one object gives us both for free: the
 * category code uses the returned values, so a slip flows downstream.
 */
import type { Rng } from "./Rng.ts"

/** Raised when a slipped value makes a later step impossible (e.g. an inexact division); the caller retries clean. */
export class SlipInvalid extends Error {
  constructor(what: string) {
    super(`slipped computation became invalid: ${what}`)
  }
}

/** The reflection words the paper counts. */
export const REFLECTION_WORDS = ["recheck", "rethink", "recalculate"] as const

export interface FlawPlan {
  /** Index (0-based) of the elementary operation that slips, or null for a clean solution. */
  readonly slipAt: number | null
  /** Whether the slip is caught and corrected with a reflection word. */
  readonly reflect: boolean
}

export const cleanPlan: FlawPlan = { slipAt: null, reflect: false }

export type Op = "+" | "-" | "*" | "/" | "mod"

/** Renders an integer operand, parenthesising negatives after an operator. */
export const operand = (x: number, first: boolean): string => (x < 0 && !first ? `(${x})` : `${x}`)

export const exact = (a: number, op: Op, b: number): number => {
  switch (op) {
    case "+":
      return a + b
    case "-":
      return a - b
    case "*":
      return a * b
    case "/":
      if (b === 0 || a % b !== 0) throw new SlipInvalid(`${a}/${b} is not an exact division`)
      return a / b
    case "mod":
      if (b <= 0) throw new SlipInvalid(`${a} mod ${b}`)
      return ((a % b) + b) % b
  }
}

export interface Step {
  /** The value later steps must use (wrong when a slip went uncorrected). */
  readonly v: number
  /** The rendered equation, e.g. `7+8=15`, or `7+8=14, recheck: 7+8=15`. */
  readonly s: string
}

export class Calc {
  /** Number of elementary operations performed so far. */
  count = 0
  /** Whether a slip has happened (corrected or not). */
  slipped = false
  reflected = false

  constructor(
    private readonly plan: FlawPlan = cleanPlan,
    private readonly rng: Rng | null = null
  ) {}

  /** One elementary operation `a op b`, rendered `a op b=v`. */
  op(a: number, op: Op, b: number): Step {
    const expr = `${operand(a, true)}${op === "mod" ? " mod " : op}${operand(b, false)}`
    return this.expr(expr, exact(a, op, b), op !== "/" && op !== "mod")
  }

  /** A sum of several terms, rendered `a+b+c=v` (negative terms as `-x`). */
  sum(terms: ReadonlyArray<number>): Step {
    const expr = terms.map((t, i) => (i === 0 ? `${t}` : t < 0 ? `-${-t}` : `+${t}`)).join("")
    return this.expr(expr, terms.reduce((x, y) => x + y, 0), true)
  }

  /** `a*b+c`, the multiplication-with-carry step. */
  mulAdd(a: number, b: number, c: number): Step {
    return this.expr(`${a}*${b}+${c}`, a * b + c, true)
  }

  private expr(expr: string, value: number, slippable: boolean): Step {
    const index = this.count++
    if (slippable && this.plan.slipAt === index && this.rng !== null) {
      this.slipped = true
      const wrong = slipValue(value, this.rng)
      if (this.plan.reflect) {
        this.reflected = true
        const word = this.rng.pick(REFLECTION_WORDS)
        return { v: value, s: `${expr}=${wrong}, ${word}: ${expr}=${value}` }
      }
      return { v: wrong, s: `${expr}=${wrong}` }
    }
    return { v: value, s: `${expr}=${value}` }
  }
}

/** A plausible slip: off by one, or off by ten when the value has two digits or more. */
const slipValue = (value: number, rng: Rng): number => {
  const big = Math.abs(value) >= 10 && rng.chance(0.3)
  const delta = (big ? 10 : 1) * (rng.chance(0.5) ? 1 : -1)
  const wrong = value + delta
  return wrong === value ? value + 1 : wrong
}

/**
 * What a problem category is: a function from (random stream, level, step
 * calculator) to a prompt, worked-solution steps and a LaTeX answer.
 */
import type { Calc } from "../Calc.ts"
import type { Rng } from "../Rng.ts"

export type Level = 1 | 2 | 3 | 4 | 5
export const LEVELS: ReadonlyArray<Level> = [1, 2, 3, 4, 5]

export interface Draft {
  /** The problem statement. */
  readonly prompt: string
  /** Worked-solution steps, in order; the answer line is added by the renderer. */
  readonly steps: ReadonlyArray<string>
  /** The final answer in LaTeX, derived from the computed values (so a slip changes it). */
  readonly answer: string
}

export interface Category {
  readonly name: string
  /** Draws parameters from `rng` first, then computes through `calc`: replaying the same rng state gives the same parameters. */
  readonly generate: (rng: Rng, level: Level, calc: Calc) => Draft
}

export const gcd = (a: number, b: number): number => {
  a = Math.abs(a)
  b = Math.abs(b)
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/** A rational as MATH-style LaTeX: `3`, `-3`, `\frac{3}{4}`, `-\frac{3}{4}` (expects lowest terms, den > 0). */
export const fracLatex = (num: number, den: number): string => {
  if (den === 1) return `${num}`
  return num < 0 ? `-\\frac{${-num}}{${den}}` : `\\frac{${num}}{${den}}`
}

/** Digits, least significant first. */
export const digitsLsf = (n: number): Array<number> => {
  const out: Array<number> = []
  let x = Math.abs(n)
  do {
    out.push(x % 10)
    x = Math.floor(x / 10)
  } while (x > 0)
  return out
}

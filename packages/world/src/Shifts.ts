/**
 * Distribution shifts for the out-of-distribution test sets: reworded
 * prompts (same math, phrasing never seen in pretraining) and unseen
 * combinations of two categories.
 */
import { Calc } from "./Calc.ts"
import { columnAdd } from "./categories/Arithmetic.ts"
import type { Draft } from "./categories/Category.ts"
import { reduce } from "./categories/Fractions.ts"
import type { Rng } from "./Rng.ts"

/** Paraphrases of the generator's prompt templates; the first matching rule applies. */
const REWORDINGS: ReadonlyArray<readonly [RegExp, (m: RegExpMatchArray) => string]> = [
  [/^Compute (\d+)\+(\d+)\.$/, (m) => `What is ${m[1]} plus ${m[2]}?`],
  [/^Compute (\d+)-(\d+)\.$/, (m) => `What is ${m[1]} minus ${m[2]}?`],
  [/^Compute (\d+)\*(\d+)\.$/, (m) => `What is ${m[1]} times ${m[2]}?`],
  [/^Compute (\d+\/\d+)\+(\d+\/\d+)\.$/, (m) => `Add ${m[1]} and ${m[2]}.`],
  [/^Compute (\d+\/\d+)-(\d+\/\d+)\.$/, (m) => `Subtract ${m[2]} from ${m[1]}.`],
  [/^Compute (\d+\/\d+)\*(\d+\/\d+)\.$/, (m) => `Multiply ${m[1]} by ${m[2]}.`],
  [/^Solve (.*)\.$/, (m) => `Find x if ${m[1]}.`],
  [/^Find the remainder when (\d+) is divided by (\d+)\.$/, (m) => `What is ${m[1]} mod ${m[2]}?`],
  [/^Find gcd\((\d+),(\d+)\)\.$/, (m) => `What is the greatest common divisor of ${m[1]} and ${m[2]}?`],
  [/^Find lcm\((\d+),(\d+)\)\.$/, (m) => `What is the least common multiple of ${m[1]} and ${m[2]}?`],
  [/^How many positive divisors does (\d+) have\?$/, (m) => `Count the positive divisors of ${m[1]}.`],
  [/^How many ways can (\d+) books be ordered in a row\?$/, (m) => `In how many orders can ${m[1]} books stand on a shelf?`],
  [/^A shirt comes in (\d+) colors and (\d+) sizes\. How many choices\?$/, (m) => `How many outfits from ${m[1]} hats and ${m[2]} scarves?`],
  [/^Compute \\binom\{(\d+)\}\{(\d+)\}\.$/, (m) => `How many ways can ${m[2]} of ${m[1]} items be chosen?`],
  [/^How many ways can a 1st and a 2nd prize go to 2 of (\d+) people\?$/, (m) => `${m[1]} runners race. How many ways to award gold and silver?`],
  [/^A meal has (\d+) starters, (\d+) mains and (\d+) desserts\. How many meals\?$/, (m) => `Count the meals from ${m[1]} soups, ${m[2]} mains and ${m[3]} cakes.`],
  [/^How many ways can gold, silver and bronze go to 3 of (\d+) runners\?$/, (m) => `${m[1]} skaters compete. How many podiums (1st, 2nd, 3rd) are possible?`],
  [/^How many (\d+)-letter strings use only (\d+) letters\?$/, (m) => `Count the ${m[1]}-letter words over an alphabet of ${m[2]} letters.`],
  [/^Find the next term: (.*), \.\.\.$/, (m) => `What comes next in ${m[1]}?`],
  [/^An arithmetic sequence has a_1=(-?\d+) and d=(-?\d+)\. Find a_(\d+)\.$/, (m) => `Term ${m[3]} of the arithmetic sequence with first term ${m[1]} and difference ${m[2]}?`],
  [/^Find the sum (.*)\.$/, (m) => `Add up ${m[1]}.`],
  [/^A rectangle is (\d+) by (\d+)\. Find its (area|perimeter)\.$/, (m) => `Find the ${m[3]} of a ${m[1]} by ${m[2]} rectangle.`],
  [/^A triangle has base (\d+) and height (\d+)\. Find its area\.$/, (m) => `Find the area of a triangle with base ${m[1]} and height ${m[2]}.`],
  [/^A right triangle has legs (\d+) and (\d+)\. Find the hypotenuse\.$/, (m) => `How long is the hypotenuse when the legs are ${m[1]} and ${m[2]}?`],
  [/^A right triangle has hypotenuse (\d+) and a leg (\d+)\. Find the other leg\.$/, (m) => `A leg is ${m[2]} and the hypotenuse is ${m[1]}. How long is the other leg?`]
]

/** Rewords a generator prompt; throws when no rule matches (every template must have one: a test checks it). */
export const reword = (prompt: string): string => {
  for (const [re, f] of REWORDINGS) {
    const m = prompt.match(re)
    if (m !== null) return f(m)
  }
  throw new RangeError(`reword: no paraphrase rule for prompt ${JSON.stringify(prompt)}`)
}

/** The unseen combinations: each joins two categories' skills in one problem. */
export const COMBINATIONS = ["sum-mod", "fraction-area", "sum-coefficient", "sequence-square"] as const
export type Combination = (typeof COMBINATIONS)[number]

/** A composite problem (clean solution; these never appear in the pretraining corpus). */
export const combinedDraft = (rng: Rng, kind: Combination): Draft => {
  const calc = new Calc()
  const steps: Array<string> = []
  switch (kind) {
    case "sum-mod": {
      const a = rng.int(10, 99)
      const b = rng.int(10, 99)
      const m = rng.int(3, 9)
      const prompt = `Find the remainder when ${a}+${b} is divided by ${m}.`
      const s = columnAdd(calc, a, b)
      steps.push(...s.steps, `So ${a}+${b}=${s.value}.`)
      const q = Math.floor(s.value / m)
      const p = calc.op(m, "*", q)
      const r = calc.op(s.value, "-", p.v)
      steps.push(`${p.s}.`, `${r.s}.`)
      return { prompt, steps, answer: `${r.v}` }
    }
    case "fraction-area": {
      const b = rng.int(2, 7)
      const d = rng.int(2, 7)
      const a = rng.int(1, b - 1)
      const c = rng.int(1, d - 1)
      const prompt = `A rectangle is ${a}/${b} by ${c}/${d}. Find its area.`
      const n = calc.op(a, "*", c)
      const q = calc.op(b, "*", d)
      steps.push(`Area=${a}/${b}*${c}/${d}.`, `Multiply: ${n.s}, ${q.s}, so ${n.v}/${q.v}.`)
      return { prompt, steps, answer: reduce(calc, steps, n.v, q.v) }
    }
    case "sum-coefficient": {
      const p = rng.int(2, 6)
      const q = rng.int(2, 6)
      const x = rng.int(-9, 9)
      const prompt = `Solve (${p}+${q})x=${(p + q) * x}.`
      const s = calc.op(p, "+", q)
      const r = calc.op((p + q) * x, "/", s.v)
      steps.push(`${s.s}.`, `${s.v}x=${(p + q) * x}.`, `x=${r.s}.`)
      return { prompt, steps, answer: `${r.v}` }
    }
    case "sequence-square": {
      const a = rng.int(1, 15)
      const d = rng.int(1, 8)
      const terms = [a, a + d, a + 2 * d]
      const prompt = `A square's side is the next term of ${terms.join(", ")}, ... Find its area.`
      const dd = calc.op(terms[1] ?? 0, "-", a)
      const side = calc.op(terms[2] ?? 0, "+", dd.v)
      const area = calc.op(side.v, "*", side.v)
      steps.push(`d=${dd.s}.`, `Side=${side.s}.`, `Area=${area.s}.`)
      return { prompt, steps, answer: `${area.v}` }
    }
  }
}

/**
 * Geometry by formula: rectangle area/perimeter, triangle area, and
 * hypotenuses (integers from Pythagorean triples; simple radicals at level 5).
 */
import { SlipInvalid } from "../Calc.ts"
import type { Category } from "./Category.ts"

/** Largest k with k*k dividing n, so that sqrt(n) = k*sqrt(n/(k*k)). */
const squarePart = (n: number): number => {
  let k = 1
  for (let i = 2; i * i <= n; i++) if (n % (i * i) === 0) k = i
  return k
}

/** Pythagorean triples with hypotenuse at most 60. */
const TRIPLES: ReadonlyArray<readonly [number, number, number]> = (() => {
  const out: Array<readonly [number, number, number]> = []
  for (const [x, y, z] of [[3, 4, 5], [5, 12, 13], [8, 15, 17], [7, 24, 25], [20, 21, 29], [9, 40, 41], [12, 35, 37]] as const) {
    for (let k = 1; k * z <= 60; k++) out.push([x * k, y * k, z * k])
  }
  return out
})()

export const Geometry: Category = {
  name: "geometry",
  generate: (rng, level, calc) => {
    const steps: Array<string> = []
    switch (level) {
      case 1: {
        const a = rng.int(2, 12)
        const b = rng.int(2, 12)
        const prompt = `A rectangle is ${a} by ${b}. Find its area.`
        const r = calc.op(a, "*", b)
        steps.push(`Area=${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 2: {
        const a = rng.int(2, 30)
        const b = rng.int(2, 30)
        const prompt = `A rectangle is ${a} by ${b}. Find its perimeter.`
        const s = calc.op(a, "+", b)
        const r = calc.op(2, "*", s.v)
        steps.push(`${s.s}.`, `Perimeter=${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 3: {
        let b = rng.int(2, 20)
        const h = rng.int(2, 20)
        if ((b * h) % 2 === 1) b += 1
        const prompt = `A triangle has base ${b} and height ${h}. Find its area.`
        const p = calc.op(b, "*", h)
        const r = calc.op(p.v, "/", 2)
        steps.push(`${p.s}.`, `Area=${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 4:
      case 5: {
        let a: number
        let b: number
        if (level === 4) {
          const [x, y, z] = rng.pick(TRIPLES)
          const swap = rng.chance(0.5)
          if (rng.chance(0.5)) {
            // The missing leg: c^2 - a^2.
            const leg = swap ? y : x
            const prompt = `A right triangle has hypotenuse ${z} and a leg ${leg}. Find the other leg.`
            const p = calc.op(z, "*", z)
            const q = calc.op(leg, "*", leg)
            const d = calc.op(p.v, "-", q.v)
            steps.push(`${p.s}. ${q.s}. ${d.s}.`)
            const root = Math.round(Math.sqrt(Math.max(0, d.v)))
            if (root * root !== d.v || root === 0) throw new SlipInvalid(`leg squared ${d.v}`)
            steps.push(`\\sqrt{${d.v}}=${root}.`)
            return { prompt, steps, answer: `${root}` }
          }
          a = swap ? y : x
          b = swap ? x : y
        } else {
          do {
            a = rng.int(1, 15)
            b = rng.int(a, 15)
          } while (Number.isInteger(Math.sqrt(a * a + b * b)))
        }
        const prompt = `A right triangle has legs ${a} and ${b}. Find the hypotenuse.`
        const x = calc.op(a, "*", a)
        const y = calc.op(b, "*", b)
        const s = calc.op(x.v, "+", y.v)
        steps.push(`${x.s}. ${y.s}. ${s.s}.`)
        const n = s.v
        if (n <= 0) throw new SlipInvalid(`hypotenuse squared ${n}`)
        const root = Math.round(Math.sqrt(n))
        if (root * root === n) {
          steps.push(`\\sqrt{${n}}=${root}.`)
          return { prompt, steps, answer: `${root}` }
        }
        const k = squarePart(n)
        if (k === 1) {
          steps.push(`${n} has no square factor.`)
          return { prompt, steps, answer: `\\sqrt{${n}}` }
        }
        const rest = n / (k * k)
        steps.push(`${n}=${k * k}*${rest}, \\sqrt{${n}}=${k}\\sqrt{${rest}}.`)
        return { prompt, steps, answer: `${k}\\sqrt{${rest}}` }
      }
    }
  }
}

/**
 * Sequences (MATH "Intermediate Algebra" analogue): next terms of
 * arithmetic/geometric sequences, the n-th term, and arithmetic series.
 */
import type { Category } from "./Category.ts"

export const Sequences: Category = {
  name: "sequences",
  generate: (rng, level, calc) => {
    const steps: Array<string> = []
    switch (level) {
      case 1:
      case 2: {
        const a = level === 1 ? rng.int(1, 20) : rng.int(20, 60)
        const d = level === 1 ? rng.int(1, 9) : -rng.int(2, 9)
        const terms = [a, a + d, a + 2 * d, a + 3 * d]
        const prompt = `Find the next term: ${terms.join(", ")}, ...`
        const dd = calc.op(terms[1] ?? 0, "-", a)
        const r = calc.op(terms[3] ?? 0, "+", dd.v)
        steps.push(`d=${dd.s}.`, `${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 3: {
        const a = rng.int(1, 20)
        const q = rng.pick([2, 3, -2])
        const terms = [a, a * q, a * q * q, a * q * q * q]
        const prompt = `Find the next term: ${terms.join(", ")}, ...`
        const rr = calc.op(terms[1] ?? 0, "/", a)
        const r = calc.op(terms[3] ?? 0, "*", rr.v)
        steps.push(`r=${rr.s}.`, `${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 4: {
        const a = rng.int(-10, 20)
        const d = rng.int(2, 9) * (rng.chance(0.3) ? -1 : 1)
        const n = rng.int(5, 15)
        const prompt = `An arithmetic sequence has a_1=${a} and d=${d}. Find a_${n}.`
        const m = calc.op(n - 1, "*", d)
        const r = calc.op(a, "+", m.v)
        steps.push(`a_${n}=a_1+${n - 1}d.`, `${m.s}.`, `${r.s}.`)
        return { prompt, steps, answer: `${r.v}` }
      }
      case 5: {
        const a = rng.int(1, 10)
        const d = rng.int(1, 6)
        const n = rng.int(4, 10)
        const last = a + (n - 1) * d
        const prompt = `Find the sum ${a}+${a + d}+${a + 2 * d}+...+${last}.`
        const span = calc.op(last, "-", a)
        const k = calc.op(span.v, "/", d)
        const count = calc.op(k.v, "+", 1)
        const s = calc.op(a, "+", last)
        const p = calc.op(count.v, "*", s.v)
        const h = calc.op(p.v, "/", 2)
        steps.push(`n=(${last}-${a})/${d}+1. ${span.s}. ${k.s}. n=${count.s}.`, `S=n(${a}+${last})/2. ${s.s}. ${p.s}. ${h.s}.`)
        return { prompt, steps, answer: `${h.v}` }
      }
    }
  }
}

/**
 * The benchmark corpus: MATH500 and Minerva reference solutions graded against
 * their answers, plus perturbed variants (reformatted, unboxed, wrong).
 */
import { readFileSync } from "node:fs"
import { extractBoxed } from "../src/Extract.ts"

export interface Item {
  readonly response: string
  readonly gold: string
  readonly variant: "original" | "reformatted" | "unboxed" | "wrong"
}

const readJsonl = <A>(name: string): Array<A> =>
  readFileSync(new URL(`../data/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as A)

const perturb = (solution: string, gold: string): Array<Item> => {
  const box = extractBoxed(solution, false)
  const out: Array<Item> = [{ response: solution, gold, variant: "original" }]
  out.push({
    response: solution.replace(/\\frac/g, "\\dfrac").replace(/,(?=[^\s\d])/g, ", ").replace(/\\left|\\right/g, ""),
    gold,
    variant: "reformatted"
  })
  if (box !== null && box !== "unfinished") {
    const inner = box.answer
    out.push({
      response: `${solution.replace(/\\boxed\{/g, "{")}\n\nThe final answer is $${inner}$.`,
      gold,
      variant: "unboxed"
    })
    const wrong = /^-?\d+$/.test(inner.trim()) ? String(Number(inner) + 1) : `${inner}+1`
    out.push({ response: solution.split(`\\boxed{${inner}}`).join(`\\boxed{${wrong}}`), gold, variant: "wrong" })
  }
  return out
}

export const corpus = (): Array<Item> => {
  const items: Array<Item> = []
  for (const r of readJsonl<{ solution: string; answer: string }>("math500.jsonl")) items.push(...perturb(r.solution, r.answer))
  for (const r of readJsonl<{ solution: string }>("minerva_math.jsonl")) {
    const b = extractBoxed(r.solution, false)
    if (b === null || b === "unfinished") continue
    items.push(...perturb(r.solution, b.answer))
  }
  return items
}

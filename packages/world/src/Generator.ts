/**
 * The seeded problem generator: ≥ 6 MATH-like categories × levels 1–5, each
 * problem with a clean worked solution ending in `\boxed{answer}`.
 */
import { Problem } from "@oneshot/core"
import { Schema } from "effect"
import { Calc, type FlawPlan, SlipInvalid } from "./Calc.ts"
import { Arithmetic } from "./categories/Arithmetic.ts"
import type { Category, Draft, Level } from "./categories/Category.ts"
import { Counting } from "./categories/Counting.ts"
import { Fractions } from "./categories/Fractions.ts"
import { Geometry } from "./categories/Geometry.ts"
import { Linear } from "./categories/Linear.ts"
import { NumberTheory } from "./categories/NumberTheory.ts"
import { Sequences } from "./categories/Sequences.ts"
import type { Rng } from "./Rng.ts"
import { boxedLine } from "./Template.ts"

export { LEVELS, type Level } from "./categories/Category.ts"

export const CATEGORIES: ReadonlyArray<Category> = [
  Arithmetic,
  Fractions,
  Linear,
  NumberTheory,
  Counting,
  Sequences,
  Geometry
]

export const CATEGORY_NAMES: ReadonlyArray<string> = CATEGORIES.map((c) => c.name)

export const categoryByName = (name: string): Category => {
  const c = CATEGORIES.find((x) => x.name === name)
  if (c === undefined) throw new RangeError(`unknown category ${JSON.stringify(name)}: expected one of ${CATEGORY_NAMES.join(", ")}`)
  return c
}

/** A world problem: core's `Problem` plus its clean worked solution. */
export class WorldProblem extends Problem.extend<WorldProblem>("WorldProblem")({
  /** Clean worked solution ending in `The answer is \boxed{answer}.` */
  solution: Schema.String
}) {}

export const WorldProblemFromJson = Schema.parseJson(WorldProblem)

export interface Drafted {
  readonly draft: Draft
  /** Number of elementary operations in the clean solution (where a slip can go). */
  readonly ops: number
  readonly slipped: boolean
  readonly reflected: boolean
}

/**
 * Drafts a problem from `rng` (advanced past the parameters). With a flaw
 * plan, replays the same parameters through a flawed calculator; if the slip
 * makes the computation impossible, falls back to the clean draft.
 */
export const draftProblem = (
  rng: Rng,
  category: Category,
  level: Level,
  choosePlan?: (ops: number) => { plan: FlawPlan; rng: Rng }
): Drafted => {
  const replay = rng.clone()
  const clean = new Calc()
  const draft = category.generate(rng, level, clean)
  if (choosePlan === undefined) return { draft, ops: clean.count, slipped: false, reflected: false }
  const { plan, rng: flawRng } = choosePlan(clean.count)
  if (plan.slipAt === null) return { draft, ops: clean.count, slipped: false, reflected: false }
  const calc = new Calc(plan, flawRng)
  try {
    const flawed = category.generate(replay, level, calc)
    return { draft: flawed, ops: clean.count, slipped: calc.slipped, reflected: calc.reflected }
  } catch (e) {
    if (e instanceof SlipInvalid) return { draft, ops: clean.count, slipped: false, reflected: false }
    throw e
  }
}

/** The clean solution text: steps, then the boxed answer line. */
export const renderSolution = (draft: Draft): string => [...draft.steps, boxedLine(draft.answer)].join(" ")

/** One problem of a category and level from a stream. */
export const generateProblem = (
  rng: Rng,
  category: Category,
  level: Level,
  id: string,
  source: string
): WorldProblem => {
  const { draft } = draftProblem(rng, category, level)
  return new WorldProblem({
    id,
    prompt: draft.prompt,
    answer: draft.answer,
    subject: category.name,
    level,
    source,
    solution: renderSolution(draft)
  })
}

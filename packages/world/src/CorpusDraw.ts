/**
 * The problem a corpus document is about: document `index`'s category, level
 * and clean draft, redrawn (attempt 1, 2, …) while the problem is reserved for
 * a test split. Shared by the plain and the styled corpus so both keep exactly
 * the same stream of problems and random numbers.
 */
import type { Category, Level } from "./categories/Category.ts"
import { CATEGORIES, draftProblem, type Drafted, LEVELS } from "./Generator.ts"
import { Rng } from "./Rng.ts"

export interface CorpusDraw {
  /** The problem's stream, positioned after the category and level draws (drafting again from it repeats the problem). */
  readonly rng: Rng
  /** The stream of the document's flaws. */
  readonly flawRng: Rng
  readonly category: Category
  readonly level: Level
  readonly clean: Drafted
}

export const drawAdmissible = (seed: number, index: number, exclude: ReadonlySet<string>): CorpusDraw => {
  for (let attempt = 0; ; attempt++) {
    const rng = Rng.derive(seed, `doc/${index}/${attempt}`)
    const category = rng.pick(CATEGORIES)
    const level = rng.pick(LEVELS)
    const flawRng = Rng.derive(seed, `flaw/${index}/${attempt}`)
    const clean = draftProblem(rng.clone(), category, level)
    if (!exclude.has(clean.draft.prompt)) return { rng, flawRng, category, level, clean }
    if (attempt > 1000) throw new RangeError(`corpus: no admissible document for index ${index}`)
  }
}

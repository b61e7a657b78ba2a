/**
 * The world's splits, mirroring the paper's data: a training pool (the
 * DSR-sub analogue), a MATH500-like test set stratified by category × level,
 * and shifted test sets (harder levels, reworded prompts, unseen
 * combinations) so that an "average over benchmarks" can be reported.
 *
 * Generated once from fixed seeds and shipped as JSONL; `rlvr world generate`
 * reproduces them byte for byte (a test checks it).
 */
import { CATEGORIES, type Level, renderSolution, WorldProblem, draftProblem } from "./Generator.ts"
import type { Draft } from "./categories/Category.ts"
import { Rng } from "./Rng.ts"
import { COMBINATIONS, combinedDraft, reword } from "./Shifts.ts"

export type SplitKind = "standard" | "reworded" | "combined"

export interface SplitSpec {
  /** File stem and `Problem.source`, e.g. `world-math500`. */
  readonly name: string
  readonly size: number
  readonly seed: number
  readonly levels: ReadonlyArray<Level>
  readonly kind: SplitKind
  /** Whether it is a test set (test prompts are excluded from the training pool and the corpus). */
  readonly test: boolean
  readonly description: string
}

/** In generation order: test sets first, so the training pool can avoid their prompts. */
export const SPLITS: ReadonlyArray<SplitSpec> = [
  {
    name: "world-math500",
    size: 500,
    seed: 500,
    levels: [1, 2, 3, 4, 5],
    kind: "standard",
    test: true,
    description: "MATH500 analogue: 500 problems stratified by category × level (14–15 per cell)"
  },
  {
    name: "world-hard",
    size: 210,
    seed: 4242,
    levels: [4, 5],
    kind: "standard",
    test: true,
    description: "harder levels only (4–5), 15 per category × level cell"
  },
  {
    name: "world-reworded",
    size: 210,
    seed: 777,
    levels: [1, 2, 3, 4, 5],
    kind: "reworded",
    test: true,
    description: "same skills, prompts paraphrased in wordings never seen in pretraining"
  },
  {
    name: "world-mixed",
    size: 200,
    seed: 31337,
    levels: [3],
    kind: "combined",
    test: true,
    description: "unseen combinations of two categories (sum then remainder, fraction area, …)"
  },
  {
    name: "world-train",
    size: 1200,
    seed: 1209,
    levels: [1, 2, 3, 4, 5],
    kind: "standard",
    test: false,
    description: "the training pool (DSR-sub analogue): 1200 problems over all cells"
  }
]

export const TEST_SPLITS: ReadonlyArray<string> = SPLITS.filter((s) => s.test).map((s) => s.name)

export const splitSpec = (name: string): SplitSpec => {
  const s = SPLITS.find((x) => x.name === name)
  if (s === undefined) throw new RangeError(`unknown split ${JSON.stringify(name)}: expected one of ${SPLITS.map((x) => x.name).join(", ")}`)
  return s
}

/** How many fresh draws a cell gets before it may repeat a prompt (small cells, e.g. level-1 counting). */
const MAX_TRIES = 200

/**
 * Generates one split. Cells (category × level, or combination) are filled
 * round-robin so the split is stratified. Prompts in `exclude` (and earlier
 * prompts of the same split) are avoided; a test split never repeats.
 */
export const generateSplit = (
  spec: SplitSpec,
  exclude: ReadonlySet<string> = new Set(),
  /** Receives the canonical prompt of every problem (for reworded problems, the unreworded one). */
  keys?: Set<string>
): Array<WorldProblem> => {
  const cells: Array<{ label: string; draw: (rng: Rng) => { draft: Draft; key: string; subject: string; level: number } }> = []
  if (spec.kind === "combined") {
    for (const kind of COMBINATIONS) {
      cells.push({ label: kind, draw: (rng) => {
          const draft = combinedDraft(rng, kind)
          return { draft, key: draft.prompt, subject: `mixed/${kind}`, level: spec.levels[0] ?? 3 }
        }
      })
    }
  } else {
    for (const c of CATEGORIES) {
      for (const level of spec.levels) {
        cells.push({
          label: `${c.name}/${level}`,
          draw: (rng) => {
            const { draft } = draftProblem(rng, c, level)
            const prompt = spec.kind === "reworded" ? reword(draft.prompt) : draft.prompt
            // The dedupe key is the canonical prompt, so a reworded problem never repeats a seen one.
            return { draft: { ...draft, prompt }, key: draft.prompt, subject: c.name, level }
          }
        })
      }
    }
  }
  const seen = new Set<string>()
  const out: Array<WorldProblem> = []
  for (let i = 0; i < spec.size; i++) {
    const cell = cells[i % cells.length]!
    const rng = Rng.derive(spec.seed, `${spec.name}/${i}`)
    let picked: ReturnType<typeof cell.draw> | undefined
    // A training pool may repeat its own prompts in a small cell (never a test prompt).
    let fallback: ReturnType<typeof cell.draw> | undefined
    for (let t = 0; t < MAX_TRIES; t++) {
      const d = cell.draw(rng)
      if (!seen.has(d.key) && !exclude.has(d.key)) {
        picked = d
        break
      }
      if (!spec.test && fallback === undefined && !exclude.has(d.key)) fallback = d
    }
    picked ??= fallback
    if (picked === undefined) {
      throw new RangeError(`split ${spec.name}: cell ${cell.label} has no fresh prompt left after ${MAX_TRIES} draws (problem ${i})`)
    }
    seen.add(picked.key)
    keys?.add(picked.key)
    out.push(
      new WorldProblem({
        id: `${spec.name}/${String(i).padStart(4, "0")}`,
        prompt: picked.draft.prompt,
        answer: picked.draft.answer,
        subject: picked.subject,
        level: picked.level,
        source: spec.name,
        solution: renderSolution(picked.draft)
      })
    )
  }
  return out
}

export interface GeneratedSplits {
  readonly splits: ReadonlyMap<string, ReadonlyArray<WorldProblem>>
  /** Canonical prompts of every split problem: the pretraining corpus never contains them. */
  readonly reserved: ReadonlySet<string>
}

/** All splits, in order, each avoiding the prompts of the test sets generated before it. */
export const generateAllSplits = (): GeneratedSplits => {
  const splits = new Map<string, ReadonlyArray<WorldProblem>>()
  const testKeys = new Set<string>()
  const reserved = new Set<string>()
  for (const spec of SPLITS) {
    const keys = new Set<string>()
    splits.set(spec.name, generateSplit(spec, testKeys, keys))
    for (const k of keys) {
      reserved.add(k)
      if (spec.test) testKeys.add(k)
    }
  }
  return { splits, reserved }
}

/** One JSON object per line, keys in a fixed order, trailing newline: the shipped byte format. */
export const toJsonl = (problems: ReadonlyArray<WorldProblem>): string =>
  problems
    .map((p) =>
      JSON.stringify({
        id: p.id,
        prompt: p.prompt,
        answer: p.answer,
        subject: p.subject,
        level: p.level,
        source: p.source,
        solution: p.solution
      })
    )
    .join("\n") + "\n"

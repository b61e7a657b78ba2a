/**
 * The validation split: where sweeps and every other choice made before the
 * powered runs are scored, so the test sets judge only the final runs.
 *
 * It is the tail of the training pool, `world-train` rows 850–1199, not a new
 * draw: the pool is already disjoint from every test set and from the
 * pretraining corpus (its prompts are reserved), and its round-robin over the
 * 35 subject × level cells makes any 350 consecutive rows 10 per cell. The
 * pool repeats prompts in its smallest cell (counting level 4: 17 distinct
 * problems in all 1,200 rows, every one already in the head), and a tail row
 * whose prompt is in the head is left out: 340 rows, 10 in each of 34 cells. (A fresh draw cannot be disjoint from the corpus: the corpus's
 * 160,000 documents use up the small cells, e.g. level-1 arithmetic.) The
 * powered runs' full set trains on the head, rows 0–849 (`world-train-pool`),
 * which holds π1, π2, π13, the π1207 analogue and the selection slice.
 */
import type { Problem } from "@oneshot/core"
import type { Benchmark } from "@oneshot/eval"
import { Effect } from "effect"
import { readSplit } from "./Files.ts"
import type { WorldProblem } from "./Generator.ts"
import { WORLD_PROTOCOL } from "./Template.ts"

/** The first validation row of `world-train`; the rows before it are the training pool. */
export const VALIDATION_FROM = 850

export const VALIDATION_BENCHMARK = "world-val"
/** Rows in the validation split (the 350 tail rows less repeated prompts; a test pins it). */
export const VALIDATION_SIZE = 340
export const TRAIN_POOL_BENCHMARK = "world-train-pool"

/** Splits `world-train` (in file order) into the training pool and the validation rows (none with a pool prompt). */
export const splitTrainingPool = <P extends { readonly prompt: string }>(
  train: ReadonlyArray<P>
): { readonly pool: ReadonlyArray<P>; readonly validation: ReadonlyArray<P> } => {
  const pool = train.slice(0, VALIDATION_FROM)
  const seen = new Set(pool.map((p) => p.prompt))
  const validation: Array<P> = []
  for (const p of train.slice(VALIDATION_FROM)) {
    if (seen.has(p.prompt)) continue
    seen.add(p.prompt)
    validation.push(p)
  }
  return { pool, validation }
}

const part = (which: "pool" | "validation") => readSplit("world-train").pipe(Effect.map((ps): ReadonlyArray<WorldProblem> => splitTrainingPool(ps)[which]))

/** The validation rows and the pool as benchmarks (the pool's, to score training accuracy on what a full-set run saw). */
export const validationBenchmarks: ReadonlyArray<Benchmark> = [
  {
    name: VALIDATION_BENCHMARK,
    description: `validation: world-train rows ${VALIDATION_FROM}–1199 without the prompts the pool repeats (≈10 per subject × level cell), never trained on by the powered runs`,
    size: VALIDATION_SIZE,
    defaultProtocol: WORLD_PROTOCOL,
    load: part("validation").pipe(Effect.map((ps): ReadonlyArray<Problem> => ps))
  },
  {
    name: TRAIN_POOL_BENCHMARK,
    description: `the powered runs' training pool: world-train rows 0–${VALIDATION_FROM - 1}`,
    size: VALIDATION_FROM,
    defaultProtocol: WORLD_PROTOCOL,
    load: part("pool").pipe(Effect.map((ps): ReadonlyArray<Problem> => ps))
  }
]

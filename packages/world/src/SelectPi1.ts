/**
 * Choosing the 1-shot training example the way the paper chose π1: rank the
 * pool by historical variance of per-example training accuracy
 * (`rankByHistoricalVariance` from core, the authors' `data_selection.py`).
 *
 * The paper's history comes from a full-set RLVR run, and so does the
 * committed π1 (`models/base/pi1.json`, from the recorded data-selection run
 * in packages/repro/runs/world-cpu). This module is the quick stand-in: the
 * base model's own accuracy over k samples at the rollout temperature, on a
 * stratified subset of the pool: one "epoch" of history whose population std
 * is sqrt(p(1−p)). `rlvr world select-pi1` writes it to a run directory.
 */
import { GenerateOptions, type Problem, rankByHistoricalVariance, type TextGenerator, Verifier } from "@oneshot/core"
import { Effect } from "effect"
import * as path from "node:path"
import { BASE_MODEL_DIR } from "./BaseModel.ts"
import type { Pi1Choice } from "./Demo.ts"
import { writeFileAtomic } from "./Files.ts"
import { formatPrompt } from "./Template.ts"

export interface SelectOptions {
  /** Samples per problem. */
  readonly k: number
  readonly temperature: number
  readonly maxTokens: number
  readonly seed: number
  /** Problems per category × level cell of the pool. */
  readonly perCell: number
}

export const SELECT_DEFAULTS: SelectOptions = { k: 8, temperature: 0.6, maxTokens: 240, seed: 0, perCell: 2 }

/** The first `perCell` problems of each category × level cell, in pool order. */
export const stratifiedSubset = <P extends Problem>(pool: ReadonlyArray<P>, perCell: number): ReadonlyArray<P> => {
  const seen = new Map<string, number>()
  return pool.filter((p) => {
    const k = `${p.subject}/${p.level}`
    const n = seen.get(k) ?? 0
    seen.set(k, n + 1)
    return n < perCell
  })
}

export interface Selection {
  readonly choice: Pi1Choice
  /** id → the k 0/1 outcomes (the stand-in history). */
  readonly history: ReadonlyArray<readonly [string, ReadonlyArray<number>]>
}

export const selectPi1 = <E, R>(
  generator: TextGenerator<E, R>,
  pool: ReadonlyArray<Problem>,
  options: SelectOptions = SELECT_DEFAULTS
): Effect.Effect<Selection, E, R | Verifier> =>
  Effect.gen(function* () {
    const verifier = yield* Verifier
    const subset = stratifiedSubset(pool, options.perCell)
    const history: Array<readonly [string, ReadonlyArray<number>]> = []
    const chunk = 32
    for (let i = 0; i < subset.length; i += chunk) {
      const part = subset.slice(i, i + chunk)
      const samples = yield* generator(
        part.map((p) => formatPrompt(p.prompt)),
        GenerateOptions.make({ n: options.k, temperature: options.temperature, maxTokens: options.maxTokens, seed: options.seed + i })
      )
      for (let j = 0; j < part.length; j++) {
        const p = part[j]!
        const grades = yield* verifier.gradeBatch((samples[j] ?? []).map((s) => ({ response: s.text, gold: p.answer })), { mode: "deepscaler" })
        history.push([p.id, grades.map((g) => (g.correct ? 1 : 0))])
      }
    }
    const top = rankByHistoricalVariance(history)[0]
    if (top === undefined) return { choice: { id: pool[0]?.id ?? "", method: "empty pool" }, history }
    const acc = (history.find(([id]) => id === top.id)?.[1] ?? []).reduce((s, x) => s + x, 0) / options.k
    return {
      choice: {
        id: top.id,
        method: `stand-in: highest historical variance of the base model's ${options.k}-sample accuracy (T=${options.temperature}) over ${subset.length} pool problems (${options.perCell} per cell); base accuracy on it ${acc.toFixed(3)} (a quick stand-in for the history of a full-set RLVR run)`,
        variance: top.variance
      },
      history
    }
  })

/** Writes `pi1.json` and `pi1-history.json` into `dir` (created if absent); returns their paths. */
export const writePi1 = (s: Selection, dir: string = BASE_MODEL_DIR) => {
  const files = [path.join(dir, "pi1.json"), path.join(dir, "pi1-history.json")] as const
  return Effect.as(
    Effect.all([
      writeFileAtomic(files[0], JSON.stringify(s.choice, null, 2) + "\n"),
      writeFileAtomic(files[1], JSON.stringify(Object.fromEntries(s.history)) + "\n")
    ]),
    files
  )
}

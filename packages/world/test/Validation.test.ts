import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { readSplit } from "../src/Files.ts"
import { CATEGORIES, LEVELS } from "../src/Generator.ts"
import { generateAllSplits } from "../src/Splits.ts"
import { drawAdmissible } from "../src/CorpusDraw.ts"
import { splitTrainingPool, VALIDATION_FROM, VALIDATION_SIZE } from "../src/Validation.ts"
import { WORLD_TEST_BENCHMARKS } from "../src/Benchmarks.ts"
import selection from "../experiments/selection.json" with { type: "json" }

const train = Effect.runSync(readSplit("world-train"))
const { pool, validation } = splitTrainingPool(train)

describe("the validation split (world-train's tail)", () => {
  it("is 10 problems of every subject × level cell but counting/4 (whose 17 distinct problems are all in the pool)", () => {
    expect(validation).toHaveLength(VALIDATION_SIZE)
    const perCell = new Map<string, number>()
    for (const p of validation) perCell.set(`${p.subject}/${p.level}`, (perCell.get(`${p.subject}/${p.level}`) ?? 0) + 1)
    expect(perCell.size).toBe(CATEGORIES.length * LEVELS.length - 1)
    expect(perCell.has("counting/4")).toBe(false)
    for (const n of perCell.values()) expect(n).toBe(10)
    expect(new Set(validation.map((p) => p.prompt)).size).toBe(validation.length)
  })

  it("shares no prompt with the pool, the test sets or the pretraining corpus's first 80,000 documents (seeds 2 and 3)", () => {
    const promptsOf = (ps: ReadonlyArray<{ readonly prompt: string }>) => new Set(ps.map((p) => p.prompt))
    const val = promptsOf(validation)
    const others = [promptsOf(pool), ...WORLD_TEST_BENCHMARKS.map((b) => promptsOf(Effect.runSync(readSplit(b))))]
    for (const o of others) expect([...val].filter((p) => o.has(p))).toEqual([])
    const { reserved } = generateAllSplits()
    for (const seed of [2, 3]) {
      for (let i = 0; i < 80_000; i++) expect(val.has(drawAdmissible(seed, i, reserved).clean.draft.prompt)).toBe(false)
    }
  })

  it("holds none of the selected examples; the pool holds them all", () => {
    const ids = [selection.pi1, selection.pi2, selection.pi13, selection.pi1207]
    for (const id of ids) expect(Number(id.split("/")[1])).toBeLessThan(VALIDATION_FROM)
    expect(pool.map((p) => p.id)).toEqual(expect.arrayContaining(ids))
  })
})

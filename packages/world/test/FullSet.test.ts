import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { readSplit } from "../src/Files.ts"
import { fullSetIds, namedExamples, POWERED_FULL_SET_SIZE } from "../src/FullSet.ts"
import { recordedExamples } from "../src/TrainPresets.ts"
import { splitTrainingPool } from "../src/Validation.ts"

const ids = fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 120 }).map((xs) => xs.map((x) => `p${x}`))

describe("the powered full set", () => {
  it("keeps the named examples in the pool, then pool rows in order: distinct, from the pool, min(size, pool) of them", () =>
    fc.assert(
      fc.property(ids, fc.array(fc.integer({ min: 0, max: 600 }).map((x) => `p${x}`), { maxLength: 6 }), fc.integer({ min: 1, max: 100 }), (pool, named, size) => {
        const out = fullSetIds(pool, named, size)
        expect(new Set(out).size).toBe(out.length)
        expect(out.length).toBe(Math.min(size, pool.length))
        for (const id of out) expect(pool).toContain(id)
        const keptNamed = [...new Set(named.filter((id) => pool.includes(id)))].slice(0, size)
        expect(out.slice(0, keptNamed.length)).toEqual(keptNamed)
        const rest = out.slice(keptNamed.length)
        expect(rest).toEqual(pool.filter((id) => !keptNamed.includes(id)).slice(0, rest.length))
      })
    ))

  it("rejects a size that is not a positive integer", () => {
    expect(() => fullSetIds(["a"], [], 0)).toThrow(/positive integer, got 0/)
  })

  it.effect("on the world: 80 examples of the pool (none from validation), π1 and π13 in, every subject × level cell in, 20 epochs in 200 steps × 8 prompts", () =>
    Effect.gen(function* () {
      const train = yield* readSplit("world-train")
      const { pool, validation } = splitTrainingPool(train)
      const examples = yield* recordedExamples()
      const full = fullSetIds(pool.map((p) => p.id), namedExamples(examples))
      expect(full.length).toBe(POWERED_FULL_SET_SIZE)
      expect(full).toContain(examples.pi1)
      expect(full).toContain(examples.pi13)
      const validationIds = new Set(validation.map((p) => p.id))
      expect(full.filter((id) => validationIds.has(id))).toEqual([])
      const cell = (p: (typeof pool)[number]) => `${p.subject}/${p.level}`
      const byId = new Map(pool.map((p) => [p.id, p]))
      expect(new Set(full.map((id) => cell(byId.get(id)!))).size).toBe(new Set(pool.map(cell)).size)
      expect((200 * 8) / full.length).toBeGreaterThanOrEqual(20)
    }))
})

import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { changeLine, DEFAULT_PI1, demoTestSet, pairedChange, readPi1 } from "../src/Demo.ts"
import { readSplit } from "../src/Files.ts"
import { stratifiedSubset } from "../src/SelectPi1.ts"

describe("Demo pieces", () => {
  it.effect("the demo test set keeps the first k problems of every category × level cell", () =>
    Effect.gen(function* () {
      const all = yield* readSplit("world-math500")
      const sub = demoTestSet(all, 2)
      expect(sub.length).toBe(70)
      expect(demoTestSet(all, 0).length).toBe(500)
      expect(stratifiedSubset(all, 2).map((p) => p.id)).toEqual(sub.map((p) => p.id))
    })
  )

  it("readPi1 falls back to the documented default and reads a recorded choice", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pi1-"))
    expect(readPi1(dir)).toEqual(DEFAULT_PI1)
    fs.writeFileSync(path.join(dir, "pi1.json"), JSON.stringify({ id: "world-train/0042", method: "test", variance: 0.5 }))
    expect(readPi1(dir).id).toBe("world-train/0042")
  })

  it.effect("the default π1 exists in the training pool", () =>
    Effect.gen(function* () {
      const pool = yield* readSplit("world-train")
      expect(pool.some((p) => p.id === DEFAULT_PI1.id)).toBe(true)
    })
  )

  it("the paired change: mean difference in points, its interval around it, problems paired by id", () =>
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1)), { minLength: 2, maxLength: 60 }), (pairs) => {
        const before = pairs.map(([x], i) => ({ id: `p${i}`, score: x }))
        const after = pairs.map(([, y], i) => ({ id: `p${i}`, score: y })).reverse()
        const c = pairedChange(before, after)
        const mean = (100 * pairs.reduce((a, [x, y]) => a + y - x, 0)) / pairs.length
        expect(c.n).toBe(pairs.length)
        expect(c.points).toBeCloseTo(mean, 9)
        expect(c.ci95[0]).toBeLessThanOrEqual(c.points + 1e-9)
        expect(c.ci95[1]).toBeGreaterThanOrEqual(c.points - 1e-9)
        expect(pairedChange(before, before)).toEqual({ points: 0, ci95: [0, 0], n: pairs.length })
      })
    ))

  it("the change line says whether the change is beyond evaluation noise", () => {
    expect(changeLine({ points: 3, ci95: [1, 5], n: 500 })).toMatch(/\+3\.0 points, 95% CI \[\+1\.0, \+5\.0\] \(paired, 500 problems\): a gain beyond evaluation noise/)
    expect(changeLine({ points: -3, ci95: [-5, -1], n: 500 })).toMatch(/a loss beyond evaluation noise/)
    expect(changeLine({ points: 1, ci95: [-1, 3], n: 500 })).toMatch(/within evaluation noise/)
    expect(pairedChange([{ id: "a", score: 1 }], [{ id: "b", score: 0 }]).n).toBe(0)
  })
})

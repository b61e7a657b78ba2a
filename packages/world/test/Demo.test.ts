import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DEFAULT_PI1, demoTestSet, readPi1 } from "../src/Demo.ts"
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
})

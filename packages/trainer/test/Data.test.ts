import { describe, expect, it } from "@effect/vitest"
import { Problem } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { DataSection } from "../src/Config.ts"
import { dataFile } from "../src/Presets.ts"
import { batchIndices, corruptLabel, prepareRows, readProblems, stepsPerEpoch } from "../src/TrainData.ts"
import { mulberry32 } from "../src/Rng.ts"
import { tempDir, writeProblems, nextDigitProblems } from "./support/Task.ts"
import { writeFileSync } from "node:fs"
import { join } from "node:path"

const section = (o: Record<string, unknown>) => Schema.decodeUnknownSync(DataSection)({ train: "x", ...o })

describe("training data", () => {
  it.effect("reads the authors' pi1_r128 parquet: 128 rows of π1 (index 124, answer 12.8)", () =>
    Effect.gen(function* () {
      const rows = yield* readProblems(dataFile("pi1_r128.parquet"))
      expect(rows).toHaveLength(128)
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(["124"]))
      expect(rows[0]!.answer).toBe("12.8")
      expect(rows[0]!.prompt).toMatch(/wind velocity.*\\boxed\{\}\.$/s)
    })
  )
  it.effect("1-shot from the pool equals the authors' duplicated file", () =>
    Effect.gen(function* () {
      const pool = yield* readProblems(dataFile("dsr_sub.parquet"))
      expect(pool).toHaveLength(1209)
      const mine = yield* prepareRows(pool, section({ ids: ["124"], duplicateTo: 128 }))
      const theirs = yield* readProblems(dataFile("pi1_r128.parquet"))
      expect(mine.map((p) => [p.id, p.prompt, p.answer])).toEqual(theirs.map((p) => [p.id, p.prompt, p.answer]))
    })
  )
  it.effect("label override and deterministic label noise", () =>
    Effect.gen(function* () {
      const ps = nextDigitProblems()
      const over = yield* prepareRows(ps, section({ labelOverride: "4" }))
      expect(over.every((p) => p.answer === "4")).toBe(true)
      const noisy = yield* prepareRows(ps, section({ labelNoise: 0.6, labelNoiseSeed: 3 }))
      const again = yield* prepareRows(ps, section({ labelNoise: 0.6, labelNoiseSeed: 3 }))
      expect(noisy).toEqual(again)
      expect(noisy.filter((p, i) => p.answer !== ps[i]!.answer)).toHaveLength(6)
    })
  )
  it("corrupted labels are never the original", () => {
    const rand = mulberry32(1)
    for (const a of ["12", "-3", "0", "\\frac{3}{7}", "12.8", "x+1", "\\sqrt{2}"]) {
      for (let k = 0; k < 50; k++) expect(corruptLabel(a, rand)).not.toBe(a)
    }
  })
  it("batches: each epoch a permutation, drop_last, deterministic", () => {
    const seen = Array.from({ length: 3 }, (_, s) => batchIndices(10, 3, s, 1, true)).flat()
    expect(new Set(seen).size).toBe(9)
    expect(batchIndices(10, 3, 4, 1, true)).toEqual(batchIndices(10, 3, 4, 1, true))
    expect(batchIndices(10, 3, 3, 1, false)).toEqual([0, 1, 2])
  })
  it.effect("a batch larger than the data names the fix", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(stepsPerEpoch(1, 8))
      expect(e.message).toMatch(/trainer.batchSize: expected at most the 1 training rows \(set data.duplicateTo/)
    })
  )
  it.effect("a bad JSONL line names file:line", () =>
    Effect.gen(function* () {
      const dir = tempDir("data")
      const path = writeProblems(dir, nextDigitProblems().slice(0, 2))
      const bad = join(dir, "bad.jsonl")
      writeFileSync(bad, `${JSON.stringify(Schema.encodeSync(Problem)(nextDigitProblems()[0]!))}\n{"id": 3}\n`)
      expect((yield* readProblems(path)).length).toBe(2)
      const e = yield* Effect.flip(readProblems(bad))
      expect(e.message).toMatch(/bad.jsonl:2: expected a JSON Problem/)
    })
  )
})

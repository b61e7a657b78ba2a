import { describe, expect, it } from "@effect/vitest"
import { grade } from "@oneshot/verifier"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DATA_DIR, readSplit, writeSplits } from "../src/Files.ts"
import { CATEGORY_NAMES } from "../src/Generator.ts"
import { generateAllSplits, SPLITS, toJsonl } from "../src/Splits.ts"
import { reword } from "../src/Shifts.ts"

const { splits } = generateAllSplits()
const get = (name: string) => splits.get(name) ?? []

describe("Splits", () => {
  it("reproduce the shipped JSONL byte for byte", () => {
    for (const spec of SPLITS) {
      const shipped = fs.readFileSync(path.join(DATA_DIR, `${spec.name}.jsonl`), "utf8")
      expect(toJsonl(get(spec.name)) === shipped, spec.name).toBe(true)
    }
  })

  it.effect("writeSplits writes the same bytes to a fresh directory and readSplit reads them back", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "world-"))
      const files = yield* writeSplits(dir)
      expect(files.map((f) => f.split)).toEqual(SPLITS.map((s) => s.name))
      const back = yield* readSplit("world-math500", dir)
      expect(back.length).toBe(500)
      expect(fs.readFileSync(path.join(dir, "world-math500.jsonl"), "utf8")).toBe(
        fs.readFileSync(path.join(DATA_DIR, "world-math500.jsonl"), "utf8")
      )
    })
  )

  it.effect("readSplit names the file and line of a malformed row", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "world-"))
      fs.writeFileSync(path.join(dir, "bad.jsonl"), '{"id":"a"}\n')
      const err = yield* Effect.flip(readSplit("bad", dir))
      expect(err.message).toMatch(/bad\.jsonl:1: expected a world problem/)
    })
  )

  it("have the specified sizes", () => {
    for (const spec of SPLITS) expect(get(spec.name).length, spec.name).toBe(spec.size)
    expect(get("world-train").length).toBeGreaterThanOrEqual(1200)
  })

  it("the MATH500-like set is stratified by category × level (14–15 per cell)", () => {
    const cells = new Map<string, number>()
    for (const p of get("world-math500")) cells.set(`${p.subject}/${p.level}`, (cells.get(`${p.subject}/${p.level}`) ?? 0) + 1)
    expect(cells.size).toBe(CATEGORY_NAMES.length * 5)
    for (const n of cells.values()) expect(n === 14 || n === 15).toBe(true)
  })

  it("world-hard holds only levels 4–5", () => {
    expect(get("world-hard").every((p) => p.level === 4 || p.level === 5)).toBe(true)
  })

  it("test sets have unique prompts and never share a problem with the training pool", () => {
    const train = new Set(get("world-train").map((p) => p.prompt))
    for (const spec of SPLITS.filter((s) => s.test)) {
      const ps = get(spec.name)
      expect(new Set(ps.map((p) => p.prompt)).size).toBe(ps.length)
      for (const p of ps) expect(train.has(p.prompt)).toBe(false)
    }
  })

  it("every split answer grades correct against its solution", () => {
    for (const [name, ps] of splits) {
      for (const p of ps) {
        if (!grade(p.solution, p.answer, { mode: "deepscaler" }).correct) throw new Error(`${name} ${p.id}: ${p.solution} vs ${p.answer}`)
      }
    }
  })

  it("reword fails loudly on an unknown template", () => {
    expect(() => reword("Tell me a joke.")).toThrow(/no paraphrase rule/)
  })
})

import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { commandPaths, unknownSubcommand } from "../src/CommandTree.ts"
import { tidyCommandTable } from "../src/Terminal.ts"

describe("commandPaths", () => {
  it("lists nested commands after their parent, each once", () => {
    const paths = commandPaths().map((p) => p.join(" "))
    expect(new Set(paths).size).toBe(paths.length)
    expect(paths.indexOf("world")).toBeLessThan(paths.indexOf("world eval"))
    expect(paths).toContain("runs export")
  })
})

describe("unknownSubcommand", () => {
  const paths = [["grade"], ["runs"], ["runs", "export"], ["world"], ["world", "eval"], ["world", "stats"]]
  it("names the parent, the word and the parent's own children", () => {
    expect(unknownSubcommand(paths, ["runs", "frobnicate"])).toEqual({ parent: ["runs"], word: "frobnicate", expected: ["export"] })
    expect(unknownSubcommand(paths, ["nope"])).toEqual({ parent: [], word: "nope", expected: ["grade", "runs", "world"] })
  })
  it("lets every known path and a leaf's positional arguments through", () => {
    for (const p of paths) expect(unknownSubcommand(paths, p)).toBeUndefined()
    expect(unknownSubcommand(paths, ["grade", "file.jsonl"])).toBeUndefined()
    expect(unknownSubcommand(paths, ["world", "eval", "x"])).toBeUndefined()
  })
})

describe("tidyCommandTable", () => {
  const word = fc.stringMatching(/^[a-z\-[\]]{1,12}$/)
  const row = fc.tuple(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(word, { minLength: 1, maxLength: 8 }), fc.integer({ min: 2, max: 300 }))
  it("keeps every word in order, leaves no trailing blanks, and puts each description under its usage", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), (rows) => {
        const text = ["USAGE", "", "$ rlvr", "", "COMMANDS", "", ...rows.flatMap(([u, d, pad], k) => [`  - c${k} ${u.join(" ")}${" ".repeat(pad)}${d.join(" ")}`, " ".repeat(pad)])].join("\n")
        const tidy = tidyCommandTable(text)
        expect(tidy.split(/\s+/).filter((w) => w !== "")).toEqual(text.split(/\s+/).filter((w) => w !== ""))
        for (const line of tidy.split("\n")) expect(line).toBe(line.trimEnd())
        const lines = tidy.split("\n")
        rows.forEach(([u, d], k) => {
          const i = lines.indexOf(`  - c${k} ${u.join(" ")}`)
          expect(i).toBeGreaterThanOrEqual(0)
          expect(lines[i + 1]).toBe(`    ${d.join(" ")}`)
        })
      })
    )
  })
  it("leaves sections other than COMMANDS as they are, but for trailing blanks", () => {
    const text = "OPTIONS\n\n  - not a row     really\nCOMMANDS"
    expect(tidyCommandTable(text)).toBe(text)
  })
})

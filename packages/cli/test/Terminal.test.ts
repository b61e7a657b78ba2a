import { Cause, Exit, FastCheck as fc } from "effect"
import { ValidationError, HelpDoc } from "@effect/cli"
import { describe, expect, it } from "vitest"
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, exitCodeOf, failureLines } from "../src/Outcome.ts"
import { metricsCsv } from "../src/RunExport.ts"
import { colourWanted, commandPathOf, fixHelp, stripAnsi, wrapLines } from "../src/Terminal.ts"

const word = fc.stringMatching(/^[a-z0-9.\-/]{1,30}$/)
const colour = fc.constantFrom("", "\u001b[0;1m", "\u001b[0m", "\u001b[37;1m")
const styledWord = fc.tuple(colour, word, colour).map(([a, w, b]) => `${a}${w}${b}`)

describe("wrapLines", () => {
  it("keeps every word, in order, and no line wider than the width unless it is one word", () => {
    fc.assert(
      fc.property(fc.array(fc.array(styledWord, { maxLength: 30 }), { maxLength: 5 }), fc.integer({ min: 20, max: 120 }), fc.nat(6), (paras, width, indent) => {
        const text = paras.map((ws) => " ".repeat(indent) + ws.join(" ")).join("\n")
        const wrapped = wrapLines(text, width)
        expect(stripAnsi(wrapped).split(/\s+/).filter((w) => w !== "")).toEqual(stripAnsi(text).split(/\s+/).filter((w) => w !== ""))
        for (const line of stripAnsi(wrapped).split("\n")) {
          if (line.length > width) expect(line.trim().includes(" ")).toBe(false)
          if (line.trim() !== "") expect(line.startsWith(" ".repeat(indent))).toBe(true)
        }
      })
    )
  })
})

describe("stripAnsi", () => {
  it("removes exactly the escape sequences", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(colour, word)), (parts) => {
        expect(stripAnsi(parts.map(([c, w]) => c + w).join(""))).toBe(parts.map(([, w]) => w).join(""))
      })
    )
  })
})

describe("colourWanted", () => {
  it("only on a TTY, never with NO_COLOR set or TERM=dumb", () => {
    expect(colourWanted(true, {})).toBe(true)
    expect(colourWanted(false, {})).toBe(false)
    expect(colourWanted(undefined, {})).toBe(false)
    expect(colourWanted(true, { NO_COLOR: "1" })).toBe(false)
    expect(colourWanted(true, { NO_COLOR: "" })).toBe(true)
    expect(colourWanted(true, { TERM: "dumb" })).toBe(false)
  })
})

describe("fixHelp", () => {
  it("names the full command in usage and marks repeatable options optional", () => {
    const text = "USAGE\n\n$ eval [--policy directory] --benchmark text... --generations file...\n"
    expect(fixHelp(text, ["world", "eval"])).toBe("USAGE\n\n$ rlvr world eval [--policy directory] [--benchmark text]... [--generations file]...\n")
  })
  it("leaves the root usage alone", () => {
    expect(fixHelp("$ rlvr\n", [])).toBe("$ rlvr\n")
  })
})

describe("commandPathOf", () => {
  it("is the words before the first option", () => {
    expect(commandPathOf(["world", "eval", "--policy", "x"])).toEqual(["world", "eval"])
    expect(commandPathOf(["--help"])).toEqual([])
  })
})

describe("exit codes and failure lines", () => {
  const usage = ValidationError.invalidValue(HelpDoc.p("bad"))
  it("0 ok, 1 failure, 2 usage, 130 interrupted", () => {
    expect(exitCodeOf(Exit.succeed(1))).toBe(EXIT_OK)
    expect(exitCodeOf(Exit.fail(new Error("x")))).toBe(EXIT_FAILURE)
    expect(exitCodeOf(Exit.die(new Error("x")))).toBe(EXIT_FAILURE)
    expect(exitCodeOf(Exit.fail(usage))).toBe(EXIT_USAGE)
    expect(exitCodeOf(Exit.interrupt("fiber" as never))).toBe(EXIT_INTERRUPTED)
  })
  it("one line, prefixed once, no stack", () => {
    const lines = failureLines(Cause.fail({ _tag: "InvalidInput", message: "rlvr train: --config x.yaml: expected a mapping" }), ["train"], false)
    expect(lines).toEqual(["rlvr train: --config x.yaml: expected a mapping"])
    const defect = failureLines(Cause.die(new TypeError("boom\n    at f (x.ts:1:2)")), ["grade"], false)
    expect(defect).toHaveLength(1)
    expect(defect[0]).toMatch(/^rlvr grade: boom/)
    expect(defect[0]).not.toContain("x.ts:1:2")
    expect(failureLines(Cause.fail(usage), ["grade"], false)).toEqual([])
  })
  it("--verbose prints the whole cause", () => {
    const lines = failureLines(Cause.die(new TypeError("boom")), ["grade"], true)
    expect(lines.join("\n")).toContain("TypeError: boom")
  })
})

describe("metricsCsv", () => {
  it("one row per step, every metric a column, empty where a step lacks it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ step: fc.nat(20), metrics: fc.dictionary(fc.constantFrom("a", "b/c", "d,e"), fc.double({ noNaN: true, noDefaultInfinity: true })) })),
        (lines) => {
          const rows = metricsCsv(lines).trimEnd().split("\n")
          expect(rows.length - 1).toBe(new Set(lines.map((l) => l.step)).size)
        }
      )
    )
  })
  it("quotes a metric name with a comma", () => {
    expect(metricsCsv([{ step: 1, metrics: { "a,b": 1 } }])).toBe('step,"a,b"\n1,1\n')
  })
})

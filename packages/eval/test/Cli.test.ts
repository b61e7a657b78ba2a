/**
 * End to end: `rlvr eval --generations examples/aime24-generations.jsonl` in a
 * child process, checked against numbers computed by hand from the example's
 * construction (problem i has i mod 9 correct samples out of 8, the first ones;
 * sample 8 is truncated when i mod 5 = 0; a reflection word on correct samples 1, 4, 7;
 * tokens 100 + 10·j + i).
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const example = fileURLToPath(new URL("../examples/aime24-generations.jsonl", import.meta.url))

describe("rlvr eval (child process)", () => {
  it("prints the table and writes JSON with the hand-computed numbers", () => {
    const out = join(mkdtempSync(join(tmpdir(), "eval-cli-")), "report.json")
    const stdout = execFileSync(
      process.execPath,
      [join(root, "packages/cli/bin/rlvr.mjs"), "eval", "--generations", example, "--benchmark", "aime24", "--out", out],
      { cwd: root, encoding: "utf8", timeout: 120_000 }
    )
    const c = Array.from({ length: 30 }, (_, i) => i % 9)
    const accuracy = c.reduce((s, ci) => s + ci / 8, 0) / 30
    const pass8 = c.filter((ci) => ci > 0).length / 30
    const maj8 = c.filter((ci) => ci > 4 || ci === 4).length / 30 // a 4-4 tie goes to the first answer, the correct one
    const reflections = c.reduce((s, ci) => s + [0, 3, 6].filter((j) => j < ci).length, 0)
    const meanTokens = (c.length * 8 * 100 + 30 * 10 * 28 + 8 * (29 * 30) / 2) / 240
    expect(stdout).toMatch(/aime24\s+qwen25-math-cot\s+avg@8\s+30\s/)
    expect(stdout).toContain((100 * accuracy).toFixed(1))
    const report = JSON.parse(readFileSync(out, "utf8")) as {
      reports: Array<{ summary: Record<string, unknown> & { passAtK: Record<string, number>; majAtK: Record<string, number> } }>
    }
    const s = report.reports[0]!.summary
    expect(s["metric"]).toBe("avg@8")
    expect(s["n"]).toBe(30)
    expect(s["accuracy"] as number).toBeCloseTo(accuracy, 12)
    expect(s.passAtK["1"]).toBeCloseTo(accuracy, 12)
    expect(s.passAtK["8"]).toBeCloseTo(pass8, 12)
    expect(s.majAtK["8"]).toBeCloseTo(maj8, 12)
    expect(s["reflectionCount"]).toBe(reflections)
    expect(s["boxedRatio"]).toBe(1)
    expect(s["truncationRate"] as number).toBeCloseTo(6 / 240, 12)
    expect(s["lengthUnit"]).toBe("tokens")
    expect(s["meanResponseLength"] as number).toBeCloseTo(meanTokens, 9)
  })
})

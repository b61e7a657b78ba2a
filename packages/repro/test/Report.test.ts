import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadHistory } from "../src/RecordedHistory.ts"
import { loadReported } from "../src/Reported.ts"
import { renderHtml, renderMarkdown, renderTable, runFigures, wrap, writeReport } from "../src/Report.ts"
import { evaluate, type ReproResult } from "../src/Repro.ts"
import { REPLICATION } from "../src/ReplicationChecks.ts"
import { barChart, escapeXml, lineChart, ticks } from "../src/Svg.ts"
import { diffVerdicts } from "../src/Evidence.ts"
import { renderVerdictFile } from "../src/VerdictFile.ts"
import { problemRuns, run, runsFor, withoutProblemScores } from "./SyntheticRuns.ts"

const context = Effect.runSync(Effect.all({ history: loadHistory(), reported: loadReported() }))
/** The runs as one cohort, `world-test`. */
const result = (runs: ReproResult["runs"], skipped: ReproResult["skipped"] = []): ReproResult => evaluate(context, [{ name: "world-test", runs }], skipped)
/** Two seeds of π13 and of the full set (C2's roles). */
const twoRoles = () => runsFor(REPLICATION["C2"]![0]!, { delta: 1, seeds: 2, sigma: 1, n: 70, seed: 3, steps: 40 })

describe("report", () => {
  it("wrapping keeps every piece of the text and every line within the width, glue included", () => {
    const piece = fc.string({ minLength: 1, maxLength: 30 }).filter((p) => !p.includes(",") && !p.includes("\n") && p.trim() === p && p.length > 0)
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }), fc.integer({ min: 40, max: 120 }), (pieces, width) => {
      const lines = wrap(pieces.join(", "), ", ", width)
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width)
      // Unwrapped (continuations lose their indent, breaks their glue), the text is whole: nothing was clipped.
      expect(lines.map((l, i) => (i === 0 ? l : l.slice(2))).join(" ")).toBe(pieces.join(", "))
    }))
  })

  it("a run's figures are its base model's accuracy and its last-half mean, whatever they are", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (a, b, c) => {
      // Step 0 scores a, the first half b (never in the figures), the last half c (‰).
      const r = run("1shot-pi1", 0, 40, () => ({}), (t) => (t === 0 ? a : t <= 20 ? b : c) / 1000)
      expect(runFigures(r)).toBe(`test accuracy ${(a / 10).toFixed(1)} → ${(c / 10).toFixed(1)}, boxed — → — (step 0 → last half), no per-problem scores`)
    }))
  })

  it("a run's figures say whether its evaluations log each problem's score", () => {
    const [scored] = problemRuns(["1shot-pi1"], { n: 50, seeds: 1, spread: 1, seedSd: 0, ability: () => 0, seed: 1 })
    expect(runFigures(scored!)).toMatch(/, per-problem scores$/)
    expect(runFigures(withoutProblemScores(scored!))).toMatch(/, no per-problem scores$/)
    expect(renderMarkdown(result([scored!]))).toMatch(/- `1shot-pi1` seed 0: run-log `synthetic\/1shot-pi1-seed0.jsonl`, 40 steps, 21 evaluations; test accuracy \d+\.\d → \d+\.\d, boxed/)
  })

  it("the table has one line per claim (51) and prints the three tallies separately", () => {
    const table = renderTable(result([]))
    expect(table.split("\n").filter((l) => /^C\d+[a-d]? /.test(l)).length).toBe(51)
    expect(table).toMatch(/^paper's own numbers, recomputed \(\d+ claims\): \d+ consistent, \d+ inconsistent$/m)
    expect(table).toMatch(/^authors' recorded data \(4 claims\): 4 holds, 0 fails$/m)
    expect(table).toMatch(/^replication, cohort world-test \(0 runs, 51 claims\): 0 replicates, 0 contradicts, 0 inconclusive,$/m)
    expect(table).toMatch(/^ {2}\d+ insufficient-data, \d+ not-applicable$/m) // wrapped within 100 columns
    for (const line of table.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100)
    expect(table).not.toMatch(/recorded data.*consistent|holds on runs/)
  })

  it("the Markdown starts with the claim table, then runs and details; the HTML renders it with the plots after the claim table", () => {
    const r = result(twoRoles())
    const md = renderMarkdown(r)
    expect(md.indexOf("## Claims")).toBeLessThan(md.indexOf("## Runs"))
    expect(md.split("\n").filter((l) => /^\| C\d+[a-d]? \|/.test(l)).length).toBe(51)
    expect(md).toMatch(/\| C2 \| .* \| \*\*consistent\*\* \| — \| (inconclusive|replicates|contradicts) [+-]\d/)
    expect(md).toContain("| claim | statement | paper | authors' data | replication, world-test (estimate, 95% CI, seeds) |")
    expect(md).toMatch(/^- \*\*replication, cohort world-test: (inconclusive|replicates|contradicts)\*\*/m)
    expect(md).toContain("### Cohort `world-test` (4 runs)")
    const html = renderHtml(r)
    expect(html.indexOf("<h2>Claims</h2>")).toBeLessThan(html.indexOf("<h2>Plots</h2>"))
    expect(html.indexOf("<h2>Plots</h2>")).toBeLessThan(html.indexOf("<h2>Runs</h2>"))
    expect(html).toContain("<strong>consistent</strong>") // Markdown rendered, not printed raw
    expect(html).not.toContain("**consistent**")
    expect(html).toMatch(/<code>1shot-pi13<\/code>/)
  })

  it("plots seeds as thin lines, their mean thick with a 95% band, and replication intervals as error bars", () => {
    const html = renderHtml(result(twoRoles()))
    expect(html).toMatch(/stroke-width="0\.8" stroke-opacity="0\.6"/)
    expect(html).toMatch(/stroke-width="2\.5"/)
    expect(html).toMatch(/<polygon [^>]*fill-opacity="0\.15"/)
    expect(html).toContain("Replication, cohort world-test: estimate and 95% CI per claim (pp)")
  })

  it("lists unreadable files and unassigned runs", () => {
    const runs = [...twoRoles(), ...runsFor(REPLICATION["C2"]![0]!, { delta: 0, seeds: 1, sigma: 0, n: 10, seed: 1, steps: 40 }).slice(0, 1).map((x) => ({ ...x, role: "my-odd-run" }) as typeof x)]
    const r = result(runs, [{ path: "/x/runs/notes.txt", reason: "notes.txt: expected a verl console log" }])
    expect(renderTable(r)).toContain("skipped (not readable as a run): /x/runs/notes.txt")
    expect(renderTable(r)).toMatch(/unassigned in world-test \(no check uses their role\): my-odd-run/)
    expect(renderMarkdown(r)).toContain("- `runs/notes.txt`: notes.txt: expected a verl console log")
  })

  it("the HTML is self-contained and viewable offline: inline SVG plots, no scripts, no external URLs", () => {
    const html = renderHtml(result(twoRoles()))
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(5)
    expect(html).not.toMatch(/<script|<link|src=|@import/)
    expect(html.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:\/\//)
  })

  it.effect("writes repro.md and index.html atomically (no temp files left) and deterministically", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "repro-report-"))
      const files = yield* writeReport(result([]), dir)
      expect(files.map((f) => f.split("/").at(-1))).toEqual(["repro.md", "index.html"])
      expect(readdirSync(dir).sort()).toEqual(["index.html", "repro.md"])
      const first = readFileSync(files[0]!, "utf8")
      yield* writeReport(result([]), dir)
      expect(readFileSync(files[0]!, "utf8")).toBe(first)
    }))
})

describe("the regression gate (verdicts.json)", () => {
  it("a flipped verdict is a printed diff; equal rows are none; the file is one row per line", () => {
    const rows = result([]).rows
    expect(diffVerdicts(rows, rows)).toEqual([])
    const flipped = rows.map((r) => (r.claim === "C17" && r.evidence === "paper" ? { ...r, verdict: "consistent" as const } : r)) as typeof rows
    expect(diffVerdicts(flipped, rows)).toEqual([expect.stringMatching(/^~ C17 paper: consistent → inconsistent/)])
    expect(diffVerdicts(rows.slice(1), rows)).toEqual([expect.stringMatching(/^\+ C1 paper/)])
    const c2 = rows.map((r) => (r.claim === "C2" && r.evidence === "replication" ? { ...r, verdict: "replicates" as const } : r)) as typeof rows
    expect(diffVerdicts(c2, rows)).toEqual([expect.stringMatching(/^~ C2 replication world-test: replicates → /)])
    const text = renderVerdictFile(rows)
    expect(text.split("\n").filter((l) => l.startsWith('    {"claim"')).length).toBe(rows.length)
    expect(JSON.parse(text).rows.length).toBe(rows.length)
  })
})

describe("svg", () => {
  it("ticks cover the range with at most a few nice steps", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (lo, span) => {
        const t = ticks(lo, lo + span)
        expect(t.length).toBeGreaterThanOrEqual(2)
        expect(t.length).toBeLessThanOrEqual(12)
        for (const v of t) {
          expect(v).toBeGreaterThanOrEqual(lo - span * 1e-9)
          expect(v).toBeLessThanOrEqual(lo + span * (1 + 1e-9))
        }
      })
    )
  })

  it("escapes text and draws every series and marker", () => {
    expect(escapeXml(`<a & "b">`)).toBe("&lt;a &amp; &quot;b&quot;&gt;")
    const svg = lineChart({
      title: "t <x>",
      xLabel: "x",
      yLabel: "y",
      series: [{ name: "a", points: [[0, 1], [1, 2]] }, { name: "b", points: [[0, 3]], style: "dots", right: true }],
      markers: [{ x: 0.5, label: "m" }]
    })
    expect(svg).toContain("t &lt;x&gt;")
    expect(svg.match(/<polyline/g)!.length).toBe(1)
    expect(svg.match(/<circle/g)!.length).toBe(1)
    expect(svg).toContain("stroke-dasharray")
    const bars = barChart({ title: "b", categories: ["x", "y"], groups: [{ name: "g", values: [1, 2] }, { name: "h", values: [3, 4] }], yLabel: "%" })
    expect(bars.match(/<title>/g)!.length).toBe(4)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadHistory } from "../src/RecordedHistory.ts"
import { loadReported } from "../src/Reported.ts"
import { renderHtml, renderMarkdown, renderTable, writeReport } from "../src/Report.ts"
import { checksOnPaper, evaluateClaims, type ReproResult } from "../src/Repro.ts"
import { barChart, escapeXml, lineChart, ticks } from "../src/Svg.ts"
import { FastCheck as fc } from "effect"
import { paperLikeOneShot } from "./Synthetic.ts"

const load = Effect.runSync(Effect.all({ history: loadHistory(), reported: loadReported() }))
const result = (runs: ReproResult["runs"]): ReproResult => {
  const context = { ...load, runs }
  const outcomes = evaluateClaims(context)
  return { outcomes, runs, skipped: [], context, onPaper: checksOnPaper(context), recordedHolds: outcomes.every((o) => o.kind === "run-check" || o.result.verdict === "holds") }
}

describe("report", () => {
  it("the table, markdown and HTML have one row per claim (51) with verdict, measured and expected", () => {
    const r = result([])
    const table = renderTable(r)
    expect(table.split("\n").filter((l) => /^C\d+[a-d]? /.test(l)).length).toBe(51)
    expect(table).toMatch(/51 claims: 43 holds, 0 fails, 7 insufficient-data, 1 not-applicable/)
    const md = renderMarkdown(r)
    const claimsSection = md.slice(md.indexOf("## Claims"), md.indexOf("## The run-checks on the paper"))
    expect(claimsSection.split("\n").filter((l) => /^\| C\d+[a-d]? \|/.test(l)).length).toBe(51)
    expect(md).toMatch(/\| C2 \| \*\*holds\*\* \| 1shot-pi13 35\.7% vs full-set 35\.9%/)
    expect(md).toMatch(/No runs found/)
    const html = renderHtml(r)
    expect(html.match(/<tr><td>C\d+[a-d]?<\/td><td>[^<]{20,}<\/td>/g)?.length).toBe(51) // claims table (statement column)
    expect(html.match(/<tr><td>C\d+[a-d]?<\/td>/g)?.length).toBe(51 + r.onPaper.length)
  })

  it("lists files that could not be read as runs in the table, markdown and HTML", () => {
    const r = { ...result([]), skipped: [{ path: "/x/runs/notes.txt", reason: "notes.txt: expected a verl console log" }] }
    expect(renderTable(r)).toContain("skipped (not readable as a run): /x/runs/notes.txt")
    expect(renderMarkdown(r)).toContain("- `runs/notes.txt`: notes.txt: expected a verl console log")
    expect(renderHtml(r)).toContain("<code>runs/notes.txt</code>")
  })

  it("the HTML is self-contained and viewable offline: inline SVG plots, no scripts, no external URLs", () => {
    const html = renderHtml(result([paperLikeOneShot("1shot-pi1")]))
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(6) // 3 from the authors' data + 3 for the run
    expect(html).toMatch(/saturation, step \d+/)
    expect(html).toContain("<li>1shot-pi1: run-log synthetic/1shot-pi1.jsonl, 400 steps, 21 evaluations</li>")
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

import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Cohort, cohortDirs, packageCohorts } from "../src/Cohort.ts"
import { diffVerdicts, headline, rowKey, type VerdictRow } from "../src/Evidence.ts"
import { loadHistory } from "../src/RecordedHistory.ts"
import { loadReported } from "../src/Reported.ts"
import { claims } from "../src/Registry.ts"
import { renderMarkdown, renderTable } from "../src/Report.ts"
import { evaluate, runRepro } from "../src/Repro.ts"
import { REPLICATION } from "../src/ReplicationChecks.ts"
import { gate, readVerdictFile, renderVerdictFile } from "../src/VerdictFile.ts"
import { runsFor } from "./SyntheticRuns.ts"

const context = Effect.runSync(Effect.all({ history: loadHistory(), reported: loadReported() }))
const C2 = REPLICATION["C2"]![0]!
const onlyC2 = claims.filter((c) => c.id === "C2")
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name)

/** C2's roles (π13, full set), `seeds` runs each, seeds numbered from 0 in every cohort. */
const c2Runs = (delta: number, seeds: number, seed: number) => runsFor(C2, { delta, seeds, sigma: 1, n: 70, seed, steps: 40 })

const replicationRow = (rows: ReadonlyArray<VerdictRow>, cohort: string) => rows.find((r) => r.evidence === "replication" && r.cohort === cohort)!

/** What a replication row says, without its cohort. */
const said = (r: VerdictRow) => ({ verdict: r.verdict, estimate: r.estimate, ci95: r.ci95, seeds: r.seeds, runs: r.runs, measured: r.measured })

describe("cohorts are never pooled", () => {
  it("a cohort's replication row is the same whatever another cohort holds (same roles, same seed numbers)", () => {
    const powered: Cohort = { name: "world-powered", runs: c2Runs(1, 2, 3) }
    const alone = replicationRow(evaluate(context, [powered], [], onlyC2).rows, "world-powered")
    expect(alone.seeds).toBe(2)
    expect(alone.runs).toBe(4)
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (delta, seeds, seed) => {
        const cpu: Cohort = { name: "world-cpu", runs: c2Runs(delta, seeds, seed) }
        const rows = evaluate(context, [cpu, powered], [], onlyC2).rows
        expect(said(replicationRow(rows, "world-powered"))).toEqual(said(alone))
        expect(replicationRow(rows, "world-cpu").runs).toBe(2 * seeds)
      }),
      { numRuns: 15 }
    )
  })

  it("a one-seed cohort does not borrow seed-to-seed variance or seeds from another cohort", () => {
    const pilot: Cohort = { name: "world-cpu", runs: c2Runs(0, 1, 5) }
    const powered: Cohort = { name: "world-powered", runs: c2Runs(1, 3, 7) }
    const rows = evaluate(context, [pilot, powered], [], onlyC2).rows
    const p = replicationRow(rows, "world-cpu")
    // Alone, one seed and no replicated role: no interval. Pooled with the powered runs it would have had
    // three seeds' variance and seed 0 counted twice.
    expect([p.verdict, p.seeds, p.runs, p.ci95]).toEqual(["insufficient-data", 1, 2, null])
    expect(replicationRow(rows, "world-powered").seeds).toBe(3)
    const pooled = replicationRow(evaluate(context, [{ name: "all", runs: [...pilot.runs, ...powered.runs] }], [], onlyC2).rows, "all")
    expect([pooled.seeds, pooled.runs]).toEqual([3, 8])
  })
})

describe("rows per cohort", () => {
  const twoCohorts = [{ name: "world-powered", runs: c2Runs(1, 2, 3) }, { name: "world-cpu", runs: c2Runs(0, 1, 5) }]
  const result = evaluate(context, twoCohorts)

  it("per claim: paper, authors-data, then one replication row per cohort in name order; keys are unique", () => {
    expect(result.cohorts.map((k) => k.name)).toEqual(["world-cpu", "world-powered"])
    expect(result.rows.filter((r) => r.claim === "C2").map((r) => [r.evidence, r.cohort])).toEqual([
      ["paper", null],
      ["replication", "world-cpu"],
      ["replication", "world-powered"]
    ])
    expect(result.rows.filter((r) => r.evidence === "replication").length).toBe(2 * claims.length)
    expect(new Set(result.rows.map(rowKey)).size).toBe(result.rows.length)
    expect(rowKey(replicationRow(result.rows, "world-cpu"))).toBe("C1 replication world-cpu")
  })

  it("the gate's diff names the cohort whose verdict changed", () => {
    const flipped = result.rows.map((r) => (r.claim === "C2" && r.cohort === "world-powered" ? { ...r, verdict: "contradicts" as const } : r)) as typeof result.rows
    expect(diffVerdicts(flipped, result.rows)).toEqual([expect.stringMatching(/^~ C2 replication world-powered: contradicts → /)])
  })

  it("the tallies give one replication line per cohort, with its runs", () => {
    const lines = headline(result.rows, result.cohorts)
    expect(lines.filter((l) => l.startsWith("replication, cohort "))).toEqual([
      expect.stringMatching(/^replication, cohort world-cpu \(2 runs, 51 claims\): /),
      expect.stringMatching(/^replication, cohort world-powered \(4 runs, 51 claims\): /)
    ])
    expect(headline(result.rows, []).at(-1)).toMatch(/no cohort/)
  })

  it("the table has a line per cohort under each claim, within 100 columns; the Markdown a column per cohort", () => {
    const table = renderTable(result)
    const lines = table.split("\n")
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100)
    const at = lines.findIndex((l) => l.startsWith("C2 "))
    expect(lines[at]).toMatch(/^C2 +consistent +— +world-cpu +insufficient-data/)
    expect(lines[at + 1]).toMatch(/^ +world-powered +(inconclusive|replicates|contradicts) [+-]\d.* \(2 seeds\)$/)
    expect(table).toMatch(/^runs in world-cpu \(2\): 1shot-pi13, full-set$/m)
    expect(table).toMatch(/^runs in world-powered \(4\): 1shot-pi13 ×2, full-set ×2$/m)
    const md = renderMarkdown(result)
    expect(md).toContain("| claim | statement | paper | authors' data | replication, world-cpu (estimate, 95% CI, seeds) | replication, world-powered (estimate, 95% CI, seeds) |")
    expect(md.split("\n").filter((l) => l.startsWith("| C2 |"))[0]!.split(" | ").length).toBe(6)
    expect(md).toContain("### Cohort `world-powered` (4 runs)")
  })

  it("a long cohort name is cut in the table, never the table's width", () => {
    const table = renderTable(evaluate(context, [{ name: "a-very-long-cohort-name-from-somewhere", runs: c2Runs(1, 2, 3) }]))
    for (const l of table.split("\n")) expect(l.length, l).toBeLessThanOrEqual(100)
    expect(table).toContain("a-very-long-coh… ")
  })
})

describe("verdicts.json", () => {
  it.effect("a file written before cohorts (rows without `cohort`) decodes; the gate lists its replication rows as gone and the cohort rows as new", () =>
    Effect.gen(function*() {
      const rows = evaluate(context, [{ name: "world-cpu", runs: [] }]).rows
      const dir = mkdtempSync(join(tmpdir(), "repro-verdicts-"))
      const path = join(dir, "verdicts.json")
      const old = JSON.parse(renderVerdictFile(rows)) as { about: string; rows: Array<Record<string, unknown>> }
      writeFileSync(path, JSON.stringify({ about: old.about, rows: old.rows.map(({ cohort: _, ...rest }) => rest) }))
      const file = (yield* readVerdictFile(path))!
      expect(file.rows.length).toBe(rows.length)
      expect(file.rows.every((r) => r.cohort === null)).toBe(true)
      const g = yield* gate(rows, false, path)
      const replication = rows.filter((r) => r.evidence === "replication").length
      expect(g.diff.length).toBe(2 * replication)
      expect(g.diff).toContain("- C2 replication: row gone (was insufficient-data)")
      expect(g.diff).toContain("+ C2 replication world-cpu: insufficient-data (new row)")
      expect(g.diff.some((l) => / (paper|authors-data)[: ]/.test(l))).toBe(false)
      expect(readFileSync(path, "utf8")).not.toContain('"cohort"') // the gate read it, never rewrote it
    }))

  it.effect("the cohort is written and read back", () =>
    Effect.gen(function*() {
      const rows = evaluate(context, [{ name: "world-cpu", runs: [] }]).rows
      const path = join(mkdtempSync(join(tmpdir(), "repro-verdicts-")), "verdicts.json")
      writeFileSync(path, renderVerdictFile(rows))
      expect(renderVerdictFile(rows)).toMatch(/^ {4}\{"claim":"C1","evidence":"replication","cohort":"world-cpu","verdict":/m)
      expect((yield* readVerdictFile(path))!.rows.map(rowKey)).toEqual(rows.map(rowKey))
      expect((yield* gate(rows, false, path)).diff).toEqual([])
    }))
})

describe("where cohorts come from", () => {
  it.effect("`--runs DIR` with role sub-folders (a verl import) is one cohort named DIR, its roles from the sub-folders", () =>
    Effect.gen(function*() {
      const dir = join(mkdtempSync(join(tmpdir(), "repro-cohort-")), "my-verl")
      mkdirSync(join(dir, "1shot-pi1"), { recursive: true })
      mkdirSync(join(dir, "full-set"), { recursive: true })
      copyFileSync(fixture("verl-console.txt"), join(dir, "1shot-pi1", "console.log"))
      copyFileSync(fixture("verl-console.txt"), join(dir, "full-set", "console.txt"))
      const result = yield* runRepro([dir])
      expect(result.cohorts.map((k) => [k.name, k.runs.map((r) => r.role)])).toEqual([["my-verl", ["1shot-pi1", "full-set"]]])
      expect(new Set(result.rows.filter((r) => r.evidence === "replication").map((r) => r.cohort))).toEqual(new Set(["my-verl"]))
    }))

  it.effect("the package layout: each sub-folder is a cohort, loose run files one more named after the folder", () =>
    Effect.gen(function*() {
      const root = join(mkdtempSync(join(tmpdir(), "repro-cohort-")), "runs")
      mkdirSync(join(root, "world-cpu"), { recursive: true })
      mkdirSync(join(root, "world-powered", "1shot-pi13"), { recursive: true })
      mkdirSync(join(root, ".hidden"), { recursive: true })
      copyFileSync(fixture("run-log.jsonl"), join(root, "world-cpu", "1shot-pi1.jsonl"))
      copyFileSync(fixture("verl-console.txt"), join(root, "world-powered", "1shot-pi13", "console.log"))
      copyFileSync(fixture("verl-console.txt"), join(root, "full-set.txt"))
      writeFileSync(join(root, "README.md"), "not a run")
      const dirs = yield* packageCohorts(root)
      expect(dirs.map((d) => [d.name, d.depth])).toEqual([["world-cpu", 3], ["world-powered", 3], ["runs", 1]])
      const result = yield* runRepro(dirs)
      expect(result.cohorts.map((k) => [k.name, k.runs.map((r) => r.role)])).toEqual([
        ["runs", ["full-set"]],
        ["world-cpu", ["1shot-pi1"]],
        ["world-powered", ["1shot-pi13"]]
      ])
      expect(yield* packageCohorts(join(root, "nope"))).toEqual([])
      // Only README.md loose: no `runs` cohort.
      const plain = join(mkdtempSync(join(tmpdir(), "repro-cohort-")), "runs")
      mkdirSync(join(plain, "world-cpu"), { recursive: true })
      writeFileSync(join(plain, "README.md"), "x")
      expect((yield* packageCohorts(plain)).map((d) => d.name)).toEqual(["world-cpu"])
    }))

  it.effect("two cohorts with one name are an error naming both directories", () =>
    Effect.gen(function*() {
      const e = yield* Effect.flip(cohortDirs(["/a/world-cpu", "/b/world-cpu/"]))
      expect(e._tag).toBe("InvalidInput")
      expect(e.message).toBe(
        "/b/world-cpu: expected run directories with distinct names (each is a cohort, named by its folder name; rename or move one), " +
          "got a second cohort named world-cpu (the first: /a/world-cpu)"
      )
      const root = join(mkdtempSync(join(tmpdir(), "repro-cohort-")), "runs")
      mkdirSync(join(root, "runs"), { recursive: true })
      copyFileSync(fixture("run-log.jsonl"), join(root, "a.jsonl"))
      expect((yield* Effect.flip(packageCohorts(root))).message).toMatch(/a second cohort named runs/)
      expect((yield* Effect.flip(runRepro(["/x/one", "/y/one"]))).message).toMatch(/a second cohort named one/)
    }))
})

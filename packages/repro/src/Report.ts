/**
 * Views of the verdict rows: a concise terminal table, `report/repro.md`
 * (claim table first, then details) and `report/index.html` (the same
 * Markdown rendered, with the plots after the claim table: seeds as thin
 * lines, their mean thick, 95% intervals as bands and error bars).
 * Replication is shown per cohort everywhere (a line per cohort under each
 * claim in the terminal, a column per cohort in the claim table, plots per
 * cohort), since a cohort's runs are never pooled with another's.
 */
import { FileError } from "@oneshot/core"
import { Effect } from "effect"
import { marked } from "marked"
import { mkdirSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Cohort } from "./Cohort.ts"
import { headline, type VerdictRow } from "./Evidence.ts"
import type { Statistic } from "./Replication.ts"
import { LATE, REPLICATION } from "./ReplicationChecks.ts"
import type { ReproResult } from "./Repro.ts"
import { runsOfRole, seedOf } from "./Roles.ts"
import { runLength, type RunRecord } from "./RunRecord.ts"
import { baseStat, type Metric, samples, windowStat } from "./RunStats.ts"
import { meanOf, sampleVariance, tQuantile975 } from "./Stats.ts"
import { barChart, escapeXml, intervalChart, lineChart, type LineSeries } from "./Svg.ts"

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length))

const num = (x: number, unit: string | null) => `${x >= 0 ? "+" : ""}${x.toFixed(unit === "tokens" ? 1 : 2)}`

/** A replication row in a few characters: verdict, estimate [CI] unit, seeds. */
export const replicationCell = (r: VerdictRow | undefined): string => {
  if (r === undefined) return "—"
  if (r.estimate === null) return r.verdict
  const ci = r.ci95 === null ? "" : ` [${num(r.ci95[0], r.unit)}, ${num(r.ci95[1], r.unit)}]`
  return `${r.verdict} ${num(r.estimate, r.unit)}${ci} ${r.unit ?? ""} (${r.seeds} seed${r.seeds === 1 ? "" : "s"})`
}

/** A claim's row of one kind of evidence (of one cohort, for replication). */
const rowOf = (rows: ReadonlyArray<VerdictRow>, claim: string, evidence: VerdictRow["evidence"], cohort: string | null = null) =>
  rows.find((r) => r.claim === claim && r.evidence === evidence && r.cohort === cohort)

/** The terminal's width: no line of the table is longer. */
export const TABLE_WIDTH = 100

/** A line cut to the width, with `…` where it was cut. */
const clip = (line: string, width: number = TABLE_WIDTH): string => (line.length <= width ? line : `${line.slice(0, width - 1)}…`)

/**
 * Greedy wrap to the width, breaking only at `sep` (`", "` keeps a count with
 * its verdict, a role with its `×k`); continuation lines indented by two
 * spaces; a piece longer than a line is clipped.
 */
export const wrap = (text: string, sep = ", ", width: number = TABLE_WIDTH): ReadonlyArray<string> => {
  const pieces = text.split(sep)
  const glue = sep.trimEnd()
  const out: Array<string> = []
  let line = pieces[0]!
  for (const [i, piece] of pieces.slice(1).entries()) {
    const next = `${line}${sep}${piece}`
    // A line that breaks later ends with the glue: room for it, unless this is the last piece.
    const room = i === pieces.length - 2 ? width : width - glue.length
    if (next.length <= room) line = next
    else {
      out.push(`${line}${glue}`)
      line = `  ${piece}`
    }
  }
  out.push(line)
  return out.map((l) => clip(l, width))
}

/** The runs of a cohort whose role no check uses. */
const unassignedIn = (result: ReproResult, k: Cohort) => k.runs.filter((r) => result.unassigned.includes(r))

/**
 * The terminal table: a line per claim with its first cohort's replication
 * cell, a line more per further cohort under it; then the tallies, the runs
 * of each cohort and what could not be used. Every line within 100 columns.
 */
export const renderTable = (result: ReproResult): string => {
  const cw = Math.min(16, Math.max("cohort".length, ...result.cohorts.map((k) => k.name.length)))
  const cohortCol = (name: string) => pad(name.length > cw ? `${name.slice(0, cw - 1)}…` : name, cw)
  const head = `${pad("claim", 5)} ${pad("paper", 12)} ${pad("authors-data", 12)}`
  const lines = [result.cohorts.length === 0 ? head : `${head} ${cohortCol("cohort")} replication: estimate [95% CI] unit (seeds)`, "-".repeat(TABLE_WIDTH)]
  for (const c of result.claims) {
    const left = `${pad(c.id, 5)} ${pad(rowOf(result.rows, c.id, "paper")?.verdict ?? "—", 12)} ${pad(rowOf(result.rows, c.id, "authors-data")?.verdict ?? "—", 12)}`
    if (result.cohorts.length === 0) lines.push(left.trimEnd())
    result.cohorts.forEach((k, i) =>
      lines.push(clip(`${i === 0 ? left : " ".repeat(left.length)} ${cohortCol(k.name)} ${replicationCell(rowOf(result.rows, c.id, "replication", k.name))}`))
    )
  }
  lines.push("-".repeat(TABLE_WIDTH))
  lines.push(...headline(result.rows, result.cohorts).flatMap((l) => wrap(l)))
  if (result.cohorts.length === 0) lines.push("runs: none found (no run directory)")
  for (const k of result.cohorts) {
    lines.push(...wrap(`runs in ${k.name} (${k.runs.length}): ${k.runs.length === 0 ? "none found" : roleSummary(k.runs)}`))
    const odd = unassignedIn(result, k)
    if (odd.length > 0) lines.push(...wrap(`unassigned in ${k.name} (no check uses their role): ${odd.map((r) => `${r.role} (${shortPath(r.path)})`).join(", ")}`))
  }
  for (const s of result.skipped) lines.push(...wrap(`skipped (not readable as a run): ${s.path}: ${s.reason}`, " "))
  return lines.join("\n")
}

/** `role ×k` for each role, in first-seen order. */
const roleSummary = (runs: ReadonlyArray<RunRecord>): string => {
  const counts = new Map<string, number>()
  for (const r of runs) counts.set(r.role, (counts.get(r.role) ?? 0) + 1)
  return [...counts.entries()].map(([role, k]) => (k === 1 ? role : `${role} ×${k}`)).join(", ")
}

/** The last two path segments: enough to find the file, and the same on every machine (the report is committed). */
const shortPath = (p: string) => p.split(/[\\/]/).slice(-2).join("/")

const figureOf = (stat: Statistic, r: RunRecord): string => {
  const v = stat.compute(r)
  return typeof v === "string" ? "—" : v.value.toFixed(1)
}

/**
 * A run's headline figures, computed from its log so that tables of per-seed
 * results are read off the report instead of typed by hand: test accuracy and
 * \boxed{} ratio (%, mean over benchmarks) of the base model (step 0) → their
 * mean over the last half of the run (the checks' LATE window), and whether its
 * evaluations log each problem's score (paired comparisons need it).
 */
export const runFigures = (r: RunRecord): string => {
  const arrow = (metric: Metric) => `${figureOf(baseStat(metric), r)} → ${figureOf(windowStat(metric, LATE, 1), r)}`
  const scored = r.evals.length > 0 && r.evals.every((e) => e.summary.problemScores !== undefined)
  return `test accuracy ${arrow({ kind: "test" })}, boxed ${arrow({ kind: "boxed" })} (step 0 → last half)${r.evals.length === 0 ? "" : scored ? ", per-problem scores" : ", no per-problem scores"}`
}

/** One line about a run: role, seed, source, file, size, figures, environment, warnings. */
export const describeRun = (r: RunRecord): string => {
  const env = r.env === undefined
    ? ""
    : `; ${r.env.backend} on ${r.env.device}${r.env.node ? `, node ${r.env.node}` : ""}${r.env.tfjs ? `, tfjs ${r.env.tfjs}` : ""}${r.env.gitCommit ? `, commit ${r.env.gitCommit.slice(0, 7)}` : ""}`
  const seed = seedOf(r)
  return `\`${r.role}\`${seed === undefined ? "" : ` seed ${seed}`}: ${r.source} \`${shortPath(r.path)}\`, ${runLength(r)} steps, ${r.evals.length} evaluations; ${runFigures(r)}${env}` +
    (r.warnings.length > 0 ? ` (warnings: ${r.warnings.join("; ")})` : "")
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ")

const generated = "Generated by `npm run repro` (`packages/repro`) from the paper's tables (`data/reported.json`), the authors' recorded history (`data/acc_step_500.json`) and the runs listed below"

const EVIDENCE_WORDS = [
  "Three kinds of evidence, never merged:",
  "",
  "- **paper** — what the paper's own numbers say about the claim as worded, by recomputation only (an average from its six numbers, a gain from two rows, a count). `consistent` / `inconsistent`. This is *not* evidence that the claim is true: it checks that the paper's words agree with its tables.",
  "- **authors-data** — recomputed from the authors' recorded files (`acc_step_500.json`). `holds` / `fails`.",
  "- **replication** — this project's recorded runs, one row per **cohort** (a folder of runs recorded under one protocol: one base model, one run length; a role's seeds are pooled within its cohort, never across), as statistics: an estimate, its 95% CI and the number of seeds. `replicates` (CI on the paper's side of zero), `contradicts` (CI excludes the paper's smallest effect of interest), `inconclusive` (neither; the detectable effect is printed), `insufficient-data` (a run, a seed or evaluations in a window are missing), `not-applicable` (no run of this project can test it, or the runs' regime is unlike the paper's)."
]

export const renderMarkdown = (result: ReproResult, plotsLink = true): string => {
  const rows = result.claims.map((c) => {
    const p = rowOf(result.rows, c.id, "paper")
    const a = rowOf(result.rows, c.id, "authors-data")
    const reps = result.cohorts.map((k) => ` ${cell(replicationCell(rowOf(result.rows, c.id, "replication", k.name)))} |`).join("")
    return `| ${c.id} | ${cell(c.statement)} | ${p === undefined ? "—" : `**${p.verdict}**`} | ${a === undefined ? "—" : `**${a.verdict}**`} |${reps}`
  })
  const details = result.claims.flatMap((c) => [
    `### ${c.id}`,
    "",
    `${cell(c.statement)} *(${cell(c.source)})*`,
    "",
    ...result.rows.filter((r) => r.claim === c.id).flatMap((r) => [
      `- **${r.evidence}${r.cohort === null ? "" : `, cohort ${cell(r.cohort)}`}: ${r.verdict}** — ${r.measured}`,
      `  - expected: ${r.expected}`,
      ...(r.evidence === "replication" && r.source !== "recorded runs" && r.source !== "no run analogue" ? [`  - ${r.source}`] : [])
    ]),
    ""
  ])
  const cohortRuns = (k: Cohort) => {
    const odd = unassignedIn(result, k)
    return [
      `### Cohort \`${k.name}\` (${k.runs.length} run${k.runs.length === 1 ? "" : "s"})`,
      "",
      k.runs.length === 0
        ? "No runs: every replication check of this cohort says `insufficient-data` and names the role that would settle it."
        : k.runs.map((r) => `- ${describeRun(r)}`).join("\n"),
      ...(odd.length === 0 ? [] : ["", `Unassigned runs (no check uses their role): ${odd.map((r) => `\`${r.role}\` (\`${shortPath(r.path)}\`)`).join(", ")}.`]),
      ""
    ]
  }
  const runs = result.cohorts.length === 0
    ? ["No runs found (no run directory): there are no replication rows."]
    : [
      "Runs are read in cohorts: each folder of runs is one protocol (base model, run length, seeds), and a role's runs are pooled within its cohort only.",
      "",
      ...result.cohorts.flatMap(cohortRuns)
    ]
  const replicationHeads = result.cohorts.map((k) => ` replication, ${cell(k.name)} (estimate, 95% CI, seeds) |`).join("")
  return [
    "# Reproduction report: arXiv 2504.20571",
    "",
    `${generated}.${plotsLink ? " Plots: [index.html](index.html)." : ""}`,
    "",
    ...headline(result.rows, result.cohorts).map((l) => (l.startsWith("  ") ? `  - ${l.trim()}` : `- ${l}`)),
    "",
    "## Claims",
    "",
    `| claim | statement | paper | authors' data |${replicationHeads}`,
    `|---|---|---|---|${result.cohorts.map(() => "---|").join("")}`,
    ...rows,
    "",
    "<!-- plots -->",
    "",
    "## How to read the verdicts",
    "",
    ...EVIDENCE_WORDS,
    "",
    "## Runs",
    "",
    ...runs,
    ...(result.skipped.length === 0 ? [] : ["", "Files skipped (not readable as a run):", "", ...result.skipped.map((s) => `- \`${shortPath(s.path)}\`: ${cell(s.reason)}`)]),
    "",
    "## Details, claim by claim",
    "",
    ...details
  ].join("\n")
}

const HISTORY_PLOT_IDS = ["124", "682"] as const

/** Test accuracy of every run of a role: seeds thin, their mean thick, a 95% band around the mean. */
export const rolePlot = (runs: ReadonlyArray<RunRecord>, role: string, metric: "test" | "train" = "test", color = 0): ReadonlyArray<LineSeries> => {
  const g = runsOfRole(runs, role)
  if (g.runs.length === 0) return []
  const perSeed = g.runs.map((r) => samples(r, { kind: metric }))
  const steps = [...new Set(perSeed.flatMap((s) => s.map((p) => p.step)))].sort((a, b) => a - b)
  const at = (s: ReturnType<typeof samples>, step: number) => s.find((p) => p.step === step)
  const meanPts = steps.flatMap((step) => {
    const vs = perSeed.map((s) => at(s, step)).filter((p) => p !== undefined)
    return vs.length === perSeed.length ? [{ step, values: vs.map((p) => p.value), evalVar: meanOf(vs.map((p) => p.variance)) }] : []
  })
  const band = meanPts.map((p) => {
    const k = p.values.length
    const seedVar = k >= 2 ? sampleVariance(p.values) / k : 0
    const half = tQuantile975(k >= 2 ? k - 1 : Number.POSITIVE_INFINITY) * Math.sqrt(seedVar + p.evalVar)
    const m = meanOf(p.values)
    return [p.step, m - half, m + half] as const
  })
  const thin: Array<LineSeries> = g.runs.length < 2 ? [] : perSeed.map((s, i) => ({
    name: `${g.role} seed ${seedOf(g.runs[i]!) ?? i}`,
    points: s.map((p) => [p.step, p.value] as const),
    width: 0.8,
    color,
    hideInLegend: true
  }))
  return [
    ...thin,
    { name: `${g.role} (mean of ${g.runs.length} run${g.runs.length === 1 ? "" : "s"})`, points: meanPts.map((p) => [p.step, meanOf(p.values)] as const), width: 2.5, color, band, style: "line+dots" }
  ]
}

const COMPARISONS: ReadonlyArray<{ readonly title: string; readonly roles: ReadonlyArray<string> }> = [
  { title: "1-shot π1, π13 and the full set (C2, C3, C4)", roles: ["1shot-pi1", "1shot-pi13", "full-set"] },
  { title: "Outcome vs format reward (C7, C18, C40)", roles: ["1shot-pi13", "format-baseline", "1shot-pi1", "format-1shot-pi1"] },
  { title: "Loss ablations (C35–C37)", roles: ["ablation-pg-only", "ablation-pg-wd-kl", "ablation-pg-ent", "ablation-wd-kl", "ablation-ent-0.003"] },
  { title: "Exploration (C38) and entropy alone (C39)", roles: ["1shot-pi1-no-ent", "1shot-pi1", "1shot-pi1-t1.0", "ablation-ent-only"] },
  { title: "Labels (C44a, C44b)", roles: ["label-correct-pi1", "label-wrong-pi1", "label-unguessable-pi1", "label-noise-60", "label-noise-90"] }
]

export interface Plot {
  readonly title: string
  readonly svg: string
}

/** A cohort's plots: its replication estimates, then its runs by comparison and their training accuracy. */
const cohortPlots = (result: ReproResult, k: Cohort): ReadonlyArray<Plot> => {
  const plots: Array<Plot> = []
  const reps = result.rows.filter((r) => r.evidence === "replication" && r.cohort === k.name && r.ci95 !== null && r.unit === "pp")
  if (reps.length > 0) {
    plots.push({
      title: `Cohort ${k.name}: replication estimates in percentage points with their 95% intervals (every seed of each role in this cohort).`,
      svg: intervalChart({
        title: `Replication, cohort ${k.name}: estimate and 95% CI per claim (pp)`,
        unit: "pp",
        rows: reps.map((r) => {
          const d = REPLICATION[r.claim]?.find((s) => r.measured.startsWith(s.label))?.direction
          const ref = d === undefined ? undefined : d.kind === "greater" ? d.sesoi : d.kind === "less" ? -d.sesoi : d.margin
          return { label: `${r.claim} ${r.verdict}`, estimate: r.estimate!, lo: r.ci95![0], hi: r.ci95![1], ...(ref === undefined ? {} : { reference: ref }) }
        })
      })
    })
  }
  for (const c of COMPARISONS) {
    const series = c.roles.flatMap((role, i) => rolePlot(k.runs, role, "test", i))
    if (series.length === 0) continue
    plots.push({
      title: `Cohort ${k.name}, ${c.title}: test accuracy (mean over benchmarks). Thin lines: single seeds; thick: their mean; band: 95% interval (seeds and evaluation noise).`,
      svg: lineChart({ title: `${c.title} — ${k.name}`, xLabel: "training step", yLabel: "test accuracy (%)", series })
    })
  }
  const oneShot = ["1shot-pi1", "1shot-pi13", "full-set"].flatMap((role, i) => rolePlot(k.runs, role, "train", i))
  if (oneShot.length > 0) {
    plots.push({
      title: `Cohort ${k.name}: training accuracy (critic/score/mean) of 1-shot π1, π13 and the full set (C10, C12).`,
      svg: lineChart({ title: `Training accuracy — ${k.name}`, xLabel: "training step", yLabel: "training accuracy (%)", series: oneShot, yRange: [0, 100] })
    })
  }
  return plots
}

/** The plots: per cohort (by name) its replication estimates and runs, then the authors' data and the paper's tables. */
export const renderPlots = (result: ReproResult): ReadonlyArray<Plot> => {
  const plots: Array<Plot> = result.cohorts.flatMap((k) => cohortPlots(result, k))
  const { reported, history } = result.context
  const hist = (id: string) => history.find(([k]) => k === id)?.[1] ?? []
  plots.push({
    title: "Authors' full-set run: training accuracy of π1 and π13 each time they were sampled (acc_step_500.json).",
    svg: lineChart({
      title: "Recorded training accuracy history (DSR-sub, 500 steps)",
      xLabel: "appearance in a batch",
      yLabel: "fraction of 8 rollouts correct",
      series: HISTORY_PLOT_IDS.map((id) => ({ name: id === "124" ? "π1 (idx 124)" : "π13 (idx 682)", points: hist(id).map((v, i) => [i + 1, v] as const) })),
      yRange: [0, 1]
    })
  })
  const t = reported.trajectory
  plots.push({
    title: "Table 15: π1 MATH500 accuracy and \\boxed{} ratio by step (the paper's numbers).",
    svg: lineChart({
      title: "π1 run, MATH500 (Table 15)",
      xLabel: "training step",
      yLabel: "accuracy (%)",
      yRightLabel: "boxed ratio (%)",
      series: [
        { name: "Qwen-eval accuracy", points: t.steps.map((s, i) => [s, t.qwenEval[i]!] as const), style: "line+dots" },
        { name: "QwQ-32B judge accuracy", points: t.steps.map((s, i) => [s, t.qwqJudge[i]!] as const), style: "line+dots" },
        { name: "boxed ratio", points: t.steps.map((s, i) => [s, t.boxedRatio[i]!] as const), right: true, style: "line+dots" }
      ]
    })
  })
  const cat = (id: string) => reported.categories.rows.find((r) => r.id === id)!
  plots.push({
    title: "Table 3: MATH500 accuracy per category (the paper's numbers).",
    svg: barChart({
      title: "MATH500 by category (Table 3, best MATH500 checkpoint)",
      categories: reported.categories.subjects,
      groups: ["base", "format", "pi1", "pi13", "dsr-sub"].map((id) => ({ name: cat(id).row, values: cat(id).subjects })),
      yLabel: "accuracy (%)"
    })
  })
  return plots
}

const STYLE = `body{font-family:sans-serif;margin:2em;max-width:1400px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}
th{background:#f4f4f4}code{background:#f4f4f4;padding:0 2px}
figure{display:inline-block;margin:1em}figcaption{font-size:12px;color:#333;max-width:680px}`

/** The Markdown report rendered to HTML, with the plots after the claim table. Offline: inline SVG, no scripts. */
export const renderHtml = (result: ReproResult): string => {
  const body = marked.parse(renderMarkdown(result, false), { async: false, gfm: true })
  const plots = renderPlots(result).map((p) => `<figure>${p.svg}<figcaption>${escapeXml(p.title)}</figcaption></figure>`)
  const withPlots = body.replace("<!-- plots -->", `<h2>Plots</h2>\n${plots.join("\n")}`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reproduction report: arXiv 2504.20571</title>
<style>
${STYLE}
</style></head><body>
${withPlots}
</body></html>
`
}

/** Writes a file atomically: temp file, then rename. */
const writeAtomic = (path: string, text: string): Effect.Effect<void, FileError> =>
  Effect.try({
    try: () => {
      const tmp = `${path}.tmp-${process.pid}`
      writeFileSync(tmp, text)
      renameSync(tmp, path)
    },
    catch: (e) => new FileError({ path, operation: "write", reason: String(e), cause: e })
  })

/**
 * Writes `repro.md` and `index.html` into `dir`; returns their paths. The files
 * depend only on the inputs, so re-running on the same data leaves a committed
 * report unchanged.
 */
export const writeReport = (result: ReproResult, dir: string): Effect.Effect<ReadonlyArray<string>, FileError> =>
  Effect.gen(function*() {
    yield* Effect.try({ try: () => mkdirSync(dir, { recursive: true }), catch: (e) => new FileError({ path: dir, operation: "create", reason: String(e), cause: e }) })
    const mdPath = join(dir, "repro.md")
    const htmlPath = join(dir, "index.html")
    yield* writeAtomic(mdPath, renderMarkdown(result).replace("<!-- plots -->\n\n", ""))
    yield* writeAtomic(htmlPath, renderHtml(result))
    return [mdPath, htmlPath]
  })

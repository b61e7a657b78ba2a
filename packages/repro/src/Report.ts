/**
 * Renders the outcome of `repro`: a terminal table, `report/repro.md` and a
 * self-contained `report/index.html` with plots made in code (inline SVG).
 */
import { FileError } from "@oneshot/core"
import { Effect } from "effect"
import { mkdirSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ClaimOutcome, ReproResult } from "./Repro.ts"
import { metricSeries, ENTROPY, RESPONSE_LENGTH, runLength, type RunRecord, testAccuracy, trainAccuracy } from "./RunRecord.ts"
import { runSaturation } from "./RunChecks.ts"
import { checkAverages } from "./RecordedChecks.ts"
import { barChart, escapeXml, lineChart } from "./Svg.ts"
import type { CheckResult, Verdict } from "./Verdict.ts"

const VERDICTS: ReadonlyArray<Verdict> = ["holds", "fails", "insufficient-data", "not-applicable"]

export const verdictCounts = (results: ReadonlyArray<CheckResult>): Record<Verdict, number> =>
  Object.fromEntries(VERDICTS.map((v) => [v, results.filter((r) => r.verdict === v).length])) as Record<Verdict, number>

const summaryLine = (result: ReproResult): string => {
  const main = verdictCounts(result.outcomes.map((o) => o.result))
  const recorded = result.outcomes.filter((o) => o.kind !== "run-check")
  const onRuns = verdictCounts(result.outcomes.flatMap((o) => (o.kind === "run-check" ? [o.result] : o.onRuns === undefined ? [] : [o.onRuns])))
  return `${result.outcomes.length} claims: ${VERDICTS.map((v) => `${main[v]} ${v}`).join(", ")}. ` +
    `Recorded data (regression + property): ${recorded.filter((o) => o.result.verdict === "holds").length}/${recorded.length} hold. ` +
    `Checks on runs (${result.runs.length} run${result.runs.length === 1 ? "" : "s"}): ${VERDICTS.map((v) => `${onRuns[v]} ${v}`).join(", ")}.`
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length))

/** The terminal table: one row per claim, then what was measured and expected. */
export const renderTable = (result: ReproResult): string => {
  const lines = [
    `${pad("claim", 6)} ${pad("kind", 11)} ${pad("verdict", 18)} ${pad("on runs", 18)} source`,
    "-".repeat(100)
  ]
  for (const o of result.outcomes) {
    lines.push(`${pad(o.id, 6)} ${pad(o.kind, 11)} ${pad(o.result.verdict, 18)} ${pad(o.onRuns?.verdict ?? "—", 18)} ${o.source}`)
    lines.push(`       measured: ${o.result.measured}`)
    lines.push(`       expected: ${o.result.expected}`)
    if (o.onRuns !== undefined) lines.push(`       on runs:  ${o.onRuns.measured}${o.onRuns.needs.length > 0 ? ` (needs ${o.onRuns.needs.join(", ")})` : ""}`)
  }
  lines.push("-".repeat(100))
  lines.push(`runs: ${result.runs.length === 0 ? "none found" : result.runs.map((r) => `${r.role} (${r.source}, ${runLength(r)} steps)`).join(", ")}`)
  for (const s of result.skipped) lines.push(`skipped (not readable as a run): ${s.path}: ${s.reason}`)
  const six = result.context.reported.sixBench
  lines.push(`all reported averages: ${checkAverages(six.filter((r) => r.unit === undefined), "accuracy rows").measured}; ${checkAverages(six.filter((r) => r.unit === "tokens"), "token rows (Table 19)").measured}`)
  const paper = result.onPaper
  lines.push(`run-checks on the paper's own numbers (reported runs): ${paper.filter((p) => p.result.verdict === "holds").length}/${paper.length} agree with the paper` +
    (paper.some((p) => p.result.verdict !== "holds") ? ` (disagree: ${paper.filter((p) => p.result.verdict !== "holds").map((p) => p.id).join(", ")})` : ""))
  lines.push(summaryLine(result))
  return lines.join("\n")
}

/** The last two path segments: enough to find the file, and the same on every machine (the report is committed). */
const shortPath = (p: string) => p.split(/[\\/]/).slice(-2).join("/")

/** One line about a run: role, source, file, size, environment (backend, device, versions, commit), warnings. */
export const describeRun = (r: RunRecord): string => {
  const env = r.env === undefined
    ? ""
    : `; ${r.env.backend} on ${r.env.device}${r.env.node ? `, node ${r.env.node}` : ""}${r.env.tfjs ? `, tfjs ${r.env.tfjs}` : ""}${r.env.gitCommit ? `, commit ${r.env.gitCommit.slice(0, 7)}` : ""}`
  return `${r.role}: ${r.source} ${shortPath(r.path)}, ${runLength(r)} steps, ${r.evals.length} evaluations${env}` +
    (r.warnings.length > 0 ? ` (warnings: ${r.warnings.join("; ")})` : "")
}

const md = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ")

const needs = (r: CheckResult) => (r.needs.length > 0 ? ` — needs run ${r.needs.map((n) => `\`${n}\``).join(", ")}` : "")

const generated = (at: string | undefined) =>
  `Generated${at === undefined ? "" : ` ${at}`} by \`npm run repro\` (\`packages/repro\`) from the recorded data and the runs listed below`

export const renderMarkdown = (result: ReproResult, generatedAt?: string): string => {
  const rows = result.outcomes.map((o) =>
    `| ${o.id} | ${md(o.statement)} | ${md(o.source)} | ${o.kind} | **${o.result.verdict}** | ${md(o.result.measured)} | ${md(o.result.expected)}${md(needs(o.result))} | ${o.onRuns === undefined ? "—" : `${o.onRuns.verdict}: ${md(o.onRuns.measured)}${md(needs(o.onRuns))}`} |`
  )
  const runs = result.runs.length === 0
    ? "No runs found in `packages/repro/runs/`: every run-check says `insufficient-data` and names the run (role) that would settle it."
    : result.runs.map((r) => `- ${md(describeRun(r))}`).join("\n")
  const skipped = result.skipped.length === 0 ? [] : ["", "Files skipped (not readable as a run):", "", ...result.skipped.map((s) => `- \`${shortPath(s.path)}\`: ${md(s.reason)}`)]
  return [
    "# Reproduction report: arXiv 2504.20571",
    "",
    `${generated(generatedAt)}. Plots: [index.html](index.html).`,
    "",
    summaryLine(result),
    "",
    "Verdicts: **holds** — the data agree with the claim as the paper words it; **fails** — they contradict it; " +
      "**insufficient-data** — the run(s) named are missing; **not-applicable** — no data this project can have settles it. " +
      "Kinds: **regression** and **property** are checked on the authors' recorded data (the `acc_step_500.json` history and the paper's tables) and decide the exit code; " +
      "**run-check** needs training runs. “On runs” is the same claim tested on the discovered runs.",
    "",
    "## Runs",
    "",
    runs,
    ...skipped,
    "",
    "## Claims",
    "",
    "| claim | statement | source | kind | verdict | measured | expected | on runs |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "## The run-checks on the paper's own numbers",
    "",
    "The comparisons between runs, applied to the paper's reported checkpoints as runs (`src/ReportedRuns.ts`): a check of the checks, which must agree with the paper where it has numbers.",
    "",
    "| claim | verdict | measured | expected |",
    "|---|---|---|---|",
    ...result.onPaper.map((p) => `| ${p.id} | **${p.result.verdict}** | ${md(p.result.measured)} | ${md(p.result.expected)} |`),
    ""
  ].join("\n")
}

const pctPoints = (s: ReadonlyArray<{ step: number; value: number }>) => s.map((p) => [p.step, 100 * p.value] as const)

/** The plots: the authors' data always; one set per discovered run. */
export const renderPlots = (result: ReproResult): ReadonlyArray<{ readonly title: string; readonly svg: string }> => {
  const { reported, history } = result.context
  const plots: Array<{ title: string; svg: string }> = []
  const hist = (id: string) => history.find(([k]) => k === id)?.[1] ?? []
  plots.push({
    title: "Authors' full-set run: training accuracy of π1 and π13 each time they were sampled (acc_step_500.json)",
    svg: lineChart({
      title: "Recorded training accuracy history (DSR-sub, 500 steps)",
      xLabel: "appearance in a batch",
      yLabel: "fraction of 8 rollouts correct",
      series: [
        { name: "π1 (idx 124)", points: hist("124").map((v, i) => [i + 1, v] as const) },
        { name: "π13 (idx 682)", points: hist("682").map((v, i) => [i + 1, v] as const) }
      ],
      yRange: [0, 1]
    })
  })
  const t = reported.trajectory
  plots.push({
    title: "Table 15: π1 MATH500 accuracy and \\boxed{} ratio by step",
    svg: lineChart({
      title: "π1 run, MATH500 (Table 15)",
      xLabel: "training step",
      yLabel: "accuracy (%)",
      yRightLabel: "boxed ratio (%)",
      series: [
        { name: "Qwen-eval accuracy", points: t.steps.map((s, i) => [s, t.qwenEval[i]!] as const), style: "line+dots" },
        { name: "QwQ-32B judge accuracy", points: t.steps.map((s, i) => [s, t.qwqJudge[i]!] as const), style: "line+dots" },
        { name: "boxed ratio", points: t.steps.map((s, i) => [s, t.boxedRatio[i]!] as const), right: true, style: "line+dots" }
      ],
      markers: [{ x: 100, label: "saturation (< step 100)" }]
    })
  })
  const cat = (id: string) => reported.categories.rows.find((r) => r.id === id)!
  plots.push({
    title: "Table 3: MATH500 accuracy per category",
    svg: barChart({
      title: "MATH500 by category (Table 3, best MATH500 checkpoint)",
      categories: reported.categories.subjects,
      groups: ["base", "format", "pi1", "pi13", "dsr-sub"].map((id) => ({ name: cat(id).row, values: cat(id).subjects })),
      yLabel: "accuracy (%)"
    })
  })
  for (const run of result.runs) plots.push(...runPlots(run))
  return plots
}

export const runPlots = (run: RunRecord): ReadonlyArray<{ readonly title: string; readonly svg: string }> => {
  const out: Array<{ title: string; svg: string }> = []
  const train = trainAccuracy(run)
  const test = testAccuracy(run)
  if (train.length > 0 || test.length > 0) {
    const tSat = runSaturation(run)
    out.push({
      title: `${run.role}: training vs test accuracy`,
      svg: lineChart({
        title: `${run.role}: training accuracy vs test accuracy`,
        xLabel: "training step",
        yLabel: "accuracy (%)",
        series: [
          { name: "training (critic/score/mean)", points: pctPoints(train) },
          { name: "test (avg over benchmarks)", points: pctPoints(test), style: test.length < 30 ? "dots" : "line" }
        ],
        markers: tSat === undefined ? [] : [{ x: tSat, label: `saturation, step ${tSat}` }],
        yRange: [0, 100]
      })
    })
  }
  const ent = metricSeries(run, ENTROPY)
  const len = metricSeries(run, RESPONSE_LENGTH)
  if (ent.length > 0 || len.length > 0) {
    out.push({
      title: `${run.role}: entropy and response length`,
      svg: lineChart({
        title: `${run.role}: entropy and training response length`,
        xLabel: "training step",
        yLabel: "entropy",
        yRightLabel: "response length (tokens)",
        series: [
          { name: "entropy", points: ent.map((p) => [p.step, p.value] as const) },
          { name: "response_length/mean", points: len.map((p) => [p.step, p.value] as const), right: true }
        ]
      })
    })
  }
  const withSubjects = run.evals.filter((e) => Object.keys(e.summary.bySubject).length > 0)
  if (withSubjects.length > 0) {
    const first = withSubjects[0]!
    const bench = first.summary.benchmark
    const same = withSubjects.filter((e) => e.summary.benchmark === bench)
    const best = same.reduce((b, e) => (e.summary.accuracy > b.summary.accuracy ? e : b), same[0]!)
    const subjects = Object.keys(first.summary.bySubject).sort()
    out.push({
      title: `${run.role}: per-category accuracy`,
      svg: barChart({
        title: `${run.role}: ${bench} by category (step ${first.step} vs best, step ${best.step})`,
        categories: subjects,
        groups: [
          { name: `step ${first.step}`, values: subjects.map((s) => 100 * (first.summary.bySubject[s]?.accuracy ?? 0)) },
          { name: `step ${best.step}`, values: subjects.map((s) => 100 * (best.summary.bySubject[s]?.accuracy ?? 0)) }
        ],
        yLabel: "accuracy (%)"
      })
    })
  }
  return out
}

const CLASS: Record<Verdict, string> = { holds: "ok", fails: "bad", "insufficient-data": "na", "not-applicable": "na" }

export const renderHtml = (result: ReproResult, generatedAt?: string): string => {
  const rows = result.outcomes.map((o: ClaimOutcome) =>
    `<tr><td>${o.id}</td><td>${escapeXml(o.statement)}</td><td>${escapeXml(o.source)}</td><td>${o.kind}</td>` +
    `<td class="${CLASS[o.result.verdict]}">${o.result.verdict}</td><td>${escapeXml(o.result.measured)}</td><td>${escapeXml(o.result.expected + needs(o.result))}</td>` +
    `<td class="${o.onRuns === undefined ? "" : CLASS[o.onRuns.verdict]}">${o.onRuns === undefined ? "—" : `${o.onRuns.verdict}: ${escapeXml(o.onRuns.measured + needs(o.onRuns))}`}</td></tr>`
  )
  const plots = renderPlots(result).map((p) => `<figure>${p.svg}<figcaption>${escapeXml(p.title)}</figcaption></figure>`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reproduction report: arXiv 2504.20571</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:1400px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}
th{background:#f4f4f4}.ok{background:#e3f6e3}.bad{background:#fbe0e0}.na{background:#f3f3f3;color:#555}
figure{display:inline-block;margin:1em}figcaption{font-size:12px;color:#333;max-width:680px}
</style></head><body>
<h1>Reproduction report: arXiv 2504.20571</h1>
<p>${escapeXml(generated(generatedAt))}. ${escapeXml(summaryLine(result))}</p>
${result.skipped.length === 0 ? "" : `<p><b>Files skipped</b> (not readable as a run): ${result.skipped.map((s) => `<code>${escapeXml(shortPath(s.path))}</code>: ${escapeXml(s.reason)}`).join("; ")}</p>`}
<h2>Runs</h2>
${result.runs.length === 0 ? "<p>No runs found: every run-check says insufficient-data and names the run (role) that would settle it.</p>" : `<ul>${result.runs.map((r) => `<li>${escapeXml(describeRun(r))}</li>`).join("")}</ul>`}
<h2>Plots</h2>
${plots.join("\n")}
<h2>Claims</h2>
<table><thead><tr><th>claim</th><th>statement</th><th>source</th><th>kind</th><th>verdict</th><th>measured</th><th>expected</th><th>on runs</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>
<h2>The run-checks on the paper's own numbers</h2>
<p>The comparisons between runs, applied to the paper's reported checkpoints as runs: a check of the checks.</p>
<table><thead><tr><th>claim</th><th>verdict</th><th>measured</th><th>expected</th></tr></thead><tbody>
${result.onPaper.map((p) => `<tr><td>${p.id}</td><td class="${CLASS[p.result.verdict]}">${p.result.verdict}</td><td>${escapeXml(p.result.measured)}</td><td>${escapeXml(p.result.expected)}</td></tr>`).join("\n")}
</tbody></table>
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
    catch: (e) => new FileError({ path, operation: "write", reason: String(e) })
  })

/**
 * Writes `repro.md` and `index.html` into `dir`; returns their paths. Without
 * `generatedAt` the files depend only on the inputs, so re-running on the same
 * data leaves a committed report unchanged.
 */
export const writeReport = (result: ReproResult, dir: string, generatedAt?: string): Effect.Effect<ReadonlyArray<string>, FileError> =>
  Effect.gen(function*() {
    yield* Effect.try({ try: () => mkdirSync(dir, { recursive: true }), catch: (e) => new FileError({ path: dir, operation: "create", reason: String(e) }) })
    const mdPath = join(dir, "repro.md")
    const htmlPath = join(dir, "index.html")
    yield* writeAtomic(mdPath, renderMarkdown(result, generatedAt))
    yield* writeAtomic(htmlPath, renderHtml(result, generatedAt))
    return [mdPath, htmlPath]
  })

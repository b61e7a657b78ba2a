/**
 * Checks on the authors' recorded data: the accuracy history and the paper's
 * reported tables. Each compares numbers and can fail; the registry words them.
 */
import { populationStd, rankByHistoricalVariance } from "@oneshot/core"
import type { AccuracyHistory } from "./RecordedHistory.ts"
import { BENCHMARKS, type Reported, type SixBenchRow } from "./Reported.ts"
import { kendallTau, mean } from "./Series.ts"
import { type CheckResult, judge } from "./Verdict.ts"

/** Rounding tolerance of a reported average: half a unit of its last digit (0.05 pts, 0.5 tokens). */
export const avgTolerance = (row: SixBenchRow): number => (row.unit === "tokens" ? 0.5 : 0.05) + 1e-9

/** |mean of the six numbers − reported avg| for a row. */
export const avgError = (row: SixBenchRow): number => Math.abs(mean(row.scores)! - row.avg)

/** Every reported six-benchmark average equals the mean of its six numbers, within rounding. */
export const checkAverages = (rows: ReadonlyArray<SixBenchRow>, label: string): CheckResult => {
  const bad = rows.filter((r) => avgError(r) > avgTolerance(r))
  const worst = rows.reduce((w, r) => Math.max(w, avgError(r)), 0)
  return judge(rows.length > 0 && bad.length === 0, {
    measured: `${label}: ${rows.length - bad.length}/${rows.length} averages match their six numbers (worst |Δ| ${worst.toFixed(3)})` +
      (bad.length > 0 ? `; off: ${bad.map((r) => `${r.id} mean ${mean(r.scores)!.toFixed(2)} vs ${r.avg}`).join(", ")}` : ""),
    expected: "each Avg = mean of its 6 benchmarks ± 0.05 (± 0.5 tokens)",
    numbers: { rows: rows.length, mismatches: bad.length, worstError: worst }
  })
}

/** `a − b` equals `expected` within `tol` (numbers as printed in the paper). */
export const checkDifference = (label: string, a: number, b: number, expected: number, tol = 0.05): CheckResult => {
  const d = a - b
  return judge(Math.abs(d - expected) <= tol + 1e-9, {
    measured: `${label}: ${num(a)} − ${num(b)} = ${d.toFixed(1)}`,
    expected: `${expected.toFixed(1)} ± ${tol}`,
    numbers: { [label]: d }
  })
}

/** A number as a reader wants it: no binary-rounding tails (16.200000000000003 → 16.2). */
export const num = (x: number): string => Number(x.toPrecision(6)).toString()

/** A comparison of two reported numbers; for `>`, `<`, … the label must state the relation. */
export const checkCompare = (label: string, a: number, op: ">" | ">=" | "<" | "<=" | "≈", b: number, tol = 0): CheckResult => {
  const ok = op === ">" ? a > b : op === ">=" ? a >= b - tol - 1e-9 : op === "<" ? a < b : op === "<=" ? a <= b + tol + 1e-9 : Math.abs(a - b) <= tol + 1e-9
  return judge(ok, {
    measured: `${label}: ${num(a)} vs ${num(b)}`,
    // Comparison labels state the relation themselves ("ARC-E π1 > base").
    expected: op === "≈" ? `${label}: ${tol === 0 ? "equal" : `|Δ| ≤ ${tol}`}` : `${label}${tol > 0 ? ` (tolerance ${tol})` : ""}`,
    numbers: { [label]: a - b }
  })
}

/** Two rows report the same six numbers (the same run quoted in two tables). */
export const checkSameScores = (a: SixBenchRow, b: SixBenchRow): CheckResult => {
  const same = a.scores.every((x, i) => x === b.scores[i]) && a.avg === b.avg
  return judge(same, {
    measured: `${a.table} ${a.row} [${a.scores.join(", ")} | ${a.avg}] vs ${b.table} ${b.row} [${b.scores.join(", ")} | ${b.avg}]`,
    expected: "identical numbers"
  })
}

/** Best-per-benchmark values (Tables 9/11) are ≥ the values at the best-avg checkpoint of the same run. */
export const checkBestDominates = (reported: Reported, ids: ReadonlyArray<string>): CheckResult => {
  const problems: Array<string> = []
  let compared = 0
  for (const id of ids) {
    const best = reported.bestPerBenchmark.find((r) => r.id === id)
    const avgRow = best?.bestAvgRow === undefined ? undefined : reported.sixBench.find((r) => r.id === best.bestAvgRow)
    if (best === undefined || avgRow === undefined) {
      problems.push(`${id}: no paired best-avg row`)
      continue
    }
    compared++
    best.scores.forEach((v, i) => {
      if (v < avgRow.scores[i]!) problems.push(`${id} ${BENCHMARKS[i]} ${v} < ${avgRow.scores[i]}`)
    })
  }
  return judge(problems.length === 0, {
    measured: problems.length === 0 ? `${compared} runs: every best-per-benchmark value ≥ its best-avg checkpoint value` : problems.join("; "),
    expected: "max over checkpoints ≥ value at the best-avg checkpoint, for every benchmark",
    numbers: { runs: compared, violations: problems.length }
  })
}

/** Statistics of the recorded history that claims.md §3 verified. */
export interface HistoryStats {
  readonly examples: number
  readonly entries: number
  readonly minLength: number
  readonly maxLength: number
  readonly zeroVariance: number
  readonly allZero: number
  readonly allOne: number
}

export const historyStats = (history: AccuracyHistory): HistoryStats => {
  const lengths = history.map(([, a]) => a.length)
  const constant = history.filter(([, a]) => a.every((x) => x === a[0]))
  return {
    examples: history.length,
    entries: lengths.reduce((a, b) => a + b, 0),
    minLength: Math.min(...lengths),
    maxLength: Math.max(...lengths),
    zeroVariance: history.filter(([, a]) => populationStd(a) === 0).length,
    allZero: constant.filter(([, a]) => a[0] === 0).length,
    allOne: constant.filter(([, a]) => a[0] === 1).length
  }
}

/** The DSR-sub indices of the examples printed in the paper's appendix, by π rank (claims.md §3). */
export const APPENDIX_INDICES: Readonly<Record<number, string>> = {
  1: "124", 2: "267", 3: "531", 4: "931", 5: "212", 6: "25", 7: "568", 8: "131", 9: "649", 10: "724",
  11: "875", 12: "925", 13: "682", 14: "100", 15: "291", 16: "50", 17: "870",
  605: "60", 606: "906", 1201: "847", 1207: "174", 1208: "770", 1209: "789"
}

/** C46: the historical-variance ranking recomputed from the recorded history. */
export const checkRanking = (history: AccuracyHistory): CheckResult => {
  const stats = historyStats(history)
  const ranked = rankByHistoricalVariance(history)
  const byRank = (r: number) => ranked[r - 1]?.id
  const wrong = Object.entries(APPENDIX_INDICES).filter(([r, id]) => byRank(Number(r)) !== id)
  const std = (id: string) => ranked.find((e) => e.id === id)?.variance ?? Number.NaN
  // Ranking by the unbiased variance (ddof=1) gives the same top 15 (claims.md §3).
  const unbiased = [...history]
    .map(([id, a]) => ({ id, v: a.length < 2 ? 0 : (populationStd(a) ** 2 * a.length) / (a.length - 1) }))
    .sort((a, b) => b.v - a.v)
    .slice(0, 15)
    .map((e) => e.id)
  const sameTop15 = unbiased.every((id, i) => id === ranked[i]!.id)
  const ok = stats.examples === 1209 && stats.entries === 64000 && stats.zeroVariance === 104 && stats.allZero === 99 &&
    stats.allOne === 5 && stats.minLength === 44 && stats.maxLength === 57 && wrong.length === 0 &&
    Math.abs(std("124") - 0.406756) < 5e-6 && Math.abs(std("682") - 0.272608) < 5e-6 && sameTop15
  return judge(ok, {
    measured: `${stats.examples} examples, ${stats.entries} entries (lengths ${stats.minLength}–${stats.maxLength}), ` +
      `${stats.zeroVariance} zero-variance (${stats.allZero} all-0, ${stats.allOne} all-1); π1 = ${byRank(1)} (std ${std("124").toFixed(6)}), ` +
      `π2 = ${byRank(2)}, π13 = ${byRank(13)} (std ${std("682").toFixed(6)}), π1209 = ${byRank(1209)}; ` +
      `${23 - wrong.length}/23 appendix indices at their rank${wrong.length > 0 ? ` (wrong: ${wrong.map(([r]) => `π${r}`).join(", ")})` : ""}; ddof=1 top-15 ${sameTop15 ? "same" : "differs"}`,
    expected: "1209 examples; 64,000 = 500 × 128 entries; 104 zero-variance (99 all-0, 5 all-1); π1 = 124 (std 0.406756), π2 = 267, π13 = 682 (std 0.272608), π1209 = 789; all 23 appendix indices",
    numbers: { ...stats, wrongIndices: wrong.length }
  })
}

/** First/last-10 mean of one example's history. */
export const historyEnds = (history: AccuracyHistory, id: string): { first10: number; last10: number; early: ReadonlyArray<number> } | undefined => {
  const h = history.find(([k]) => k === id)?.[1]
  if (h === undefined || h.length < 10) return undefined
  return { first10: mean(h.slice(0, 10))!, last10: mean(h.slice(-10))!, early: h.slice(0, 10) }
}

export { kendallTau }

/** Problems per benchmark (Table 8 column order); AIME/AMC are avg@8 over 30/40 problems, counted as 30/40 (conservative). */
export const BENCHMARK_PROBLEMS = [500, 30, 40, 272, 675, 30] as const
/** Problems per MATH500 subject, in Table 3's order (Alg, C&P, Geo, I.Alg, N.T., Prealg, Precal). */
export const MATH500_SUBJECT_PROBLEMS = [124, 38, 41, 97, 62, 82, 56] as const

/** Standard error (pts) of a reported accuracy on `n` problems. */
export const accuracySe = (pct: number, n: number): number => 100 * Math.sqrt(((pct / 100) * (1 - pct / 100)) / n)

/** Standard error (pts) of a six-benchmark average, from its six numbers and the benchmarks' sizes. */
export const sixBenchSe = (row: SixBenchRow): number =>
  Math.sqrt(row.scores.reduce((a, s, i) => a + accuracySe(s, BENCHMARK_PROBLEMS[i]!) ** 2, 0)) / 6

/**
 * Half-width of the 95% band of a difference between two single runs'
 * reported numbers: the difference the paper's own evaluation could resolve.
 * "≈", "matches", "about as well" are read as |Δ| within it; "much higher" as beyond it.
 */
export const band = (seA: number, seB: number): number => 1.959964 * Math.sqrt(seA * seA + seB * seB)

/** |a − b| within the 95% band of the paper's evaluation noise. */
export const checkWithinNoise = (label: string, a: number, seA: number, b: number, seB: number): CheckResult => {
  const w = band(seA, seB)
  return judge(Math.abs(a - b) <= w, {
    measured: `${label}: ${num(a)} vs ${num(b)} (Δ ${(a - b).toFixed(1)}; 95% band of two runs' evaluation noise ±${w.toFixed(1)})`,
    expected: `${label}: |Δ| within the band (binomial noise of the benchmarks' problem counts)`,
    numbers: { [label]: a - b, band: w }
  })
}

/** a − b beyond the 95% band (a real gain by the paper's own evaluation). */
export const checkBeyondNoise = (label: string, a: number, seA: number, b: number, seB: number): CheckResult => {
  const w = band(seA, seB)
  return judge(a - b > w, {
    measured: `${label}: ${num(a)} − ${num(b)} = ${(a - b).toFixed(1)} (95% band ±${w.toFixed(1)})`,
    expected: `${label}: difference beyond the band of two runs' evaluation noise`,
    numbers: { [label]: a - b, band: w }
  })
}

/**
 * Human-readable summaries of splits and of the corpus (`rlvr world stats`).
 */
import { BASE_FLAW_RATES, type CorpusStats, corpusStats, type FlawRates } from "./Corpus.ts"
import type { WorldProblem } from "./Generator.ts"

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** Counts per subject × level and prompt/solution lengths of a split. */
export const formatSplitStats = (name: string, problems: ReadonlyArray<WorldProblem>): string => {
  const cells = new Map<string, Map<number, number>>()
  let maxLen = 0
  let sumLen = 0
  for (const p of problems) {
    const s = p.subject ?? "?"
    const row = cells.get(s) ?? new Map<number, number>()
    row.set(p.level ?? 0, (row.get(p.level ?? 0) ?? 0) + 1)
    cells.set(s, row)
    const len = p.prompt.length + p.solution.length
    maxLen = Math.max(maxLen, len)
    sumLen += len
  }
  const levels = [...new Set(problems.map((p) => p.level ?? 0))].sort((a, b) => a - b)
  const lines = [
    `${name}: ${problems.length} problems, mean prompt+solution ${(sumLen / Math.max(1, problems.length)).toFixed(0)} chars, max ${maxLen}`,
    `  ${"subject".padEnd(26)}${levels.map((l) => `L${l}`.padStart(5)).join("")}`
  ]
  for (const [s, row] of cells) lines.push(`  ${s.padEnd(26)}${levels.map((l) => String(row.get(l) ?? 0).padStart(5)).join("")}`)
  return lines.join("\n")
}

export const formatCorpusStats = (s: CorpusStats): string =>
  [
    `corpus: ${s.documents} documents, mean ${s.meanChars.toFixed(0)} chars, max ${s.maxChars}`,
    `  boxed ${pct(s.boxed)}, early stop ${pct(s.earlyStop)}, slipped ${pct(s.slipped)}, reflected ${pct(s.reflected)}, run-on ${pct(s.repeated)}`,
    `  final answer correct ${pct(s.correct)}, reflection words per document ${s.reflectionWordsPerDoc.toFixed(3)}`
  ].join("\n")

export const corpusSummary = (seed: number, n: number, rates: FlawRates = BASE_FLAW_RATES, exclude?: ReadonlySet<string>): string =>
  formatCorpusStats(corpusStats(seed, n, rates, exclude))

/**
 * The bar the powered runs are held to (runs/README.md, "Judgement"): of the
 * claims about the paper's mechanisms, how many a cohort judges on at least 3
 * seeds with an interval no wider than ±3 points (accuracies; other units are
 * not held to a width), and how many of those are decisive. A count, so that
 * "how far are the runs from answering the paper" is read off the report
 * instead of estimated by hand.
 */
import type { VerdictRow } from "./Evidence.ts"

/** The mechanism claims: saturation, post-saturation generalization, cross-category gains, reflection, loss ablations, entropy, format, labels. */
export const MECHANISM_CLAIMS: ReadonlyArray<string> = ["C10", "C11", "C12", "C15", "C16", "C23", "C35", "C36", "C38", "C39", "C40", "C41", "C44a", "C44b"]

/**
 * Mechanism claims whose estimate is in points but is not an accuracy, so no
 * width bar: C15's is the share of post-saturation steps with a gradient signal.
 */
export const NOT_ACCURACY: ReadonlyArray<string> = ["C15"]

export const MIN_SEEDS = 3
/** Widest accepted half-width of an accuracy interval, in percentage points. */
export const MAX_HALF_WIDTH_PP = 3

export interface MechanismBar {
  /** Judged: a verdict other than insufficient-data / not-applicable, ≥ 3 seeds, and (for an accuracy) a half-width ≤ 3 pp. */
  readonly judged: ReadonlyArray<string>
  /** The judged ones that replicate or contradict. */
  readonly decisive: ReadonlyArray<string>
}

const judgedRow = (r: VerdictRow): boolean =>
  (r.verdict === "replicates" || r.verdict === "contradicts" || r.verdict === "inconclusive") &&
  r.seeds >= MIN_SEEDS &&
  (r.unit !== "pp" || NOT_ACCURACY.includes(r.claim) || (r.ci95 !== null && (r.ci95[1] - r.ci95[0]) / 2 <= MAX_HALF_WIDTH_PP))

/** The bar for one cohort's replication rows. */
export const mechanismBar = (rows: ReadonlyArray<VerdictRow>, cohort: string): MechanismBar => {
  const mine = rows.filter((r) => r.evidence === "replication" && r.cohort === cohort && MECHANISM_CLAIMS.includes(r.claim))
  const judged = mine.filter(judgedRow)
  return {
    judged: judged.map((r) => r.claim),
    decisive: judged.filter((r) => r.verdict === "replicates" || r.verdict === "contradicts").map((r) => r.claim)
  }
}

/** One line of the headline: `mechanism claims (14): 5 judged on ≥ 3 seeds within ±3 pp (C10, …), 3 decisive (…)`. */
export const mechanismLine = (rows: ReadonlyArray<VerdictRow>, cohort: string): string => {
  const b = mechanismBar(rows, cohort)
  const list = (xs: ReadonlyArray<string>) => (xs.length === 0 ? "" : ` (${xs.join(", ")})`)
  return `  mechanism claims (${MECHANISM_CLAIMS.length}): ${b.judged.length} judged on ≥ ${MIN_SEEDS} seeds within ±${MAX_HALF_WIDTH_PP} pp${list(b.judged)}, ${b.decisive.length} decisive${list(b.decisive)}`
}

/**
 * A claim of the paper with up to three kinds of evidence, never merged:
 * - `paper`: what the paper's own numbers say about the claim as worded, by
 *   recomputation only (averages from their six numbers, gains from two rows,
 *   counts); verdict `consistent` / `inconsistent`.
 * - `authorsData`: recomputed from the authors' recorded files
 *   (`acc_step_500.json`); verdict `holds` / `fails`.
 * - replication: on recorded runs, declared in `ReplicationChecks.ts`
 *   (`replicates` / `contradicts` / `inconclusive` / `insufficient-data` / `not-applicable`).
 * Paper and authors-data checks return a CheckResult whose `holds`/`fails` the
 * evidence layer renames; they never compare a typed number with itself and
 * never set a tolerance at an observed value.
 */
import type { AccuracyHistory } from "./RecordedHistory.ts"
import type { Reported } from "./Reported.ts"
import type { CheckResult } from "./Verdict.ts"

export interface RecordedContext {
  readonly history: AccuracyHistory
  readonly reported: Reported
}

export interface Claim {
  /** `C1` … `C48`, with claims.md's sub-ids (`C44a` …). */
  readonly id: string
  readonly statement: string
  /** Where in the paper: table, figure, section. */
  readonly source: string
  readonly paper?: (reported: Reported) => CheckResult
  readonly authorsData?: (ctx: RecordedContext) => CheckResult
}

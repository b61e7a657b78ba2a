/**
 * A claim of the paper as a typed check.
 *
 * - `regression`: checked on the authors' recorded data (the `acc_step_500.json`
 *   history and the paper's reported tables). Deterministic; `npm run repro`
 *   exits non-zero when one of these does not hold.
 * - `property`: a qualitative statement about the method that is checked by
 *   computing a property of the recorded data or setup (e.g. rollouts needed).
 *   Also on recorded data, so it gates the exit code too.
 * - `run-check`: needs training runs; checked on every discovered RunRecord of
 *   the roles it names (this project's runs, imported verl / W&B runs).
 *
 * A regression or property claim may also carry a `runCheck`: the same claim
 * tested on runs, reported beside it (never gating the exit code).
 */
import { Schema } from "effect"
import type { AccuracyHistory } from "./RecordedHistory.ts"
import type { Reported } from "./Reported.ts"
import type { Runs } from "./RunChecks.ts"
import type { CheckResult } from "./Verdict.ts"

export const ClaimKind = Schema.Literal("regression", "property", "run-check")
export type ClaimKind = typeof ClaimKind.Type

export interface ClaimContext {
  readonly history: AccuracyHistory
  readonly reported: Reported
  readonly runs: Runs
}

export interface Claim {
  /** `C1` … `C48`, with claims.md's sub-ids (`C44a` …). */
  readonly id: string
  readonly statement: string
  /** Where in the paper: table, figure, section. */
  readonly source: string
  readonly kind: ClaimKind
  readonly check: (ctx: ClaimContext) => CheckResult
  /** For regression/property claims that training runs can also test. */
  readonly runCheck?: (runs: Runs) => CheckResult
}

/**
 * Runs every claim of the registry against the recorded data and the
 * discovered runs. Pure apart from loading; the report is rendered elsewhere.
 */
import type { FileError, InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import type { Claim, ClaimContext, ClaimKind } from "./Claim.ts"
import { discoverRuns, type SkippedFile } from "./Discover.ts"
import { loadHistory } from "./RecordedHistory.ts"
import { claims as registry } from "./Registry.ts"
import { loadReported } from "./Reported.ts"
import { reportedRuns } from "./ReportedRuns.ts"
import type { RunRecord } from "./RunRecord.ts"
import { CheckResult } from "./Verdict.ts"

export interface ClaimOutcome {
  readonly id: string
  readonly statement: string
  readonly source: string
  readonly kind: ClaimKind
  readonly result: CheckResult
  /** The claim tested on runs, for regression/property claims that have a run analogue. */
  readonly onRuns?: CheckResult
}

export interface ReproResult {
  readonly outcomes: ReadonlyArray<ClaimOutcome>
  readonly runs: ReadonlyArray<RunRecord>
  /** Files under the run directories that could not be read as runs, with the reason. */
  readonly skipped: ReadonlyArray<SkippedFile>
  readonly context: ClaimContext
  /**
   * The run-checks applied to the paper's own reported numbers (ReportedRuns):
   * the comparisons the paper has numbers for, which must agree with it.
   */
  readonly onPaper: ReadonlyArray<{ readonly id: string; readonly result: CheckResult }>
  /** True when every regression and property claim (the recorded data) holds: the exit code. */
  readonly recordedHolds: boolean
}

/** A check that throws is a failed check (with the error), never a crash of the whole table. */
const safe = (f: () => CheckResult): CheckResult => {
  try {
    return f()
  } catch (e) {
    return CheckResult.make({ verdict: "fails", measured: `check threw: ${String(e)}`, expected: "the check to run", needs: [], numbers: {} })
  }
}

export const evaluateClaims = (context: ClaimContext, claims: ReadonlyArray<Claim> = registry): ReadonlyArray<ClaimOutcome> =>
  claims.map((c) => ({
    id: c.id,
    statement: c.statement,
    source: c.source,
    kind: c.kind,
    result: safe(() => c.check(context)),
    ...(c.runCheck === undefined ? {} : { onRuns: safe(() => c.runCheck!(context.runs)) })
  }))

/** Run-check verdicts on the paper's reported runs, for the claims the paper has numbers for. */
export const checksOnPaper = (context: ClaimContext, claims: ReadonlyArray<Claim> = registry) =>
  evaluateClaims({ ...context, runs: reportedRuns(context.reported) }, claims)
    .flatMap((o) => {
      const r = o.kind === "run-check" ? o.result : o.onRuns
      return r === undefined || r.verdict === "insufficient-data" || r.verdict === "not-applicable" ? [] : [{ id: o.id, result: r }]
    })

export const recordedHolds = (outcomes: ReadonlyArray<ClaimOutcome>): boolean =>
  outcomes.filter((o) => o.kind !== "run-check").every((o) => o.result.verdict === "holds")

/** Loads the recorded data and every run of the given directories, and checks every claim. */
export const runRepro = (runDirs: ReadonlyArray<string>): Effect.Effect<ReproResult, InvalidInput | FileError> =>
  Effect.gen(function*() {
    const history = yield* loadHistory()
    const reported = yield* loadReported()
    const found = yield* Effect.forEach(runDirs, discoverRuns)
    const runs = found.flatMap((f) => f.runs)
    const skipped = found.flatMap((f) => f.skipped)
    const context: ClaimContext = { history, reported, runs }
    const outcomes = evaluateClaims(context)
    return { outcomes, runs, skipped, context, onPaper: checksOnPaper(context), recordedHolds: recordedHolds(outcomes) }
  })

/**
 * Loads the recorded data and the runs, resolves every run's role and seed,
 * and produces the verdict rows. Pure apart from loading; rendering and the
 * regression gate live elsewhere (Report, VerdictFile).
 */
import type { FileError, InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import type { Claim, RecordedContext } from "./Claim.ts"
import { discoverRuns, type SkippedFile } from "./Discover.ts"
import { verdictRows, type VerdictRow } from "./Evidence.ts"
import { loadHistory } from "./RecordedHistory.ts"
import { claims as registry } from "./Registry.ts"
import { ROLES } from "./ReplicationChecks.ts"
import { loadReported } from "./Reported.ts"
import { assignRoles, type RoleMapping } from "./Roles.ts"
import type { RunRecord } from "./RunRecord.ts"

export interface ReproResult {
  readonly claims: ReadonlyArray<Claim>
  readonly rows: ReadonlyArray<VerdictRow>
  readonly runs: ReadonlyArray<RunRecord>
  /** Runs whose role no replication check uses (listed, never silently dropped). */
  readonly unassigned: ReadonlyArray<RunRecord>
  /** Files under the run directories that could not be read as runs, with the reason. */
  readonly skipped: ReadonlyArray<SkippedFile>
  readonly context: RecordedContext
}

/** Every role (alias) some replication check reads. */
export const KNOWN_ROLES: ReadonlySet<string> = new Set(Object.values(ROLES).flatMap((r) => r.split("|")))

export const evaluate = (context: RecordedContext, runs: ReadonlyArray<RunRecord>, skipped: ReadonlyArray<SkippedFile> = [], claims: ReadonlyArray<Claim> = registry): ReproResult => ({
  claims,
  rows: verdictRows(claims, context, runs),
  runs,
  unassigned: runs.filter((r) => !KNOWN_ROLES.has(r.role)),
  skipped,
  context
})

/** Loads the recorded data and every run of the given directories (roles resolved with `mapping`), and checks every claim. */
export const runRepro = (runDirs: ReadonlyArray<string>, mapping: RoleMapping = {}): Effect.Effect<ReproResult, InvalidInput | FileError> =>
  Effect.gen(function*() {
    const history = yield* loadHistory()
    const reported = yield* loadReported()
    const found = yield* Effect.forEach(runDirs, discoverRuns)
    const runs = assignRoles(found.flatMap((f) => f.runs), mapping)
    return evaluate({ history, reported }, runs, found.flatMap((f) => f.skipped))
  })

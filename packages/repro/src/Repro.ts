/**
 * Loads the recorded data and the runs, resolves every run's role and seed,
 * and produces the verdict rows. Pure apart from loading; rendering and the
 * regression gate live elsewhere (Report, VerdictFile).
 *
 * The runs come in cohorts (src/Cohort.ts): each run directory is one, and
 * a role's runs are pooled within its cohort only.
 */
import type { FileError, InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import type { Claim, RecordedContext } from "./Claim.ts"
import { byName, type Cohort, cohortDirs, type CohortDir } from "./Cohort.ts"
import { discoverRuns, type SkippedFile } from "./Discover.ts"
import { verdictRowsByCohort, type VerdictRow } from "./Evidence.ts"
import { loadHistory } from "./RecordedHistory.ts"
import { claims as registry } from "./Registry.ts"
import { ROLES } from "./ReplicationChecks.ts"
import { loadReported } from "./Reported.ts"
import { assignRoles, type RoleMapping } from "./Roles.ts"
import type { RunRecord } from "./RunRecord.ts"

export interface ReproResult {
  readonly claims: ReadonlyArray<Claim>
  readonly rows: ReadonlyArray<VerdictRow>
  /** The cohorts, sorted by name, each with its runs (roles resolved). */
  readonly cohorts: ReadonlyArray<Cohort>
  /** Every run of every cohort, in cohort order. */
  readonly runs: ReadonlyArray<RunRecord>
  /** Runs whose role no replication check uses (listed, never silently dropped). */
  readonly unassigned: ReadonlyArray<RunRecord>
  /** Files under the run directories that could not be read as runs, with the reason. */
  readonly skipped: ReadonlyArray<SkippedFile>
  readonly context: RecordedContext
}

/** Every role (alias) some replication check reads. */
export const KNOWN_ROLES: ReadonlySet<string> = new Set(Object.values(ROLES).flatMap((r) => r.split("|")))

/** Checks every claim on the cohorts (names assumed distinct: `runRepro` ensures it), sorted by name. */
export const evaluate = (context: RecordedContext, cohorts: ReadonlyArray<Cohort>, skipped: ReadonlyArray<SkippedFile> = [], claims: ReadonlyArray<Claim> = registry): ReproResult => {
  const sorted = byName(cohorts)
  const runs = sorted.flatMap((k) => k.runs)
  return {
    claims,
    rows: verdictRowsByCohort(claims, context, sorted),
    cohorts: sorted,
    runs,
    unassigned: runs.filter((r) => !KNOWN_ROLES.has(r.role)),
    skipped,
    context
  }
}

/**
 * Loads the recorded data and every run of the given cohorts (roles resolved
 * with `mapping`), and checks every claim. A plain directory is one cohort
 * named by its basename; the package's own layout (one cohort per sub-folder)
 * is `packageCohorts()`. Two cohorts with one name fail.
 */
export const runRepro = (dirs: ReadonlyArray<string | CohortDir>, mapping: RoleMapping = {}): Effect.Effect<ReproResult, InvalidInput | FileError> =>
  Effect.gen(function*() {
    const cohortsToRead = yield* cohortDirs(dirs)
    const history = yield* loadHistory()
    const reported = yield* loadReported()
    const found = yield* Effect.forEach(cohortsToRead, (d) => discoverRuns(d.dir, d.depth).pipe(Effect.map((f) => ({ name: d.name, ...f }))))
    const cohorts = found.map((f) => ({ name: f.name, runs: assignRoles(f.runs, mapping) }))
    return evaluate({ history, reported }, cohorts, found.flatMap((f) => f.skipped))
  })

/**
 * The verdict rows, never merged: per claim one `paper` and one
 * `authors-data` row, and one `replication` row per cohort (src/Cohort.ts:
 * the runs of one protocol; roles are pooled within a cohort, never across).
 * `report/verdicts.json` is the list of these rows; the printed table and
 * the report are views of it.
 */
import { Schema } from "effect"
import type { Claim, RecordedContext } from "./Claim.ts"
import type { Cohort } from "./Cohort.ts"
import { mechanismLine } from "./MechanismBar.ts"
import { combine, replicate, type ReplicationResult, type Runs } from "./Replication.ts"
import { NO_REPLICATION, ROLES, specsFor } from "./ReplicationChecks.ts"
import { CheckResult } from "./Verdict.ts"

export const EvidenceKind = Schema.Literal("paper", "authors-data", "replication")
export type EvidenceKind = typeof EvidenceKind.Type

export const PaperVerdict = Schema.Literal("consistent", "inconsistent")
export const AuthorsDataVerdict = Schema.Literal("holds", "fails")
export const ReplicationVerdict = Schema.Literal("replicates", "contradicts", "inconclusive", "insufficient-data", "not-applicable")
export const RowVerdict = Schema.Union(PaperVerdict, AuthorsDataVerdict, ReplicationVerdict)
export type RowVerdict = typeof RowVerdict.Type

export const EVIDENCE_VERDICTS: Readonly<Record<EvidenceKind, ReadonlyArray<RowVerdict>>> = {
  paper: PaperVerdict.literals,
  "authors-data": AuthorsDataVerdict.literals,
  replication: ReplicationVerdict.literals
}

export class VerdictRow extends Schema.Class<VerdictRow>("VerdictRow")({
  claim: Schema.String,
  evidence: EvidenceKind,
  /**
   * The cohort whose runs a replication row pools (null for paper / authors-data rows).
   * Optional when decoding: a file written before cohorts reads as null.
   */
  cohort: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  verdict: RowVerdict,
  /** The replication estimate (null for paper / authors-data rows). */
  estimate: Schema.NullOr(Schema.Number),
  ci95: Schema.NullOr(Schema.Tuple(Schema.Number, Schema.Number)),
  /** `pp` for accuracy differences in percentage points. */
  unit: Schema.NullOr(Schema.String),
  /** Fewest seeds of any role in the estimate; 0 for paper / authors-data rows. */
  seeds: Schema.Int,
  runs: Schema.Int,
  expected: Schema.String,
  /** Paper: the tables; authors-data: the file; replication: the roles and their runs. */
  source: Schema.String,
  measured: Schema.String
}) {}

export const VerdictFile = Schema.Struct({
  /** What produced it and how to read it. */
  about: Schema.String,
  rows: Schema.Array(VerdictRow)
})
export type VerdictFile = typeof VerdictFile.Type

const fromCheck = (claim: Claim, evidence: "paper" | "authors-data", r: CheckResult, source: string): VerdictRow =>
  VerdictRow.make({
    claim: claim.id,
    evidence,
    cohort: null,
    verdict: evidence === "paper" ? (r.verdict === "holds" ? "consistent" : "inconsistent") : r.verdict === "holds" ? "holds" : "fails",
    estimate: null,
    ci95: null,
    unit: null,
    seeds: 0,
    runs: 0,
    expected: r.expected,
    source,
    measured: r.measured
  })

/** A check that throws is a failed check (with the error), never a crash of the table. */
const safe = <A>(f: () => A, onError: (e: unknown) => A): A => {
  try {
    return f()
  } catch (e) {
    return onError(e)
  }
}

const threw = (e: unknown): CheckResult =>
  CheckResult.make({ verdict: "fails", measured: `check threw: ${String(e)}`, expected: "the check to run", needs: [], numbers: {} })

/** The replication result of a claim: its declared parts, combined. */
export const replicationOf = (claimId: string, runs: Runs): ReplicationResult | undefined => {
  const specs = specsFor(claimId, runs)
  if (specs === undefined) return undefined
  if (specs.length === 0) {
    return {
      claim: claimId, label: "per-subject gains", verdict: "insufficient-data", estimate: null, ci95: null, detectable: null, unit: "pp",
      seeds: 0, runs: 0, expected: "per-subject test accuracy of the π1 runs (last half − step 0) > 0 in every subject",
      measured: `no \`${ROLES.pi1}\` run with per-subject evaluations`, needs: [ROLES.pi1]
    }
  }
  return combine(specs.map((s) => replicate(s, runs)))
}

/** A claim's replication row on one cohort: only that cohort's runs are read (seed variance pooled within it too). */
const replicationRow = (claim: Claim, cohort: Cohort): VerdictRow => {
  const runs = cohort.runs
  const r = safe(() => replicationOf(claim.id, runs), (e) => ({
    claim: claim.id, label: "check", verdict: "inconclusive" as const, estimate: null, ci95: null, detectable: null, unit: "", seeds: 0, runs: 0,
    expected: "the check to run", measured: `check threw: ${String(e)}`, needs: []
  }))
  if (r === undefined) {
    return VerdictRow.make({
      claim: claim.id, evidence: "replication", cohort: cohort.name, verdict: "not-applicable", estimate: null, ci95: null, unit: null, seeds: 0, runs: 0,
      expected: "—", source: "no run analogue", measured: NO_REPLICATION[claim.id] ?? "no replication check declared"
    })
  }
  return VerdictRow.make({
    claim: claim.id,
    evidence: "replication",
    cohort: cohort.name,
    verdict: r.verdict,
    estimate: r.estimate,
    ci95: r.ci95 === null ? null : [r.ci95[0], r.ci95[1]],
    unit: r.unit,
    seeds: r.seeds,
    runs: r.runs,
    expected: r.expected,
    source: r.needs.length > 0 ? `needs runs: ${r.needs.join(", ")}` : "recorded runs",
    measured: r.measured
  })
}

/**
 * Every row for every claim, in registry order: paper, authors-data, then one
 * replication row per cohort in the order given (`evaluate` sorts them by name).
 * Each cohort's rows read its own runs only.
 */
export const verdictRowsByCohort = (claims: ReadonlyArray<Claim>, ctx: RecordedContext, cohorts: ReadonlyArray<Cohort>): ReadonlyArray<VerdictRow> =>
  claims.flatMap((c) => [
    ...(c.paper === undefined ? [] : [fromCheck(c, "paper", safe(() => c.paper!(ctx.reported), threw), `paper: ${c.source}`)]),
    ...(c.authorsData === undefined ? [] : [fromCheck(c, "authors-data", safe(() => c.authorsData!(ctx), threw), "authors' data: data/acc_step_500.json")]),
    ...cohorts.map((k) => replicationRow(c, k))
  ])

/** The rows for one set of runs taken as a single cohort (named `runs` unless given, as loose files in `runs/` are). */
export const verdictRows = (claims: ReadonlyArray<Claim>, ctx: RecordedContext, runs: Runs, cohort = "runs"): ReadonlyArray<VerdictRow> =>
  verdictRowsByCohort(claims, ctx, [{ name: cohort, runs }])

export type Tally = Readonly<Record<string, number>>

/**
 * Counts per verdict for one kind of evidence (every verdict of that kind
 * listed, zeros included); for replication, of one cohort when given.
 */
export const tally = (rows: ReadonlyArray<VerdictRow>, evidence: EvidenceKind, cohort?: string): Tally => {
  const of = rows.filter((r) => r.evidence === evidence && (cohort === undefined || r.cohort === cohort))
  return Object.fromEntries(EVIDENCE_VERDICTS[evidence].map((v) => [v, of.filter((r) => r.verdict === v).length]))
}

/**
 * The tallies, each on its own line: paper, authors-data, then replication
 * once per cohort (`replication, cohort world-cpu (26 runs, 51 claims): …`),
 * each followed by how far it is from judging the mechanism claims (MechanismBar).
 */
export const headline = (rows: ReadonlyArray<VerdictRow>, cohorts: ReadonlyArray<Cohort>): ReadonlyArray<string> => {
  const line = (what: string, e: EvidenceKind, cohort?: Cohort) => {
    const n = rows.filter((r) => r.evidence === e && (cohort === undefined || r.cohort === cohort.name)).length
    const k = cohort?.runs.length
    const counts = `${k === undefined ? "" : `${k} run${k === 1 ? "" : "s"}, `}${n} claims`
    return `${what} (${counts}): ${Object.entries(tally(rows, e, cohort?.name)).map(([v, c]) => `${c} ${v}`).join(", ")}`
  }
  return [
    line("paper's own numbers, recomputed", "paper"),
    line("authors' recorded data", "authors-data"),
    ...(cohorts.length === 0
      ? ["replication: no cohort of runs (no run directory), so no replication rows"]
      : cohorts.flatMap((k) => [line(`replication, cohort ${k.name}`, "replication", k), mechanismLine(rows, k.name)]))
  ]
}

/** A row's identity in the gate: claim, evidence and, for replication, the cohort. */
export const rowKey = (r: VerdictRow): string => `${r.claim} ${r.evidence}${r.cohort === null ? "" : ` ${r.cohort}`}`

/** Rows that differ between an expectation and now, by (claim, evidence, cohort): what the regression gate prints. */
export const diffVerdicts = (expected: ReadonlyArray<VerdictRow>, actual: ReadonlyArray<VerdictRow>): ReadonlyArray<string> => {
  const key = rowKey
  const before = new Map(expected.map((r) => [key(r), r]))
  const after = new Map(actual.map((r) => [key(r), r]))
  const out: Array<string> = []
  for (const [k, r] of after) {
    const e = before.get(k)
    if (e === undefined) out.push(`+ ${k}: ${r.verdict} (new row)`)
    else if (e.verdict !== r.verdict) out.push(`~ ${k}: ${e.verdict} → ${r.verdict} (${r.measured.slice(0, 160)})`)
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`- ${k}: row gone (was ${before.get(k)!.verdict})`)
  return out
}

/**
 * Which role (experiment) and seed each run is. Every run of a role is a
 * replicate; the replication checks use all of them.
 *
 * A run's role, first that applies:
 * 1. a mapping file entry for its file name (or path relative to the runs folder, or run id);
 * 2. a tag `role:NAME` in `header.config.tags`;
 * 3. `header.config.role`;
 * 4. the reader's role (`config.experiment`, or the file/folder name for imported logs)
 *    without a `-seedN` suffix (`1shot-pi13-seed1` is seed 1 of `1shot-pi13`).
 * Its seed: `config.seed` (else the `-seedN` suffix, else unknown: each such
 * run still counts as one replicate).
 */
import { basename } from "node:path"
import { RunRecord } from "./RunRecord.ts"

export type RoleMapping = Readonly<Record<string, string>>

const record = (x: unknown): Record<string, unknown> => (typeof x === "object" && x !== null ? (x as Record<string, unknown>) : {})

const SEED_SUFFIX = /^(.*)-seed(\d+)$/

/** The seed a run was made with, when it says. */
export const seedOf = (run: RunRecord): number | undefined => {
  const s = record(run.config)["seed"]
  if (typeof s === "number" && Number.isInteger(s)) return s
  const m = SEED_SUFFIX.exec(run.role)
  return m === null ? undefined : Number(m[2])
}

export const roleOf = (run: RunRecord, mapping: RoleMapping = {}): string => {
  const byMap = mapping[basename(run.path)] ?? mapping[run.path] ?? mapping[run.runId]
  if (byMap !== undefined) return byMap
  const config = record(run.config)
  const tags = Array.isArray(config["tags"]) ? config["tags"] : []
  const tag = tags.find((t): t is string => typeof t === "string" && t.startsWith("role:"))
  if (tag !== undefined) return tag.slice("role:".length)
  if (typeof config["role"] === "string" && config["role"].length > 0) return config["role"]
  const m = SEED_SUFFIX.exec(run.role)
  return m === null ? run.role : m[1]!
}

/** The runs with their roles resolved (a run's other fields unchanged). */
export const assignRoles = (runs: ReadonlyArray<RunRecord>, mapping: RoleMapping = {}): ReadonlyArray<RunRecord> =>
  runs.map((r) => {
    const role = roleOf(r, mapping)
    return role === r.role ? r : RunRecord.make({ ...r, role })
  })

/** The runs of a role (`a|b`: the first alias that has runs), in file order. */
export const runsOfRole = (runs: ReadonlyArray<RunRecord>, role: string): { readonly role: string; readonly runs: ReadonlyArray<RunRecord> } => {
  for (const alias of role.split("|")) {
    const found = runs.filter((r) => r.role === alias)
    if (found.length > 0) return { role: alias, runs: found }
  }
  return { role: role.split("|")[0]!, runs: [] }
}

/** Number of distinct seeds among runs (a run with no seed counts as its own). */
export const seedCount = (runs: ReadonlyArray<RunRecord>): number => {
  const known = new Set(runs.map(seedOf).filter((s) => s !== undefined))
  return known.size + runs.filter((r) => seedOf(r) === undefined).length
}

/** A role mapping file: a JSON object from file name (or path, or run id) to role. */
export const parseRoleMapping = (text: string, path: string): RoleMapping => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${path}: expected a JSON object {"file name or run id": "role"}, got text that is not JSON`)
  }
  if (typeof json !== "object" || json === null || Array.isArray(json) || Object.values(json).some((v) => typeof v !== "string")) {
    throw new Error(`${path}: expected a JSON object {"file name or run id": "role"} with string values`)
  }
  return json as RoleMapping
}

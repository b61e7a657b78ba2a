/**
 * Each benchmark problem's subject, in the benchmark's problem order: what a
 * per-subject statistic needs to pair its evaluation noise over problems (an
 * evaluation's `problemScores` carry scores, not subjects). A lookup, so that
 * the statistics stay pure and tests can supply their own; `worldSubjects`
 * reads the world's benchmark files, found relative to this package.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The subject of each problem of a benchmark, in problem order; undefined when unknown. */
export type SubjectLookup = (benchmark: string) => ReadonlyArray<string> | undefined

/** `packages/world/data`, beside this package in the workspace. */
export const WORLD_DATA = fileURLToPath(new URL("../../world/data/", import.meta.url))

/**
 * The subjects of a benchmark file's problems (JSON lines with a string
 * `subject`); undefined when any line lacks one, so a malformed file leaves
 * the statistic unpaired rather than mislabelled.
 */
export const subjectsOfJsonl = (text: string): ReadonlyArray<string> | undefined => {
  const out: Array<string> = []
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue
    let row: unknown
    try {
      row = JSON.parse(line)
    } catch {
      return undefined
    }
    const subject = typeof row === "object" && row !== null && "subject" in row ? row.subject : undefined
    if (typeof subject !== "string") return undefined
    out.push(subject)
  }
  return out.length > 0 ? out : undefined
}

/**
 * A lookup reading `<dir>/<benchmark>.jsonl` once per benchmark. A benchmark
 * that is not a plain file name, or whose file is absent or unreadable, is
 * unknown (its subject statistics stay unpaired); never an error, because
 * pairing is a refinement of an interval that exists without it.
 */
export const subjectsFromDir = (dir: string): SubjectLookup => {
  const cache = new Map<string, ReadonlyArray<string> | undefined>()
  return (benchmark) => {
    if (cache.has(benchmark)) return cache.get(benchmark)
    let subjects: ReadonlyArray<string> | undefined
    if (/^[\w.-]+$/.test(benchmark) && !benchmark.startsWith(".")) {
      try {
        subjects = subjectsOfJsonl(readFileSync(join(dir, `${benchmark}.jsonl`), "utf8"))
      } catch {
        subjects = undefined
      }
    }
    cache.set(benchmark, subjects)
    return subjects
  }
}

/** The world's benchmarks (`world-math500`, …): the ones this project's runs are evaluated on. */
export const worldSubjects: SubjectLookup = subjectsFromDir(WORLD_DATA)

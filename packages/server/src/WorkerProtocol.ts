/**
 * Messages between the pool (main thread) and a grading worker. The worker
 * reduces each grade to a plain object of the Grade fields (or an
 * `invalid-grade` grade when the grader returned something else), so a faulty
 * grader can neither break a message nor send a malformed grade out. Grades go
 * back in batches (one message per chunk, or every ~20 ms on slow chunks);
 * progress (the item in hand and when it started) is published in shared
 * memory for the pool's watchdog, at no messaging cost.
 */
import type { VerifierMode } from "@oneshot/core"

export interface WorkerInit {
  /** The grader module: a package name, a file URL, or a path relative to the working directory. */
  readonly graderModule: string
  readonly graderExport: string
  /** Int32Array over it: [index of the item in hand, its start in ms since `base`]. */
  readonly progress: SharedArrayBuffer
  readonly base: number
}

export interface GradeJob {
  readonly response: string
  readonly gold: string
  readonly mode: VerifierMode
  readonly timeoutMs: number
}

/** main → worker: grade these items, in order. */
export interface ChunkMessage {
  readonly id: number
  readonly jobs: ReadonlyArray<GradeJob>
}

/** A grade as plain data. */
export interface PlainGrade {
  readonly correct: boolean
  readonly extracted: string | null
  readonly normalizedExtracted?: string
  readonly normalizedGold?: string
  readonly rule: string
  readonly timedOut: boolean
  readonly mode: VerifierMode
}

/** worker → main: grades of items `from…` of chunk `id`; `done` on the last batch of the chunk. */
export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "init-error"; readonly message: string }
  | { readonly type: "grades"; readonly id: number; readonly from: number; readonly grades: ReadonlyArray<PlainGrade>; readonly done: boolean }

/** A grade that says the grader could not decide (`rule` says why); never correct. */
export const failedGrade = (mode: VerifierMode, rule: string, timedOut = false): PlainGrade => ({
  correct: false,
  extracted: null,
  rule,
  timedOut,
  mode
})

const MODES: ReadonlySet<string> = new Set(["deepscaler", "qwen-eval", "strict", "format"])

/** The Grade fields of whatever the grader returned, or an `invalid-grade` grade. Never correct when timed out. */
export const toPlainGrade = (value: unknown, mode: VerifierMode): PlainGrade => {
  if (typeof value !== "object" || value === null) return failedGrade(mode, "invalid-grade")
  const g = value as Record<string, unknown>
  if (
    typeof g["correct"] !== "boolean" || (g["extracted"] !== null && typeof g["extracted"] !== "string") ||
    typeof g["rule"] !== "string" || typeof g["timedOut"] !== "boolean" || typeof g["mode"] !== "string" || !MODES.has(g["mode"])
  ) return failedGrade(mode, "invalid-grade")
  return {
    correct: g["correct"] && !g["timedOut"],
    extracted: g["extracted"],
    ...(typeof g["normalizedExtracted"] === "string" ? { normalizedExtracted: g["normalizedExtracted"] } : {}),
    ...(typeof g["normalizedGold"] === "string" ? { normalizedGold: g["normalizedGold"] } : {}),
    rule: g["rule"],
    timedOut: g["timedOut"],
    mode: g["mode"] as VerifierMode
  }
}

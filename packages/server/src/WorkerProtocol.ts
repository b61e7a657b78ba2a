/**
 * Messages between the pool (main thread) and a grading worker. Grades cross
 * as plain objects (structured clone drops the class) and are decoded again
 * on the main thread, so a faulty grader cannot send a malformed grade out.
 */
import type { VerifierMode } from "@oneshot/core"

export interface WorkerInit {
  /** Specifier or URL of the grader module, resolved from the worker module. */
  readonly graderModule: string
  readonly graderExport: string
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

/** worker → main. One `grade` per item as soon as it is done (the watchdog's heartbeat), then `done`. */
export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "init-error"; readonly message: string }
  | { readonly type: "grade"; readonly id: number; readonly index: number; readonly grade: unknown }
  | { readonly type: "done"; readonly id: number }

/** A grade that says the grader could not decide (`rule` says why); never correct. */
export const failedGrade = (mode: VerifierMode, rule: string, timedOut = false) => ({
  correct: false,
  extracted: null,
  rule,
  timedOut,
  mode
})

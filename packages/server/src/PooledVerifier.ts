/**
 * core's `Verifier` backed by the worker pool: what the HTTP app grades with
 * in production. Tests can provide any other `Verifier` layer instead.
 */
import { type GradeOptions, Verifier, type VerifierMode } from "@oneshot/core"
import { Context, Effect, Layer } from "effect"
import * as WorkerPool from "./WorkerPool.ts"

export interface PooledVerifierOptions extends WorkerPool.WorkerPoolOptions {
  readonly defaultMode: VerifierMode
  readonly defaultTimeoutMs: number
}

/** The pool itself, for the stats on `/health`. */
export class GradePool extends Context.Tag("@oneshot/server/GradePool")<GradePool, WorkerPool.WorkerPool>() {}

/** Builds the pool (failing fast if the grader does not load) and exposes it as `Verifier` and `GradePool`. */
export const layer = (options: PooledVerifierOptions): Layer.Layer<Verifier | GradePool, WorkerPool.GraderLoadError> => {
  const pool = Layer.scoped(GradePool, WorkerPool.make(options))
  const verifier = Layer.effect(
    Verifier,
    Effect.map(GradePool, (pool) => {
      const jobsOf = (items: ReadonlyArray<{ readonly response: string; readonly gold: string }>, o?: GradeOptions) =>
        items.map(({ gold, response }) => ({
          response,
          gold,
          mode: o?.mode ?? options.defaultMode,
          timeoutMs: o?.timeoutMs ?? options.defaultTimeoutMs
        }))
      return Verifier.of({
        grade: (response, gold, o) => Effect.map(pool.grade(jobsOf([{ response, gold }], o)), (gs) => gs[0]!),
        gradeBatch: (items, o) => pool.grade(jobsOf(items, o))
      })
    })
  )
  return verifier.pipe(Layer.provideMerge(pool))
}

import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber } from "effect"
import type { GradeJob } from "../src/WorkerProtocol.ts"
import * as WorkerPool from "../src/WorkerPool.ts"

const stub = new URL("./fixtures/StubGrader.ts", import.meta.url).href
const options = { size: 2, graderModule: stub, graderExport: "grade", hardTimeoutGraceMs: 300 }
const job = (response: string, gold = "1"): GradeJob => ({ response, gold, mode: "deepscaler", timeoutMs: 100 })

describe("WorkerPool", () => {
  it.scoped("grades a batch in order across workers", () =>
    Effect.gen(function*() {
      const pool = yield* WorkerPool.make(options)
      const jobs = Array.from({ length: 100 }, (_, i) => job(`so \\boxed{${i % 3}}`, "1"))
      const grades = yield* pool.grade(jobs)
      expect(grades.map((g) => g.correct)).toEqual(jobs.map((_, i) => i % 3 === 1))
      expect(grades[5]!.extracted).toBe("2")
      expect(yield* pool.grade([])).toEqual([])
    }))

  it.scoped("a hung, throwing, exiting or garbage grader costs one item, and the pool recovers", () =>
    Effect.gen(function*() {
      const pool = yield* WorkerPool.make(options)
      const jobs = [job("\\boxed{1}"), job("__hang__"), job("\\boxed{1}"), job("__throw__"), job("__exit__"), job("__garbage__"), job("\\boxed{2}")]
      const grades = yield* pool.grade(jobs)
      expect(grades.map((g) => [g.correct, g.rule, g.timedOut])).toEqual([
        [true, "string-equal", false],
        [false, "timeout", true],
        [true, "string-equal", false],
        [false, "error", false],
        [false, "worker-crashed", false],
        [false, "invalid-grade", false],
        [false, "string-equal", false]
      ])
      expect(pool.stats().restarts).toBe(2)
      const again = yield* pool.grade(Array.from({ length: 10 }, () => job("\\boxed{1}")))
      expect(again.every((g) => g.correct)).toBe(true)
    }))

  it.scopedLive("batches share the workers round-robin: a small one is not stuck behind a large one", () =>
    Effect.gen(function*() {
      const pool = yield* WorkerPool.make({ ...options, size: 1 })
      const order: Array<string> = []
      const big = yield* Effect.fork(
        pool.grade(Array.from({ length: 48 }, () => job("__slow:20__ \\boxed{1}"))).pipe(Effect.tap(() => order.push("big")))
      )
      yield* Effect.sleep("50 millis")
      const small = yield* pool.grade([job("\\boxed{1}")]).pipe(Effect.tap(() => order.push("small")))
      const grades = yield* Fiber.join(big)
      expect(order).toEqual(["small", "big"])
      expect(small.map((g) => g.correct)).toEqual([true])
      expect(grades.every((g) => g.correct)).toBe(true)
      expect(pool.stats().queuedItems).toBe(0)
    }))

  it.effect("fails with GraderLoadError naming the module when the grader does not load", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.scoped(WorkerPool.make({ ...options, graderExport: "nope" })))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) expect(String(exit.cause)).toContain("no function export 'nope'")
      const exit2 = yield* Effect.exit(Effect.scoped(WorkerPool.make({ ...options, graderModule: "./does-not-exist.ts" })))
      expect(Exit.isFailure(exit2)).toBe(true)
    }))
})

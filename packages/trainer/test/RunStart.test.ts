import { describe, expect, it } from "@effect/vitest"
import { EvalSummary, type TextGenerator } from "@oneshot/core"
import { Effect, Option } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { evalStage } from "../src/EvalStage.ts"
import type { RunSink } from "../src/RunSink.ts"
import { jsonDiff, openRun } from "../src/RunStart.ts"
import { runLogPath } from "../src/Trainer.ts"
import { taskConfig, tempDir } from "./support/Task.ts"

describe("openRun", () => {
  it.effect("a fresh run in an empty directory has no checkpoint", () =>
    Effect.gen(function* () {
      const dir = tempDir("open-fresh")
      const config = taskConfig(dir, { trainer: { runDir: join(dir, "run") } })
      expect(yield* openRun(config, runLogPath(config.trainer.runDir), false)).toBeUndefined()
    })
  )
  it.effect("refuses a directory holding a run log unless resuming, naming the directory", () =>
    Effect.gen(function* () {
      const dir = tempDir("open-busy")
      const config = taskConfig(dir, { trainer: { runDir: dir } })
      writeFileSync(runLogPath(dir), '{"_tag":"header"}\n')
      const e = yield* Effect.flip(openRun(config, runLogPath(dir), false))
      expect(e.message).toContain(`trainer.runDir ${dir}`)
      expect(e.message).toContain("--resume")
    })
  )
})

describe("jsonDiff", () => {
  it("lists the dotted paths that differ, and only those", () => {
    expect(jsonDiff({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { b: 2, c: [1, 2] }, d: "x", e: null })).toEqual(["a.b", "e"])
    expect(jsonDiff({ a: 1 }, { a: 1 })).toEqual([])
  })
})

describe("evalStage", () => {
  const summary = (benchmark: string, accuracy: number) => new EvalSummary({ benchmark, protocol: "p", n: 4, accuracy, bySubject: {}, byLevel: {} })
  const generate: TextGenerator<never, never> = () => Effect.succeed([])
  it.effect("scores each benchmark, writes its summary to the sinks and returns val/test_score metrics", () =>
    Effect.gen(function* () {
      const written: Array<unknown> = []
      const sink: RunSink = { write: (line) => Effect.sync(() => void written.push(line)) }
      const evaluator = Option.some({ evaluate: (_g: unknown, b: string) => Effect.succeed(summary(b, b === "a" ? 0.25 : 0.5)) })
      const config = taskConfig(tempDir("eval-stage"), { eval: { every: 1, benchmarks: ["a", "b"] } })
      const m = yield* evalStage(config.eval, evaluator, generate, sink)(3)
      expect(m["val/test_score/a"]).toBe(0.25)
      expect(m["val/test_score/b"]).toBe(0.5)
      expect(m["timing_s/eval"]).toBeGreaterThanOrEqual(0)
      expect(written.map((l) => (l as { step: number; _tag: string })._tag)).toEqual(["eval", "eval"])
    })
  )
  it.effect("asks the evaluator for per-problem scores only when the config says so", () =>
    Effect.gen(function* () {
      const asked: Array<unknown> = []
      const sink: RunSink = { write: () => Effect.void }
      const evaluator = Option.some({
        evaluate: (_g: unknown, b: string, _p?: string, options?: { perProblem?: boolean }) => Effect.sync(() => (asked.push(options?.perProblem === true), summary(b, 0.5)))
      })
      yield* evalStage(taskConfig(tempDir("eval-plain"), { eval: { every: 1, benchmarks: ["a"] } }).eval, evaluator, generate, sink)(1)
      yield* evalStage(taskConfig(tempDir("eval-paired"), { eval: { every: 1, benchmarks: ["a"], perProblem: true } }).eval, evaluator, generate, sink)(1)
      expect(asked).toEqual([false, true])
    })
  )
  it.effect("without an evaluator: no metrics, nothing written", () =>
    Effect.gen(function* () {
      const written: Array<unknown> = []
      const sink: RunSink = { write: (line) => Effect.sync(() => void written.push(line)) }
      const config = taskConfig(tempDir("eval-none"), { eval: { every: 1, benchmarks: ["a"] } })
      expect(yield* evalStage(config.eval, Option.none(), generate, sink)(1)).toEqual({})
      expect(written).toEqual([])
    })
  )
})

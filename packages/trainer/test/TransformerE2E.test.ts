/**
 * End to end with the real transformer Policy (`PolicyLive` from
 * @oneshot/policy: the `demo-next-digit` preset's 1-layer model from random
 * weights, digit vocabulary) on the next-digit task, on wasm: GRPO must raise
 * the reward within a few dozen steps.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Schema } from "effect"
import { latestCheckpoint } from "../src/Checkpoint.ts"
import { TrainConfig } from "../src/Config.ts"
import { policySourceFor } from "../src/PolicySource.ts"
import { merge, presets } from "../src/Presets.ts"
import { readRunLog, runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, SlowVerifier, taskConfig, tempDir } from "./support/Task.ts"
import { existsSync, readFileSync } from "node:fs"

/** The run log without headers and timing fields. */
const comparable = (path: string): Array<unknown> =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { _tag: string; metrics?: Record<string, number> })
    .filter((l) => l._tag !== "header")
    .map((l) => (l.metrics === undefined ? l : { ...l, metrics: Object.fromEntries(Object.entries(l.metrics).filter(([k]) => !k.startsWith("timing_s/"))) }))

/** The `demo-next-digit` preset's policy (1-layer transformer, digit vocabulary, init seed 3), pinned to wasm. */
const source = policySourceFor(Schema.decodeUnknownSync(TrainConfig)(merge(presets.get("demo-next-digit")!, { model: { backend: "wasm" } })))

describe("trainer with the transformer policy (wasm)", () => {
  it.effect("GRPO raises the next-digit reward within 40 steps", () =>
    Effect.gen(function* () {
      const dir = tempDir("transformer")
      const config = taskConfig(dir, {
        actor: { optimizer: { lr: 0.01, weightDecay: 0.01 }, entropyCoef: 0.001, klCoef: 0.001 },
        trainer: { steps: 40, batchSize: 5, checkpointEvery: 20, generationsEvery: 0, runDir: `${dir}/run` }
      })
      yield* train(config, source, { quiet: true })
      const scores = (yield* readRunLog(runLogPath(config.trainer.runDir))).flatMap((l) => (l._tag === "step" ? [l.metrics["critic/score/mean"]!] : []))
      const avg = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length
      expect(scores).toHaveLength(40)
      expect(avg(scores.slice(-5))).toBeGreaterThan(avg(scores.slice(0, 5)) + 0.3)
    }).pipe(Effect.provide(ExactMatchVerifier))
  )

  it.live("interrupt and resume reproduce the uninterrupted run (safetensors checkpoint, seeded sampling)", () =>
    Effect.gen(function* () {
      const dir = tempDir("transformer-resume")
      const cfg = (name: string) =>
        taskConfig(dir, {
          actor: { optimizer: { lr: 0.01, weightDecay: 0.01 }, entropyCoef: 0.001, klCoef: 0.001 },
          trainer: { steps: 12, batchSize: 5, checkpointEvery: 5, generationsEvery: 4, runDir: `${dir}/${name}` }
        })
      const reference = cfg("uninterrupted")
      yield* train(reference, source, { quiet: true }).pipe(Effect.provide(ExactMatchVerifier))
      const config = cfg("interrupted")
      const log = runLogPath(config.trainer.runDir)
      const fiber = yield* Effect.fork(train(config, source, { quiet: true }).pipe(Effect.provide(SlowVerifier)))
      while (!existsSync(log) || (readFileSync(log, "utf8").match(/"_tag":"step"/g) ?? []).length < 7) yield* Effect.sleep("5 millis")
      yield* Fiber.interrupt(fiber)
      const ckpt = yield* latestCheckpoint(config.trainer.runDir)
      expect(ckpt!.state.step).toBeGreaterThanOrEqual(7)
      expect(ckpt!.state.step).toBeLessThan(12)
      yield* train(config, source, { quiet: true, resume: true }).pipe(Effect.provide(ExactMatchVerifier))
      expect(comparable(log)).toEqual(comparable(runLogPath(reference.trainer.runDir)))
    })
  )
})

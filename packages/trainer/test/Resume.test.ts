import { describe, expect, it } from "@effect/vitest"
import { Backend } from "@oneshot/policy"
import { Effect, Fiber, Layer, Schema } from "effect"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { BigramPolicyLayer } from "../src/BigramPolicy.ts"
import { latestCheckpoint } from "../src/Checkpoint.ts"
import { TrainConfig } from "../src/Config.ts"
import { runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, SlowVerifier, taskConfig, tempDir } from "./support/Task.ts"

const source = (dir: string | undefined) => BigramPolicyLayer({ seed: 1 }, dir)
const env = Layer.merge(ExactMatchVerifier, Backend.wasm)
const child = fileURLToPath(new URL("./support/trainChild.ts", import.meta.url))

/** The run log without headers and timing fields: what must not depend on interruptions. */
const comparable = (path: string): Array<unknown> =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { _tag: string; metrics?: Record<string, number> })
    .filter((l) => l._tag !== "header")
    .map((l) =>
      l.metrics === undefined ? l : { ...l, metrics: Object.fromEntries(Object.entries(l.metrics).filter(([k]) => !k.startsWith("timing_s/"))) }
    )

const countSteps = (path: string): number => (existsSync(path) ? (readFileSync(path, "utf8").match(/"_tag":"step"/g) ?? []).length : 0)

const withSteps = (dir: string, name: string, steps: number, algorithm: Record<string, unknown> = {}) =>
  taskConfig(dir, { algorithm, trainer: { steps, batchSize: 5, checkpointEvery: 7, generationsEvery: 5, runDir: join(dir, name) } })

describe("resume", () => {
  it.effect("kill -9 mid-run, then --resume: the run log equals an uninterrupted run's", () =>
    Effect.gen(function* () {
      const dir = tempDir("kill")
      const steps = 40
      const reference = withSteps(dir, "uninterrupted", steps)
      yield* train(reference, source, { quiet: true })

      const config = withSteps(dir, "killed", steps)
      const configPath = join(dir, "killed.json")
      writeFileSync(configPath, JSON.stringify(Schema.encodeSync(TrainConfig)(config)))
      const log = runLogPath(config.trainer.runDir)

      // Start, wait for 17 steps (last checkpoint at 14), kill -9.
      const signal = yield* Effect.async<NodeJS.Signals | null>((resume) => {
        const p = spawn(process.execPath, ["--import", "tsx", child, configPath], { stdio: "ignore" })
        const timer = setInterval(() => {
          if (countSteps(log) >= 17) {
            clearInterval(timer)
            p.kill("SIGKILL")
          }
        }, 5)
        p.on("exit", (_code, sig) => {
          clearInterval(timer)
          resume(Effect.succeed(sig))
        })
      })
      expect(signal).toBe("SIGKILL")
      const killedAt = countSteps(log)
      expect(killedAt).toBeLessThan(steps)
      const ckpt = yield* latestCheckpoint(config.trainer.runDir)
      expect(ckpt?.state.step).toBeGreaterThanOrEqual(14)

      const r = spawnSync(process.execPath, ["--import", "tsx", child, configPath, "--resume"], { encoding: "utf8" })
      expect(r.status, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout.trim())).toEqual({ step: steps, finished: true })

      expect(comparable(log)).toEqual(comparable(runLogPath(reference.trainer.runDir)))
      // The resumed run says where it resumed from, and the steps it recomputed were kept aside, not lost.
      const headers = readFileSync(log, "utf8").split("\n").filter((l) => l.includes('"_tag":"header"'))
      expect(headers).toHaveLength(2)
      expect(JSON.parse(headers[1]!).resumedFrom).toBe(ckpt?.state.step)
      if (killedAt > ckpt!.state.step) expect(readdirSync(config.trainer.runDir).some((f) => f.startsWith("runlog.jsonl.orphaned-"))).toBe(true)
    }).pipe(Effect.provide(env))
  )

  for (const algorithm of [{ advEstimator: "grpo" }, { advEstimator: "gae", gamma: 1, lambda: 1 }]) {
  it.live(`interruption (Ctrl-C) checkpoints the last completed step; resuming gives the same log (${algorithm.advEstimator})`, () =>
      Effect.gen(function* () {
        const dir = tempDir("interrupt")
        const reference = withSteps(dir, "uninterrupted", 20, algorithm)
        yield* train(reference, source, { quiet: true })
        const config = withSteps(dir, "interrupted", 20, algorithm)
        const log = runLogPath(config.trainer.runDir)
        const fiber = yield* Effect.fork(train(config, source, { quiet: true }).pipe(Effect.provide(SlowVerifier)))
        while (countSteps(log) < 9) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(fiber)
        const ckpt = yield* latestCheckpoint(config.trainer.runDir)
        expect(ckpt?.state.step).toBe(countSteps(log))
        expect(ckpt!.state.step).toBeLessThan(20)
        const r = yield* train(config, source, { quiet: true, resume: true })
        expect(r.finished).toBe(true)
        expect(comparable(log)).toEqual(comparable(runLogPath(reference.trainer.runDir)))
      }).pipe(Effect.provide(env))
    )

  }

  it.effect("refuses to overwrite a run directory without --resume", () =>
    Effect.gen(function* () {
      const config = withSteps(tempDir("exists"), "run", 2)
      yield* train(config, source, { quiet: true })
      const err = yield* Effect.flip(train(config, source, { quiet: true }))
      expect(err.message).toMatch(/expected an empty run directory/)
    }).pipe(Effect.provide(env))
  )

  it.effect("--resume refuses a config that changes what the run computes, allows a longer run", () =>
    Effect.gen(function* () {
      const dir = tempDir("resume-config")
      const config = withSteps(dir, "run", 4)
      yield* train(config, source, { quiet: true })
      const changed = withSteps(dir, "run", 4, { advEstimator: "rloo" })
      const e = yield* Effect.flip(train(changed, source, { quiet: true, resume: true }))
      expect(e.message).toMatch(/changed algorithm.advEstimator/)
      const longer = withSteps(dir, "run", 6)
      const r = yield* train(longer, source, { quiet: true, resume: true })
      expect(r.step).toBe(6)
    }).pipe(Effect.provide(env))
  )
})

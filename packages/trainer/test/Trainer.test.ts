import { describe, expect, it } from "@effect/vitest"
import { Backend } from "@oneshot/policy"
import { Effect, Layer } from "effect"
import { BigramPolicyLayer } from "../src/BigramPolicy.ts"
import { readRunLog, runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"

const source = (dir: string | undefined) => BigramPolicyLayer({ seed: 1 }, dir)
const env = Layer.merge(ExactMatchVerifier, Backend.wasm)

const scoreSeries = (lines: ReadonlyArray<{ _tag: string }>) =>
  lines.flatMap((l) => (l._tag === "step" ? [(l as unknown as { metrics: Record<string, number> }).metrics["critic/score/mean"]!] : []))
const avg = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length

describe("trainer end to end (bigram policy, next-digit task, wasm)", () => {
  it.effect("GRPO raises the reward within 30 steps", () =>
    Effect.gen(function* () {
      const config = taskConfig(tempDir("grpo"))
      const result = yield* train(config, source, { quiet: true })
      expect(result.finished).toBe(true)
      const scores = scoreSeries(yield* readRunLog(runLogPath(config.trainer.runDir)))
      expect(scores).toHaveLength(30)
      expect(avg(scores.slice(-5))).toBeGreaterThan(avg(scores.slice(0, 5)) + 0.3)
    }).pipe(Effect.provide(env))
  )

  it.effect("PPO (GAE + value head) raises the reward too", () =>
    Effect.gen(function* () {
      const config = taskConfig(tempDir("ppo"), { algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 }, critic: { optimizer: { lr: 0.1, weightDecay: 0 } } })
      yield* train(config, source, { quiet: true })
      const lines = yield* readRunLog(runLogPath(config.trainer.runDir))
      const scores = scoreSeries(lines)
      expect(avg(scores.slice(-5))).toBeGreaterThan(avg(scores.slice(0, 5)) + 0.3)
      const last = lines.filter((l) => l._tag === "step").at(-1) as unknown as { metrics: Record<string, number> }
      expect(last.metrics["critic/vf_loss"]).toBeTypeOf("number")
    }).pipe(Effect.provide(env))
  )
})

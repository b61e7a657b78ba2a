/**
 * The config switches reach the math: format reward, KL as a reward penalty,
 * and Table 5 row 1 (every term off: nothing may change).
 */
import { describe, expect, it } from "@effect/vitest"
import { Backend } from "@oneshot/policy"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { BigramPolicyLayer } from "../src/BigramPolicy.ts"
import { readRunLog, runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"

const source = (dir: string | undefined) => BigramPolicyLayer({ seed: 1 }, dir)
const env = Layer.merge(ExactMatchVerifier, Backend.wasm)

const stepMetrics = (runDir: string) =>
  Effect.map(readRunLog(runLogPath(runDir)), (ls) => ls.flatMap((l) => (l._tag === "step" ? [l.metrics] : [])))

describe("config switches", () => {
  it.effect("reward.mode = format grades with the Verifier's format mode", () =>
    Effect.gen(function* () {
      const dir = tempDir("format")
      const config = taskConfig(dir, { reward: { mode: "format" }, trainer: { steps: 2, batchSize: 5, runDir: join(dir, "run") } })
      yield* train(config, source, { quiet: true })
      const ms = yield* stepMetrics(config.trainer.runDir)
      // every non-EOS one-token response is "formatted"; at random init that is ~13/14 of them
      expect(ms[0]!["critic/score/mean"]).toBeGreaterThan(0.7)
    }).pipe(Effect.provide(env))
  )

  it.effect("algorithm.klRewardCoef puts the KL into the reward (and needs no KL loss)", () =>
    Effect.gen(function* () {
      const dir = tempDir("klreward")
      const config = taskConfig(dir, {
        algorithm: { klRewardCoef: 0.5, klRewardEstimator: "k1" },
        actor: { klCoef: 0, optimizer: { lr: 0.2, weightDecay: 0 } },
        trainer: { steps: 6, batchSize: 5, runDir: join(dir, "run") }
      })
      yield* train(config, source, { quiet: true })
      const ms = yield* stepMetrics(config.trainer.runDir)
      expect(ms[0]!["actor/reward_kl_penalty"]).toBeCloseTo(0, 6) // policy = reference at step 1
      expect(Math.abs(ms.at(-1)!["actor/reward_kl_penalty"]!)).toBeGreaterThan(1e-4)
      expect(ms.at(-1)!["actor/kl_loss"]).toBe(0)
    }).pipe(Effect.provide(env))
  )

  it.effect("Table 5 row 1 (pg, entropy, KL and weight decay all 0) leaves the policy unchanged", () =>
    Effect.gen(function* () {
      const dir = tempDir("row1")
      const config = taskConfig(dir, {
        actor: { pgCoef: 0, entropyCoef: 0, klCoef: 0, optimizer: { lr: 0.2, weightDecay: 0 } },
        trainer: { steps: 5, batchSize: 5, checkpointEvery: 1, keepCheckpoints: 0, runDir: join(dir, "run") }
      })
      yield* train(config, source, { quiet: true })
      const ms = yield* stepMetrics(config.trainer.runDir)
      expect(ms.every((m) => m["actor/grad_norm"] === 0)).toBe(true)
      const weights = (step: number) => readFileSync(join(config.trainer.runDir, "checkpoints", `step_00000${step}`, "policy", "bigram.json"), "utf8")
      expect(weights(5)).toBe(weights(1))
    }).pipe(Effect.provide(env))
  )
})

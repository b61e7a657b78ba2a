/**
 * Small runs whose logs were recorded before the trainer was split into
 * stages (test/fixtures/reference-runlogs/, written by recordReferenceRuns.ts
 * at commit f2dc646). With one worker and no skips the trainer must still
 * write these logs byte for byte, timings and the header aside.
 */
import { Backend } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { BigramPolicyLayer } from "../../src/BigramPolicy.ts"
import type { TrainConfig } from "../../src/Config.ts"
import { policySourceFor } from "../../src/PolicySource.ts"
import { loadConfig } from "../../src/Presets.ts"
import { runLogPath, train, type TrainOptions } from "../../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig } from "./Task.ts"

export const FIXTURES = fileURLToPath(new URL("../fixtures/reference-runlogs/", import.meta.url))

export interface ReferenceRun {
  readonly name: string
  /** Trains in `dir` and returns the run log's path. */
  readonly run: (dir: string, options?: TrainOptions) => Effect.Effect<string, unknown>
}

const bigram = (name: string, overrides: Record<string, unknown>): ReferenceRun => ({
  name,
  run: (dir, options = {}) => {
    const config = taskConfig(dir, { ...overrides, trainer: { steps: 8, batchSize: 5, checkpointEvery: 4, generationsEvery: 3, runDir: join(dir, name) } })
    return train(config, (d) => BigramPolicyLayer({ seed: 1 }, d), { quiet: true, ...options }).pipe(
      Effect.map((r) => r.runLog),
      Effect.provide(Layer.merge(ExactMatchVerifier, Backend.wasm))
    )
  }
})

const transformer = (name: string, preset: string, sets: ReadonlyArray<string>): ReferenceRun => ({
  name,
  run: (dir, options = {}) =>
    Effect.gen(function* () {
      const config: TrainConfig = yield* loadConfig({ preset, sets: [...sets, `trainer.runDir=${join(dir, name)}`] })
      yield* train(config, policySourceFor(config), { quiet: true, ...options })
      return runLogPath(config.trainer.runDir)
    }).pipe(Effect.provide(VerifierLive))
})

export const REFERENCE_RUNS: ReadonlyArray<ReferenceRun> = [
  bigram("bigram-grpo-kl-reward", { algorithm: { klRewardCoef: 0.05, klRewardEstimator: "k3" } }),
  bigram("bigram-rloo-minibatches", { algorithm: { advEstimator: "rloo" }, actor: { optimizer: { lr: 0.2, weightDecay: 0 }, miniBatchSize: 2, ppoEpochs: 2, shuffle: true, microBatchSize: 4 } }),
  bigram("bigram-gae", { algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 } }),
  transformer("transformer-grpo", "demo-next-digit", ["trainer.steps=5", "rollout.maxTokens=12", "actor.microBatchSize=16", "trainer.checkpointEvery=3", "trainer.generationsEvery=2"]),
  transformer("transformer-ppo", "demo-next-digit-ppo", ["trainer.steps=4", "rollout.maxTokens=6", "trainer.checkpointEvery=2"])
]

/** The run log without header lines and timing metrics, one JSON line each: what a refactor must not change. */
export const comparableRunLog = (path: string): string =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { _tag: string; metrics?: Record<string, number> })
    .filter((l) => l._tag !== "header")
    .map((l) =>
      JSON.stringify(l.metrics === undefined ? l : { ...l, metrics: Object.fromEntries(Object.entries(l.metrics).filter(([k]) => !k.startsWith("timing_s/"))) })
    )
    .join("\n") + "\n"

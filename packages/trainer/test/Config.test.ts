import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { configWithOverrides } from "../src/Config.ts"
import { loadConfig, presets } from "../src/Presets.ts"

describe("config", () => {
  it.effect("every preset decodes", () =>
    Effect.gen(function* () {
      for (const name of presets.keys()) {
        const c = yield* loadConfig({ preset: name })
        expect(c.experiment.length).toBeGreaterThan(0)
      }
    })
  )
  it.effect("the paper preset carries the paper's hyper-parameters", () =>
    Effect.gen(function* () {
      const c = yield* loadConfig({ preset: "paper-1shot-pi1" })
      expect([c.trainer.batchSize, c.rollout.n, c.rollout.temperature, c.trainer.steps]).toEqual([128, 8, 0.6, 2000])
      expect([c.actor.optimizer.lr, c.actor.optimizer.weightDecay, c.actor.optimizer.gradClip]).toEqual([1e-6, 0.01, 1])
      expect([c.actor.klCoef, c.actor.klEstimator, c.actor.entropyCoef, c.actor.clipLow]).toEqual([0.001, "k3", 0.001, 0.2])
    })
  )
  it.effect("Table 5 rows are configs: PG off, no weight decay, wrong label", () =>
    Effect.gen(function* () {
      const row1 = yield* loadConfig({ preset: "ablation-none" })
      expect([row1.actor.pgCoef, row1.actor.klCoef, row1.actor.entropyCoef, row1.actor.optimizer.weightDecay]).toEqual([0, 0, 0, 0])
      const row7 = yield* loadConfig({ preset: "ablation-pg-ent" })
      expect([row7.actor.pgCoef, row7.actor.entropyCoef, row7.actor.optimizer.weightDecay]).toEqual([1, 0.001, 0])
      const row12 = yield* loadConfig({ preset: "label-4" })
      expect(row12.data.labelOverride).toBe("4")
      expect(row12.tags).toContain("row12")
      const fmt = yield* loadConfig({ preset: "format-baseline" })
      expect(fmt.reward.mode).toBe("format")
      const ppo = yield* loadConfig({ preset: "ppo-1shot-pi1" })
      expect(ppo.algorithm.advEstimator).toBe("gae")
    })
  )
  it.effect("1shot-pi<k> picks the example of rank k (π1207 = index 174), as the paper numbers them", () =>
    Effect.gen(function* () {
      const c = yield* loadConfig({ preset: "1shot-pi1207" })
      expect([c.experiment, c.data.ids, c.data.duplicateTo]).toEqual(["1shot-pi1207", ["174"], 128])
      const p = yield* loadConfig({ preset: "paper-1shot-pi606" })
      expect([p.experiment, p.data.ids, p.trainer.batchSize]).toEqual(["1shot-pi606", ["906"], 128])
      const e = yield* Effect.flip(loadConfig({ preset: "1shot-pi5000" }))
      expect(e.message).toMatch(/expected π1 … π1209, got π5000/)
    })
  )
  it.effect("--set overrides, parsed as JSON when possible", () =>
    Effect.gen(function* () {
      const c = yield* loadConfig({ preset: "1shot-pi1", sets: ["actor.entropyCoef=0", "rollout.temperature=1.0", "tags=[\"x\"]", "experiment=mine"] })
      expect([c.actor.entropyCoef, c.rollout.temperature, c.tags, c.experiment]).toEqual([0, 1, ["x"], "mine"])
    })
  )
  it.effect("a bad config names the field, the value and what was expected", () =>
    Effect.gen(function* () {
      const e1 = yield* Effect.flip(loadConfig({ preset: "1shot-pi1", sets: ["actor.klCoef=-1"] }))
      expect(e1.message).toBe("preset 1shot-pi1 field actor.klCoef: expected a non-negative number, got -1")
      const e2 = yield* Effect.flip(loadConfig({ preset: "1shot-pi1", sets: ["actor.aggregation=mean"] }))
      expect(e2.message).toMatch(/field actor.aggregation: expected "token-mean" or "seq-mean-token-sum" or "seq-mean-token-mean", got "mean"/)
      const e3 = yield* Effect.flip(loadConfig({ preset: "1shot-pi1", sets: ["rollout.temperture=1"] }))
      expect(e3.message).toMatch(/field rollout.temperture: expected no such field \(did you mean rollout.temperature\?\), got 1/)
      const e4 = yield* Effect.flip(configWithOverrides({}, []))
      expect(e4.message).toMatch(/field experiment: expected a value \(required\)/)
      const e5 = yield* Effect.flip(loadConfig({ preset: "nope" }))
      expect(e5.message).toMatch(/--preset nope: expected one of .*paper-1shot-pi1/)
    })
  )
})

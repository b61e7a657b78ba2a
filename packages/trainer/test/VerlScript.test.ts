/**
 * The authors' training script's Hydra overrides load as a config: verl key
 * names are aliases of this trainer's fields, infrastructure keys are
 * reported as ignored, `total_epochs` becomes steps from the data size.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { applyOverrides, composeConfig, encodeConfig } from "../src/Config.ts"
import { klEstimatorFromVerl } from "../src/Kl.ts"
import { presetJson } from "../src/Presets.ts"

const SCRIPT = fileURLToPath(new URL("../configs/training_1.5b_pi1_r128.sh", import.meta.url))
const DATA = fileURLToPath(new URL("../data/", import.meta.url))

/** The overrides as the shell passes them to main_ppo: the words after `main_ppo`, quotes removed, $HOME/data/train/one_shot_rlvr → this repo's data. */
const scriptOverrides = (text: string): ReadonlyArray<string> =>
  text
    .slice(text.indexOf("main_ppo") + "main_ppo".length)
    .split(/\s+/)
    .filter((w) => /^\+?[a-z_][\w.]*=/.test(w))
    .map((w) => w.replaceAll("'", "").replace("$HOME/data/train/one_shot_rlvr/", DATA))

describe("verl overrides", () => {
  it.effect("the authors' training_1.5b_pi1_r128.sh loads as the paper's recipe", () =>
    Effect.gen(function* () {
      const overrides = scriptOverrides(readFileSync(SCRIPT, "utf8"))
      expect(overrides.length).toBeGreaterThan(30)
      const { config: c, ignored } = yield* composeConfig({ overrides })
      expect(c.algorithm.advEstimator).toBe("grpo")
      expect(c.data.train).toBe(join(DATA, "pi1_r128.parquet"))
      expect([c.trainer.batchSize, c.rollout.n, c.rollout.temperature, c.rollout.maxTokens]).toEqual([128, 8, 0.6, 3072])
      expect([c.actor.optimizer.lr, c.actor.miniBatchSize, c.actor.klCoef, c.actor.klEstimator]).toEqual([1e-6, 128, 0.001, "k3"])
      // The KL is a loss here, not a reward penalty: verl ignores kl_ctrl while use_kl_loss is on.
      expect(c.algorithm.klRewardCoef).toBe(0)
      // 128 rows / batch 128 = one step per epoch.
      expect(c.trainer.steps).toBe(2000)
      expect([c.trainer.checkpointEvery, c.eval.every, c.eval.beforeTrain]).toEqual([20, 20, true])
      expect(c.experiment).toBe("Qwen2.5-Math-1.5B-pi1_r128")
      expect(ignored).toContain("actor_rollout_ref.rollout.tensor_model_parallel_size")
      expect(ignored).toContain("trainer.n_gpus_per_node")
    })
  )

  it.effect("matches the paper-1shot-pi1 preset on every hyper-parameter the script sets", () =>
    Effect.gen(function* () {
      const fromScript = (yield* composeConfig({ overrides: scriptOverrides(readFileSync(SCRIPT, "utf8")) })).config
      const preset = (yield* composeConfig({ preset: { name: "paper-1shot-pi1", json: yield* presetJson("paper-1shot-pi1") } })).config
      const pick = (c: typeof preset) => [c.trainer.batchSize, c.rollout.n, c.rollout.temperature, c.trainer.steps, c.actor.optimizer.lr, c.actor.klCoef, c.actor.klEstimator]
      expect(pick(fromScript)).toEqual(pick(preset))
    })
  )

  it.effect("use_kl_loss=False moves kl_ctrl into the reward; clip_ratio sets both bounds; Hydra values parse", () =>
    Effect.gen(function* () {
      const a = yield* applyOverrides({}, [
        "actor_rollout_ref.actor.use_kl_loss=False",
        "algorithm.kl_ctrl.kl_coef=0.002",
        "actor_rollout_ref.actor.clip_ratio=0.28",
        "actor_rollout_ref.actor.loss_agg_mode=seq-mean-token-sum",
        "data.train_files=['x.parquet']",
        "+trainer.steps=3"
      ])
      expect(a.raw).toEqual({
        actor: { klCoef: 0, clipLow: 0.28, clipHigh: 0.28, aggregation: "seq-mean-token-sum" },
        algorithm: { klRewardCoef: 0.002 },
        data: { train: "x.parquet" },
        trainer: { steps: 3 }
      })
    })
  )
})

describe("config sources", () => {
  const dir = mkdtempSync(join(tmpdir(), "cfg-"))
  it.effect("--preset, then --config (YAML), then overrides, in that order", () =>
    Effect.gen(function* () {
      const file = join(dir, "c.yaml")
      writeFileSync(file, "actor:\n  entropyCoef: 0\n  klCoef: 0.5\ntrainer:\n  steps: 7\n")
      const { config: c } = yield* composeConfig({ preset: { name: "1shot-pi1", json: yield* presetJson("1shot-pi1") }, configFile: file, overrides: ["trainer.steps=3"] })
      expect([c.actor.entropyCoef, c.actor.klCoef, c.trainer.steps, c.experiment]).toEqual([0, 0.5, 3, "1shot-pi1"])
    })
  )
  it.effect("a misspelt key suggests the field it was probably meant to be", () =>
    Effect.gen(function* () {
      const r = yield* Effect.either(composeConfig({ preset: { name: "1shot-pi1", json: yield* presetJson("1shot-pi1") }, overrides: ["actor.entropyCoeff=0"] }))
      expect(Either.isLeft(r) && r.left.message).toMatch(/actor\.entropyCoeff: .*no such field \(did you mean actor\.entropyCoef\?\)/)
    })
  )
  it.effect("a YAML file that is not a mapping names the file", () =>
    Effect.gen(function* () {
      const file = join(dir, "list.yaml")
      writeFileSync(file, "- a\n- b\n")
      const r = yield* Effect.either(composeConfig({ configFile: file }))
      expect(Either.isLeft(r) && r.left.message).toContain(`--config ${file}: expected a mapping`)
    })
  )
  it.effect("the resolved config round-trips through its JSON form", () =>
    Effect.gen(function* () {
      const { config } = yield* composeConfig({ preset: { name: "1shot-pi1", json: yield* presetJson("1shot-pi1") } })
      const again = yield* composeConfig({ overrides: [], preset: { name: "x", json: encodeConfig(config) } })
      expect(encodeConfig(again.config)).toEqual(encodeConfig(config))
    })
  )
})

describe("klEstimatorFromVerl", () => {
  it("knows verl's names and nothing inherited from Object", () => {
    expect(klEstimatorFromVerl("low_var_kl")).toBe("k3")
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) expect(klEstimatorFromVerl(name)).toBeUndefined()
  })
})

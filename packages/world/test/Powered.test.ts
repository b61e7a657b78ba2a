import { decodeConfig } from "@oneshot/trainer/Config"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { readSplit } from "../src/Files.ts"
import { POWERED_ROLES, POWERED_SEEDS, poweredConfig, poweredRunName } from "../src/Powered.ts"
import { TEST_SPLITS } from "../src/Splits.ts"
import { splitTrainingPool } from "../src/Validation.ts"
import selection from "../experiments/selection.json" with { type: "json" }

const { pool, validation } = splitTrainingPool(Effect.runSync(readSplit("world-train")))
const poolIds = pool.map((p) => p.id)
const choice = { lr: 1e-4, entropyCoef: 0.01, n: 8 }

describe("the powered runs' configs", () => {
  for (const role of POWERED_ROLES) {
    it(`${role}: 200 steps of ≥ 64 rollouts, every test set every 20 steps, the sweep's choice, never the validation rows`, async () => {
      for (const seed of POWERED_SEEDS) {
        const c = await Effect.runPromise(decodeConfig(poweredConfig(role, seed, choice, selection, "/base", `/runs/${poweredRunName(role, seed)}`, poolIds), role))
        expect(c.experiment).toBe(role)
        expect(c.seed).toBe(seed)
        expect(c.trainer.steps).toBe(200)
        expect(c.trainer.batchSize * c.rollout.n).toBeGreaterThanOrEqual(64)
        expect(c.eval.every).toBe(20)
        expect(c.eval.benchmarks).toEqual([...TEST_SPLITS])
        expect(c.eval.perProblem).toBe(true)
        expect(c.trainer.checkpointEvery).toBe(20)
        if (!role.startsWith("ppo")) expect(c.actor.optimizer.lr).toBe(choice.lr)
        const trained = c.data.ids ?? []
        expect(trained.length).toBeGreaterThan(0)
        const val = new Set(validation.map((p) => p.id))
        expect(trained.filter((id) => val.has(id))).toEqual([])
      }
    })
  }
  it("keeps each role's own entropy setting, and the chosen one where the role keeps the bonus", async () => {
    const ent = async (role: string) => (await Effect.runPromise(decodeConfig(poweredConfig(role, 0, choice, selection, "/b", "/r", poolIds), role))).actor.entropyCoef
    expect(await ent("1shot-pi1")).toBe(0.01)
    expect(await ent("ablation-ent-only")).toBe(0.01)
    expect(await ent("1shot-pi1-no-ent")).toBe(0)
    expect(await ent("ablation-pg-only")).toBe(0)
  })
})

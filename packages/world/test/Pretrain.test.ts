import { describe, expect, it } from "@effect/vitest"
import { Backend } from "@oneshot/policy"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { SftConfig } from "@oneshot/trainer/Sft"
import { latestStepCheckpoint, runPretrain } from "../src/BaseModel.ts"
import { corpusBatches, PRETRAIN_PRESETS, presetByName } from "../src/Pretrain.ts"

describe("Pretrain", () => {
  it("corpus batches are deterministic, sized, and split into prompt / completion", () => {
    const p = PRETRAIN_PRESETS.smoke
    const a = corpusBatches(p)(3)
    expect(a).toEqual(corpusBatches(p)(3))
    expect(a.length).toBe(p.sft.batchSize)
    for (const e of a) {
      expect(e.prompt).toMatch(/^Q: .*\nA: $/s)
      expect(e.completion.length).toBeGreaterThan(0)
    }
  })

  it("presetByName rejects an unknown preset naming the choices", () => {
    expect(() => presetByName("huge")).toThrow(/expected one of base, base-v2, base-v2-warm, pilot-v2, pilot-v2-warm, pilot-v2-warm-lead, pilot-v2-warm-norm, pilot-v2-warm-careful, smoke/)
  })

  it("presets from before the loss normalisation keep the per-batch token mean (their runs are unchanged)", () => {
    for (const p of [PRETRAIN_PRESETS.base, PRETRAIN_PRESETS["base-v2"], PRETRAIN_PRESETS["pilot-v2"], PRETRAIN_PRESETS["pilot-v2-warm"], PRETRAIN_PRESETS["pilot-v2-warm-lead"], PRETRAIN_PRESETS.smoke]) {
      expect(p.sft.lossNorm).toBeUndefined()
    }
  })

  it("a fixed token budget is its corpus's mean target tokens per batch (within 3% over the first 200 steps), so the lr keeps its meaning", () => {
    for (const p of [PRETRAIN_PRESETS["pilot-v2-warm-norm"], PRETRAIN_PRESETS["pilot-v2-warm-careful"], PRETRAIN_PRESETS["base-v2-warm"]]) {
      const norm = p.sft.lossNorm
      if (norm?._tag !== "fixed-token-budget") throw new Error(`${p.name}: expected a fixed token budget`)
      const batches = corpusBatches(p)
      let tokens = 0
      for (let s = 0; s < 200; s++) for (const e of batches(s)) tokens += e.completion.length + 1 // completion + EOS (char tokenizer)
      expect(Math.abs(tokens / 200 / norm.tokens - 1)).toBeLessThan(0.03)
    }
  })

  it("length bucketing deals out the same documents, each batch sorted by length", () => {
    const p = { ...PRETRAIN_PRESETS.smoke, bucketSteps: 4 }
    const plain = corpusBatches({ ...p, bucketSteps: 1 })
    const bucketed = corpusBatches(p)
    const key = (e: { prompt: string; completion: string }) => e.prompt + e.completion
    const a = [0, 1, 2, 3].flatMap((s) => plain(s).map(key)).sort()
    const b = [0, 1, 2, 3].flatMap((s) => bucketed(s).map(key)).sort()
    expect(b).toEqual(a)
    const lengths = [0, 1, 2, 3].map((s) => bucketed(s).map((e) => key(e).length))
    const ranges = lengths.map((ls) => [Math.min(...ls), Math.max(...ls)] as const).sort((x, y) => x[0] - y[0])
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThanOrEqual(ranges[i - 1]![1])
    expect(corpusBatches(p)(2)).toEqual(bucketed(2))
  })

  it.effect("the smoke preset runs end to end, is deterministic for its seed, lowers the loss and writes a checkpoint + run log", () =>
    Effect.gen(function* () {
      const dir1 = fs.mkdtempSync(path.join(os.tmpdir(), "pretrain-"))
      const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "pretrain-"))
      const r1 = yield* runPretrain(PRETRAIN_PRESETS.smoke, dir1)
      const r2 = yield* runPretrain(PRETRAIN_PRESETS.smoke, dir2)
      expect(r1.length).toBe(1)
      expect(r1[0]!.history.map((m) => m.loss)).toEqual(r2[0]!.history.map((m) => m.loss))
      expect(r1[0]!.lastLoss).toBeLessThan(r1[0]!.firstLoss)
      // A completed run has nothing left to do.
      expect((yield* runPretrain(PRETRAIN_PRESETS.smoke, dir1)).length).toBe(0)
      for (const f of ["config.json", "tokenizer.json", "model.safetensors"]) expect(fs.existsSync(path.join(dir1, "final", f))).toBe(true)
      expect(fs.readFileSync(path.join(dir1, "final", "model.safetensors")).equals(fs.readFileSync(path.join(dir2, "final", "model.safetensors")))).toBe(true)
      const log = fs.readFileSync(path.join(dir1, "pretrain.log.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { _tag: string })
      expect(log[0]?._tag).toBe("header")
      expect(log.filter((l) => l._tag === "step").length).toBe(3)
    }).pipe(Effect.provide(Backend.wasm))
  )

  it.effect("a killed run resumes from its latest step checkpoint and ends in the same weights as an uninterrupted one", () =>
    Effect.gen(function* () {
      const smoke = PRETRAIN_PRESETS.smoke
      const p = { ...smoke, sft: SftConfig.make({ ...smoke.sft, checkpointEvery: 2 }) }
      const whole = fs.mkdtempSync(path.join(os.tmpdir(), "pretrain-"))
      yield* runPretrain(p, whole)
      expect(latestStepCheckpoint(whole)?.step).toBe(4)
      // The killed run: only its checkpoints up to step 4 exist (step_4 complete, a step_6 without optimizer state).
      const killed = fs.mkdtempSync(path.join(os.tmpdir(), "pretrain-"))
      for (const s of ["step_2", "step_4"]) fs.cpSync(path.join(whole, s), path.join(killed, s), { recursive: true })
      fs.cpSync(path.join(whole, "step_4"), path.join(killed, "step_6"), { recursive: true })
      fs.rmSync(path.join(killed, "step_6", "optimizer.json"))
      expect(latestStepCheckpoint(killed)).toEqual({ step: 4, dir: path.join(killed, "step_4") })
      const resumed = yield* runPretrain(p, killed)
      expect(resumed[0]!.steps).toBe(2)
      const weights = (d: string) => fs.readFileSync(path.join(d, "final", "model.safetensors"))
      expect(weights(killed).equals(weights(whole))).toBe(true)
      const header = JSON.parse(fs.readFileSync(path.join(killed, "pretrain.log.jsonl"), "utf8").split("\n")[0]!) as { config: { resumedAfterStep?: number } }
      expect(header.config.resumedAfterStep).toBe(4)
    }).pipe(Effect.provide(Backend.wasm))
  )
})

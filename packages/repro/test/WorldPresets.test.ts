/**
 * `rlvr train --preset world-<role>` reruns the recorded world run of that
 * role: the preset's config equals the config in the recorded run's header,
 * but for where the files were (run directory, model and data paths).
 */
import { decodeConfig, encodeConfig } from "@oneshot/trainer/Config"
import { recordedExamples, worldPresetJson } from "@oneshot/world/TrainPresets"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const RUNS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "runs", "world-cpu")

/** The config without the machine-specific paths. */
const portable = (config: unknown): unknown => {
  const c = structuredClone(config) as { trainer: { runDir?: string }; model: { path?: string }; data: { train?: string } }
  delete c.trainer.runDir
  delete c.model.path
  delete c.data.train
  return c
}

const recorded = fs
  .readdirSync(RUNS)
  .filter((f) => f.endsWith(".jsonl") && f !== "selection-full-set.jsonl")
  .map((f) => {
    const header = JSON.parse(fs.readFileSync(path.join(RUNS, f), "utf8").split("\n")[0]!) as { config: { experiment: string } }
    return { file: f, config: header.config }
  })

describe("world presets of rlvr train", () => {
  it("cover every recorded world run", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(20)
  })
  for (const run of recorded) {
    it(`world-${run.config.experiment} is the config of the recorded ${run.file}`, async () => {
      const json = await Effect.runPromise(Effect.flatMap(recordedExamples(), (ex) => worldPresetJson(`world-${run.config.experiment}`, ex)))
      const config = await Effect.runPromise(decodeConfig(JSON.parse(JSON.stringify(json)) as unknown, "preset"))
      expect(portable(encodeConfig(config))).toEqual(portable(run.config))
    })
  }
})

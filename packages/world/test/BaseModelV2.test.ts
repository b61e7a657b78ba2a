import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { CHECKPOINT_FILES, verifyCheckpoint } from "../src/BaseModel.ts"
import { PRETRAIN_PRESETS } from "../src/Pretrain.ts"

/** `models/base-v2`: base model v2 (issue 15), published from `rlvr pretrain --preset base-v2-warm`. */
const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "models", "base-v2")

describe("the committed base model v2", () => {
  it.effect("matches its SHA256SUMS and is at most 20 MB", () =>
    Effect.gen(function* () {
      yield* verifyCheckpoint(DIR)
      const bytes = CHECKPOINT_FILES.reduce((s, f) => s + fs.statSync(path.join(DIR, f)).size, 0)
      expect(bytes).toBeLessThanOrEqual(20 * 1024 * 1024)
    })
  )

  it("has the shape of the preset it was trained under", () => {
    const config = JSON.parse(fs.readFileSync(path.join(DIR, "config.json"), "utf8")) as Record<string, unknown>
    const model = PRETRAIN_PRESETS["base-v2-warm"].model
    expect(config["hidden_size"]).toBe(model.hidden_size)
    expect(config["num_hidden_layers"]).toBe(model.num_hidden_layers)
    expect(config["max_position_embeddings"]).toBe(model.max_position_embeddings)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { BASE_MODEL_DIR, CHECKPOINT_FILES, verifyCheckpoint } from "../src/BaseModel.ts"
import { BASE_MODEL_CONFIG } from "../src/Pretrain.ts"

describe("the committed base model", () => {
  it.effect("matches its SHA256SUMS and is at most 20 MB", () =>
    Effect.gen(function* () {
      yield* verifyCheckpoint()
      const bytes = CHECKPOINT_FILES.reduce((s, f) => s + fs.statSync(path.join(BASE_MODEL_DIR, f)).size, 0)
      expect(bytes).toBeLessThanOrEqual(20 * 1024 * 1024)
    })
  )

  it("has the base preset's shape", () => {
    const config = JSON.parse(fs.readFileSync(path.join(BASE_MODEL_DIR, "config.json"), "utf8")) as Record<string, unknown>
    expect(config["hidden_size"]).toBe(BASE_MODEL_CONFIG.hidden_size)
    expect(config["num_hidden_layers"]).toBe(BASE_MODEL_CONFIG.num_hidden_layers)
    expect(config["max_position_embeddings"]).toBe(BASE_MODEL_CONFIG.max_position_embeddings)
  })

  it.effect("verifyCheckpoint names a tampered file", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ck-"))
      for (const f of [...CHECKPOINT_FILES, "SHA256SUMS"]) fs.copyFileSync(path.join(BASE_MODEL_DIR, f), path.join(dir, f))
      fs.appendFileSync(path.join(dir, "config.json"), " ")
      const err = yield* Effect.flip(verifyCheckpoint(dir))
      expect(err.message).toMatch(/config\.json: expected sha256/)
    })
  )
})

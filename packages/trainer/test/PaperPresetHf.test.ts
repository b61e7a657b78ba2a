/**
 * The paper's preset on a Hugging Face model directory: `paper-1shot-pi1` with
 * `model.path` = a tiny random Qwen2 checkpoint with the real Qwen2.5
 * vocabulary (packages/policy/test/fixtures/hf), the authors' π1 prompt from
 * pi1_r128.parquet through the Qwen2.5-Math chat template, the real
 * deepscaler reward, one GRPO step on CPU (wasm).
 */
import { describe, expect, it } from "@effect/vitest"
import { loadCheckpointTokenizer } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { Effect, Schema } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { latestCheckpoint } from "../src/Checkpoint.ts"
import { trainingPromptIds } from "../src/ChatPrompt.ts"
import { TrainConfig } from "../src/Config.ts"
import { policySourceFor } from "../src/PolicySource.ts"
import { merge, presets } from "../src/Presets.ts"
import { readRunLog, runLogPath, train } from "../src/Trainer.ts"
import { readProblems } from "../src/TrainData.ts"
import { tempDir } from "./support/Task.ts"

const MODEL = join(import.meta.dirname, "..", "..", "policy", "test", "fixtures", "hf", "qwen2-bf16-tied")

describe("paper-1shot-pi1 on a Hugging Face checkpoint", () => {
  it.effect("builds the authors' prompt: the parquet's user turn through the chat template, no BOS", () =>
    Effect.gen(function* () {
      const tokenizer = yield* loadCheckpointTokenizer(MODEL)
      const config = Schema.decodeUnknownSync(TrainConfig)(presets.get("paper-1shot-pi1")!)
      const [pi1] = yield* readProblems(config.data.train)
      expect(pi1!.prompt).toContain("Let's think step by step and output the final answer within \\boxed{}.")
      const ids = trainingPromptIds(tokenizer, config.data.promptTemplate, pi1!.prompt)
      const text = `<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n${pi1!.prompt}<|im_end|>\n<|im_start|>assistant\n`
      expect(ids).toEqual(tokenizer.encode(text))
      expect(ids.slice(0, 3)).toEqual([151644, 8948, 198]) // <|im_start|> system \n
      expect(ids.slice(-3)).toEqual([151644, 77091, 198]) // <|im_start|> assistant \n
    }))

  // The vocabulary (151936 wide) dominates: each forward pass over the ~150-token prompt builds several
  // [T, 151936] tensors, ≈15 s per pass on wasm when the 2 shared cores are busy (see packages/policy/README.md).
  it.effect("trains a GRPO step and checkpoints in the directory's own format", () =>
    Effect.gen(function* () {
      const dir = tempDir("paper-hf")
      const config = Schema.decodeUnknownSync(TrainConfig)(
        merge(presets.get("paper-1shot-pi1")!, {
          model: { path: MODEL, backend: "wasm" },
          actor: { microBatchSize: 1 },
          rollout: { n: 2, maxTokens: 2 },
          eval: { beforeTrain: false, benchmarks: [] },
          trainer: { steps: 1, batchSize: 1, checkpointEvery: 1, generationsEvery: 0, runDir: join(dir, "run") }
        })
      )
      yield* train(config, policySourceFor(config), { quiet: true })
      const steps = (yield* readRunLog(runLogPath(config.trainer.runDir))).flatMap((l) => (l._tag === "step" ? [l] : []))
      expect(steps).toHaveLength(1)
      for (const s of steps) expect(Number.isFinite(s.metrics["actor/pg_loss"])).toBe(true)
      const ckpt = yield* latestCheckpoint(config.trainer.runDir)
      expect(ckpt).toBeDefined()
      const saved = ckpt!.policyDir
      expect(readFileSync(join(saved, "config.json"), "utf8")).toBe(readFileSync(join(MODEL, "config.json"), "utf8"))
      expect(existsSync(join(saved, "value_head.safetensors"))).toBe(true)
    }).pipe(Effect.provide(VerifierLive)), 600_000)
})

/**
 * The embedded base model: where it lives, how it is built from a preset
 * (`rlvr pretrain --preset base`), and how it is published into
 * `packages/world/models/base/` with its sha256.
 */
import { FileError } from "@oneshot/core"
import { Backend, PolicyLive, type PolicyInitError } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import * as fs from "node:fs"
import { cpus } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { sha256, writeFileAtomic } from "./Files.ts"
import { type PretrainPreset, phaseDir, phasesOf, pretrain } from "./Pretrain.ts"
import { loadOptimizerState, type SftError, type SftResult } from "@oneshot/trainer/Sft"

/** `packages/world/models/base`: the committed checkpoint (config.json, tokenizer.json, model.safetensors). */
export const BASE_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "models", "base")

/** `packages/world/models/base-v2`: the base model with latent skill (issue 15; its own model card). */
export const BASE_V2_MODEL_DIR = path.join(path.dirname(BASE_MODEL_DIR), "base-v2")

/**
 * The base model the powered runs, their sweep and the demo start from: v2
 * when it is published (the powered-run protocol's rule), else the committed
 * v1 base.
 */
export const currentBaseDir = (): string =>
  fs.existsSync(path.join(BASE_V2_MODEL_DIR, "model.safetensors")) ? BASE_V2_MODEL_DIR : BASE_MODEL_DIR

export const CHECKPOINT_FILES = ["config.json", "tokenizer.json", "model.safetensors"] as const

const isComplete = (dir: string): boolean => fs.existsSync(path.join(dir, "final", "model.safetensors"))

/**
 * The latest resumable checkpoint of a phase directory: the `step_N/` with the
 * largest N holding both weights and `optimizer.json` (the optimizer state is
 * written last and atomically, so its presence means the step is complete).
 */
export const latestStepCheckpoint = (dir: string): { readonly step: number; readonly dir: string } | undefined => {
  if (!fs.existsSync(dir)) return undefined
  let best: { step: number; dir: string } | undefined
  for (const name of fs.readdirSync(dir)) {
    const m = /^step_(\d+)$/.exec(name)
    if (m === null) continue
    const ck = path.join(dir, name)
    const step = Number(m[1])
    if (!fs.existsSync(path.join(ck, "model.safetensors")) || !fs.existsSync(path.join(ck, "optimizer.json"))) continue
    if (best === undefined || step > best.step) best = { step, dir: ck }
  }
  return best
}

/**
 * Pretrains `preset` into `outDir`: phase 1 writes `outDir/step_N` and
 * `outDir/final`, phase k ≥ 2 `outDir/phase<k>/…`. Phases whose `final/`
 * exists are skipped and the next starts from those weights; within the
 * first unfinished phase the run resumes from its latest `step_N/` (weights
 * and optimizer state), so an interrupted run continues where it was last
 * checkpointed, with the same result as an uninterrupted one (batches and the
 * schedule are functions of the step). Returns the results of the phases run.
 * Needs a Backend.
 */
export const runPretrain = (
  preset: PretrainPreset,
  outDir: string,
  onLog?: (line: string) => Effect.Effect<void>
): Effect.Effect<ReadonlyArray<SftResult>, SftError | PolicyInitError, Backend> =>
  Effect.scoped(
    Effect.gen(function* () {
      const backend = yield* Backend
      const phases = phasesOf(preset)
      let done = 0
      while (done < phases.length && isComplete(phaseDir(outDir, done))) done++
      const results: Array<SftResult> = []
      if (done === phases.length) return results
      if (done > 0 && onLog) yield* onLog(`phases 1–${done} already complete; continuing from ${path.join(phaseDir(outDir, done - 1), "final")}`)
      const resume = latestStepCheckpoint(phaseDir(outDir, done))
      if (resume !== undefined && onLog) yield* onLog(`phase ${done + 1}: resuming after step ${resume.step} from ${resume.dir}`)
      const policy = yield* Effect.acquireRelease(
        resume !== undefined
          ? PolicyLive.fromCheckpoint(resume.dir)
          : done === 0
            ? preset.initCheckpoint === undefined
              ? PolicyLive.make(preset.model, { seed: preset.initSeed })
              : PolicyLive.fromCheckpoint(preset.initCheckpoint)
            : PolicyLive.fromCheckpoint(path.join(phaseDir(outDir, done - 1), "final")),
        (p) => p.dispose
      )
      for (let k = done; k < phases.length; k++) {
        const from = k === done && resume !== undefined ? { startStep: resume.step, resumeState: loadOptimizerState(resume.dir) } : {}
        results.push(
          yield* pretrain(
            policy,
            preset,
            {
              outDir,
              backend: backend.name,
              device: backend.name === "webgpu" || backend.name === "tensorflow" ? `gpu (${backend.name})` : `cpu (${cpus().length} cores)`,
              ...(onLog === undefined ? {} : { onLog }),
              ...from
            },
            k
          )
        )
      }
      return results
    })
  )

/** Copies a checkpoint into `dest` and writes `SHA256SUMS` over its files. Returns the sums. */
export const publishCheckpoint = (
  source: string,
  dest: string = BASE_MODEL_DIR
): Effect.Effect<ReadonlyArray<readonly [string, string]>, FileError> =>
  Effect.gen(function* () {
    const sums: Array<readonly [string, string]> = []
    for (const f of CHECKPOINT_FILES) {
      const from = path.join(source, f)
      const bytes = yield* Effect.try({
        try: () => fs.readFileSync(from),
        catch: (e) => new FileError({ path: from, operation: "read", reason: String(e), cause: e })
      })
      yield* writeFileAtomic(path.join(dest, f), bytes)
      sums.push([f, sha256(bytes)])
    }
    yield* writeFileAtomic(path.join(dest, "SHA256SUMS"), sums.map(([f, h]) => `${h}  ${f}`).join("\n") + "\n")
    return sums
  })

/** Verifies `SHA256SUMS` of a published checkpoint; fails naming the first mismatching file. */
export const verifyCheckpoint = (dir: string = BASE_MODEL_DIR): Effect.Effect<void, FileError> =>
  Effect.try({
    try: () => {
      const lines = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8").trim().split("\n")
      for (const line of lines) {
        const [hash, file] = line.split(/\s+/)
        const actual = sha256(fs.readFileSync(path.join(dir, file ?? "")))
        if (actual !== hash) throw new Error(`${file}: expected sha256 ${hash}, got ${actual}`)
      }
    },
    catch: (e) => new FileError({ path: dir, operation: "verify", reason: e instanceof Error ? e.message : String(e), cause: e })
  })

/** tfjs memory in use, for logs. */
export const tensorCount = (): number => tf.memory().numTensors

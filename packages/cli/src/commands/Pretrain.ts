/**
 * `rlvr pretrain --preset base`: pretrain the synthetic world's base model by
 * next-token prediction on the flawed corpus (logic in `@oneshot/world`).
 * Writes into `--out` (default runs/pretrain-<preset>); a committed model
 * (the preset's `publishAs`: base, base-v2) changes only with `--publish`.
 */
import { Command, Options } from "@effect/cli"
import { InvalidInput } from "@oneshot/core"
import { Console, Effect, Option } from "effect"
import * as path from "node:path"
import type { PretrainPreset } from "@oneshot/world/Pretrain"
import { outputPath } from "../Flags.ts"

const preset = Options.text("preset").pipe(
  Options.withDescription("base: the embedded base model (≈0.8M parameters); smoke: a seconds-long pipeline check"),
  Options.withDefault("base")
)
const out = outputPath("out", "directory").pipe(
  Options.withDescription("run directory: checkpoints step_N/, final/ and pretrain.log.jsonl (default runs/pretrain-<preset>)"),
  Options.optional
)
const backend = Options.text("backend").pipe(Options.withDescription("tfjs backend: wasm (default, or ONESHOT_BACKEND) | cpu | webgpu | tensorflow"), Options.optional)
const publish = Options.boolean("publish").pipe(
  Options.withDescription("copy the final checkpoint to the preset's committed model directory (packages/world/models/base, or base-v2 for base-v2-warm) and write SHA256SUMS")
)

export const command = Command.make("pretrain", { preset, out, backend, publish }, (o) =>
  Effect.gen(function* () {
    // tfjs and the world load here, not at startup.
    const [{ Backend, backendFromEnv }, { BASE_MODEL_DIR, publishCheckpoint, runPretrain }, { finalDir, phasesOf, PRETRAIN_PRESETS }] = yield* Effect.promise(() =>
      Promise.all([import("@oneshot/policy"), import("@oneshot/world/BaseModel"), import("@oneshot/world/Pretrain")])
    )
    const p: PretrainPreset | undefined = (PRETRAIN_PRESETS as Record<string, PretrainPreset>)[o.preset]
    if (p === undefined) return yield* new InvalidInput({ input: `--preset ${o.preset}`, expected: `one of ${Object.keys(PRETRAIN_PRESETS).join(", ")}` })
    const dir = Option.getOrElse(o.out, () => path.join("runs", `pretrain-${p.name}`))
    const phases = phasesOf(p)
    yield* Console.error(
      `pretraining preset ${p.name} (${p.description}): ${phases.map((s, i) => `phase ${i + 1}: ${s.steps} steps × ${s.batchSize}`).join(", ")} → ${dir}`
    )
    const t0 = Date.now()
    const r = yield* runPretrain(p, dir, (line) => Console.error(line)).pipe(
      Effect.provide(Backend.layer(Option.getOrElse(o.backend, backendFromEnv)))
    )
    const losses = r.map((x, i) => `phase ${i + 1 + phases.length - r.length}: ${x.firstLoss.toFixed(4)} → ${x.lastLoss.toFixed(4)}`).join("; ")
    yield* Console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s${losses === "" ? " (nothing left to run)" : `: loss ${losses}`}; checkpoint ${finalDir(p, dir)}`)
    if (o.publish) {
      const to = path.join(path.dirname(BASE_MODEL_DIR), p.publishAs ?? "base")
      const sums = yield* publishCheckpoint(finalDir(p, dir), to)
      for (const [f, h] of sums) yield* Console.log(`${h}  ${f}`)
      yield* Console.error(`published to ${to}`)
    }
  })
).pipe(Command.withDescription("Pretrain the synthetic world's base model (next-token prediction on the flawed corpus)"))

/**
 * `rlvr pretrain --preset base`: pretrain the synthetic world's base model by
 * next-token prediction on the flawed corpus (logic in `@oneshot/world`).
 */
import { Command, Options } from "@effect/cli"
import { Backend, backendFromEnv } from "@oneshot/policy"
import { BASE_MODEL_DIR, publishCheckpoint, runPretrain } from "@oneshot/world/BaseModel"
import { finalDir, phasesOf, presetByName, PRETRAIN_PRESETS } from "@oneshot/world/Pretrain"
import { Console, Effect, Option } from "effect"
import * as path from "node:path"

const preset = Options.choice("preset", Object.keys(PRETRAIN_PRESETS) as ["base", ...Array<string>]).pipe(
  Options.withDescription("base: the embedded base model (≈0.8M parameters); smoke: a seconds-long pipeline check"),
  Options.withDefault("base" as const)
)
const out = Options.directory("out").pipe(
  Options.withDescription("run directory: checkpoints step_N/, final/ and pretrain.log.jsonl (default runs/pretrain-<preset>)"),
  Options.optional
)
const backend = Options.text("backend").pipe(Options.withDescription("tfjs backend: wasm (default, or ONESHOT_BACKEND) | cpu | webgpu | tensorflow"), Options.optional)
const publish = Options.boolean("publish").pipe(
  Options.withDescription(`copy the final checkpoint to ${path.relative(process.cwd(), BASE_MODEL_DIR)} and write SHA256SUMS`)
)

export const command = Command.make("pretrain", { preset, out, backend, publish }, (o) =>
  Effect.gen(function* () {
    const p = presetByName(o.preset)
    const dir = Option.getOrElse(o.out, () => path.join("runs", `pretrain-${p.name}`))
    const phases = phasesOf(p)
    yield* Console.log(
      `pretraining preset ${p.name} (${p.description}): ${phases.map((s, i) => `phase ${i + 1}: ${s.steps} steps × ${s.batchSize}`).join(", ")} → ${dir}`
    )
    const t0 = Date.now()
    const r = yield* runPretrain(p, dir, (line) => Console.log(line)).pipe(
      Effect.provide(Backend.layer(Option.getOrElse(o.backend, backendFromEnv)))
    )
    const losses = r.map((x, i) => `phase ${i + 1 + phases.length - r.length}: ${x.firstLoss.toFixed(4)} → ${x.lastLoss.toFixed(4)}`).join("; ")
    yield* Console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s${losses === "" ? " (nothing left to run)" : `: loss ${losses}`}; checkpoint ${finalDir(p, dir)}`)
    if (o.publish) {
      const sums = yield* publishCheckpoint(finalDir(p, dir))
      for (const [f, h] of sums) yield* Console.log(`${h}  ${f}`)
    }
  })
).pipe(Command.withDescription("Pretrain the synthetic world's base model (next-token prediction on the flawed corpus)"))

/**
 * `rlvr train --config FILE | --preset NAME [--set key=value]... [--resume] [--quiet]`:
 * GRPO/PPO training per a typed config (see packages/trainer/README.md); with
 * no arguments, the embedded 1-shot RLVR demo of the synthetic world.
 * The logic lives in `@oneshot/trainer`; this file only parses flags and provides layers.
 * Ctrl-C checkpoints the last completed step, says where the run stopped and
 * how to resume it, and exits 130.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { positiveInteger } from "../Flags.ts"

const config = Options.file("config").pipe(Options.withDescription("a config file (YAML or JSON)"), Options.optional)
const preset = Options.text("preset").pipe(Options.withDescription("a named preset (--list-presets)"), Options.optional)
const set = Options.text("set").pipe(Options.withDescription("override a field: key.path=value (repeatable; same as a positional override)"), Options.repeated)
const overrides = Args.text({ name: "key=value" }).pipe(
  Args.withDescription("Hydra-style overrides, applied after --preset and --config: own keys (actor.entropyCoef=0) or verl's (actor_rollout_ref.actor.optim.lr=1e-6, data.train_batch_size=128, trainer.total_epochs=2000)"),
  Args.repeated
)
const resume = Options.boolean("resume").pipe(Options.withDescription("continue from the latest checkpoint of trainer.runDir"))
const quiet = Options.boolean("quiet").pipe(Options.withDescription("no progress output"))
const listPresets = Options.boolean("list-presets").pipe(Options.withDescription("list the preset names and exit"))
const maxSteps = positiveInteger("max-steps").pipe(Options.withDescription("stop (with a checkpoint) after this many steps in this invocation"), Options.optional)
const workers = positiveInteger("workers").pipe(
  Options.withDescription("policy replicas in this many worker threads (e.g. 2 on a 2-core machine); sampled tokens depend on the count, which the run header records"),
  Options.optional
)
const skipRedundant = Options.boolean("skip-redundant").pipe(Options.withDescription("skip the old-log-prob pass when it equals the update's own (one epoch, one mini-batch): same numbers"))
const pack = Options.boolean("pack").pipe(Options.withDescription("length-bucketed micro-batches, so padding is not computed (same gradients up to float rounding)"))
const printConfig = Options.boolean("print-config").pipe(Options.withDescription("print the resolved config and exit"))

const usage = `With no arguments, the 1-shot RLVR demo on the world's base model; or give a config.
  rlvr train                                       # the demo (before/after accuracy)
  rlvr train --preset 1shot-pi1 --set model.path=DIR              # a preset, with overrides
  rlvr train --preset world-1shot-pi1                             # a recorded world run, again
  rlvr train --config my.yaml actor.entropyCoef=0                 # a YAML or JSON config
  rlvr train --preset 1shot-pi1 actor_rollout_ref.rollout.n=4     # verl's keys, Hydra-style
  rlvr train --list-presets                                       # the presets
  rlvr train --preset NAME --print-config                         # the resolved config
Add --resume to continue after a crash or Ctrl-C (or a --max-steps slice), --quiet for CI;
--workers 2 --skip-redundant --pack for both cores and no redundant work.`

/** A word as a POSIX shell reads it back. */
const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`)

/** What to say after Ctrl-C: the step of the last checkpoint and the command that continues from it. */
const interrupted = (runDir: string, steps: number) =>
  Effect.sync(() => {
    const pointer = join(runDir, "checkpoints", "latest.json")
    const step = existsSync(pointer) ? (JSON.parse(readFileSync(pointer, "utf8")) as { step: number }).step : 0
    const args = process.argv.slice(2).filter((a) => a !== "--resume")
    process.stderr.write(
      `rlvr train: interrupted; stopped after step ${step} of ${steps} (checkpoint in ${runDir}/checkpoints)\n` +
        `  resume with: rlvr ${[...args, "--resume"].map(shellWord).join(" ")}\n`
    )
  })

export const command = Command.make(
  "train",
  { config, preset, set, resume, quiet, maxSteps, workers, skipRedundant, pack, listPresets, printConfig, overrides },
  (o) =>
    Effect.gen(function* () {
      // The trainer, tfjs and the verifier load here, not at startup.
      const { composeConfig, encodeConfig, policySourceFor, presetJson, presets, tensorBoardSink, train } = yield* Effect.promise(() => import("@oneshot/trainer"))
      // The world's experiments (`world-1shot-pi1`, …) are presets too; their module loads only when asked for.
      const world = Effect.promise(() => import("@oneshot/world/TrainPresets"))
      if (o.listPresets) {
        const { recordedExamples, worldPresetNames } = yield* world
        return yield* Console.log([...presets.keys(), ...worldPresetNames(yield* recordedExamples())].join("\n"))
      }
      if (Option.isNone(o.config) && Option.isNone(o.preset) && o.overrides.length === 0 && o.set.length === 0) {
        // The embedded default: 1-shot GRPO from the synthetic world's committed base model.
        yield* Console.error("rlvr train: no config given, so running the 1-shot RLVR demo on the world's base model (`rlvr train --help` for configs)")
        const { demoMain } = yield* Effect.promise(() => import("@oneshot/world/Demo"))
        return yield* demoMain({ quiet: o.quiet })
      }
      const presetOf = (name: string) =>
        Effect.gen(function* () {
          const { isWorldPreset, recordedExamples, worldPresetJson } = yield* world
          return isWorldPreset(name) ? yield* worldPresetJson(name, yield* recordedExamples()) : yield* presetJson(name)
        })
      const preset = Option.isSome(o.preset) ? { name: o.preset.value, json: yield* presetOf(o.preset.value) } : undefined
      const { config: cfg, ignored } = yield* composeConfig({
        ...(preset === undefined ? {} : { preset }),
        ...(Option.isSome(o.config) ? { configFile: o.config.value } : {}),
        overrides: [...o.overrides, ...o.set]
      })
      if (ignored.length > 0) yield* Console.error(`rlvr train: ignoring verl settings with no meaning here: ${ignored.join(", ")}`)
      if (o.printConfig) return yield* Console.log(JSON.stringify(encodeConfig(cfg), null, 2))
      const [{ EvaluatorLive }, { VerifierLive }, { evaluatesOnWorld, worldEvaluatorLayer }] = yield* Effect.promise(() =>
        Promise.all([import("@oneshot/eval"), import("@oneshot/verifier"), import("@oneshot/world/WorldEvaluator")])
      )
      // A run scored on world benchmarks needs the world's evaluator; any other, the paper's.
      const evaluator = cfg.eval.every === 0 && (cfg.eval.at ?? []).length === 0 ? Layer.empty : evaluatesOnWorld(cfg.eval.benchmarks) ? worldEvaluatorLayer() : EvaluatorLive.layer
      const result = yield* train(cfg, policySourceFor(cfg), {
        resume: o.resume,
        quiet: o.quiet,
        // TensorBoard event files beside the run log (`tensorboard --logdir <runDir>`).
        sinks: [tensorBoardSink(cfg.trainer.runDir)],
        ...(Option.isSome(o.maxSteps) ? { maxSteps: o.maxSteps.value } : {}),
        ...(Option.isSome(o.workers) ? { workers: o.workers.value } : {}),
        skipRedundant: o.skipRedundant,
        pack: o.pack
      }).pipe(
        Effect.provide(Layer.provideMerge(evaluator, VerifierLive)),
        Effect.onInterrupt(() => interrupted(cfg.trainer.runDir, cfg.trainer.steps))
      )
      yield* Console.log(
        `${result.finished ? "finished" : "stopped"} at step ${result.step}/${cfg.trainer.steps}; run log ${result.runLog}` +
          (result.lastMetrics["critic/score/mean"] === undefined ? "" : `; last critic/score/mean ${result.lastMetrics["critic/score/mean"].toFixed(3)}`)
      )
    })
).pipe(Command.withDescription(usage))

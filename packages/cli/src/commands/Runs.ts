/**
 * `rlvr runs export --csv RUNLOG [--out FILE]`: a run log's step metrics as
 * CSV (one row per step, verl's metric names as columns) on stdout or into
 * a file; `--tensorboard DIR` writes them as TensorBoard event files instead
 * (for runs recorded before `rlvr train` wrote them itself).
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { metricsCsv } from "../RunExport.ts"
import { outputPath } from "../Flags.ts"

const runLog = Args.file({ name: "RUNLOG", exists: "yes" }).pipe(Args.withDescription("a run log (runlog.jsonl of `rlvr train`)"))
const csv = Options.boolean("csv").pipe(Options.withDescription("CSV: step, then one column per metric (the default)"))
const tensorboard = outputPath("tensorboard", "directory").pipe(Options.withDescription("write TensorBoard event files into this directory instead"), Options.optional)
const out = outputPath("out", "file").pipe(Options.withDescription("write here instead of stdout"), Options.optional)

const exportCommand = Command.make("export", { runLog, csv, tensorboard, out }, (o) =>
  Effect.gen(function* () {
    const [{ readRunLog }, { writeFileAtomic }] = yield* Effect.promise(() => Promise.all([import("@oneshot/trainer/RunLogFile"), import("@oneshot/world/Files")]))
    const lines = yield* readRunLog(o.runLog)
    if (Option.isSome(o.tensorboard)) {
      const { tensorBoardSink } = yield* Effect.promise(() => import("@oneshot/trainer/TensorBoard"))
      const sink = tensorBoardSink(o.tensorboard.value)
      for (const l of lines) yield* sink.write(l)
      return yield* Console.error(`wrote ${o.tensorboard.value} (tensorboard --logdir ${o.tensorboard.value})`)
    }
    const text = metricsCsv(lines.flatMap((l) => (l._tag === "step" ? [l] : [])))
    if (Option.isNone(o.out)) return yield* Effect.sync(() => process.stdout.write(text))
    yield* writeFileAtomic(o.out.value, text)
    yield* Console.error(`wrote ${o.out.value}`)
  })
).pipe(Command.withDescription("Export a run log's step metrics (CSV, or TensorBoard event files)"))

export const command = Command.make("runs").pipe(
  Command.withDescription("Work with run logs: export their metrics"),
  Command.withSubcommands([exportCommand])
)

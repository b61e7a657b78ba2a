/**
 * `rlvr select --history FILE --top K`: the paper's historical-variance data
 * selection over an `acc_step_N.json` history (the authors' format) or a
 * trainer run log (`runlog.jsonl`, its `accuracy` lines). Prints rank, index and score;
 * `--export FILE` also writes the history as `acc_step_N.json`.
 */
import { Command, Options } from "@effect/cli"
import { rankByHistoricalVariance } from "@oneshot/core"
import { Console, Effect, Option } from "effect"
import { outputPath, positiveInteger } from "../Flags.ts"

const history = Options.file("history", { exists: "yes" }).pipe(
  Options.withDescription("acc_step_N.json ({\"<index>\": [accuracy, …], …}; the authors' is packages/trainer/data/acc_step_500.json) or a trainer runlog.jsonl")
)
const top = positiveInteger("top").pipe(Options.withDescription("how many to print (a positive integer)"), Options.withDefault(10))
const exportTo = outputPath("export", "file").pipe(Options.withDescription("also write the history as acc_step_N.json (from a run log)"), Options.optional)

export const command = Command.make("select", { history, top, exportTo }, (o) =>
  Effect.gen(function* () {
    const { exportHistory, formatRanking, readHistory } = yield* Effect.promise(() => import("@oneshot/trainer/Select"))
    const h = yield* readHistory(o.history)
    if (Option.isSome(o.exportTo)) yield* exportHistory(h, o.exportTo.value)
    yield* Console.log(formatRanking(rankByHistoricalVariance(h), o.top))
  })
).pipe(Command.withDescription("rank training examples by historical variance of their accuracy (paper Eq. 1)"))

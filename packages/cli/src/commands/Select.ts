/**
 * `rlvr select --history FILE --top K`: the paper's historical-variance data
 * selection over an `acc_step_N.json` history (the authors' format) or a
 * trainer run log (`runlog.jsonl`, its `accuracy` lines). Prints rank, index and score;
 * `--export FILE` also writes the history as `acc_step_N.json`.
 */
import { Command, Options } from "@effect/cli"
import { rankByHistoricalVariance } from "@oneshot/core"
import { exportHistory, formatRanking, readHistory } from "@oneshot/trainer"
import { Console, Effect, Option } from "effect"

const history = Options.file("history").pipe(Options.withDescription("acc_step_N.json ({\"<index>\": [accuracy, …], …}) or a trainer runlog.jsonl"))
const top = Options.integer("top").pipe(Options.withDescription("how many to print"), Options.withDefault(10))
const exportTo = Options.text("export").pipe(Options.withDescription("also write the history as acc_step_N.json (from a run log)"), Options.optional)

export const command = Command.make("select", { history, top, exportTo }, (o) =>
  readHistory(o.history).pipe(
    Effect.tap((h) => (Option.isSome(o.exportTo) ? exportHistory(h, o.exportTo.value) : Effect.void)),
    Effect.flatMap((h) => Console.log(formatRanking(rankByHistoricalVariance(h), o.top))),
    Effect.catchAll((e) =>
      Effect.zipRight(
        Console.error(`rlvr select: ${e.message}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
    )
  )
).pipe(Command.withDescription("rank training examples by historical variance of their accuracy (paper Eq. 1)"))

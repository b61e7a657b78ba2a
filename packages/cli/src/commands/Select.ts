/**
 * `rlvr select --history FILE --top K`: the paper's historical-variance data
 * selection over an `acc_step_N.json` history (the authors' format) or a
 * trainer run log (`runlog.jsonl`, its `accuracy` lines). Prints rank, index and score.
 */
import { Command, Options } from "@effect/cli"
import { formatRanking, rankHistoryFile } from "@oneshot/trainer"
import { Console, Effect } from "effect"

const history = Options.file("history").pipe(Options.withDescription("acc_step_N.json ({\"<index>\": [accuracy, …], …}) or a trainer runlog.jsonl"))
const top = Options.integer("top").pipe(Options.withDescription("how many to print"), Options.withDefault(10))

export const command = Command.make("select", { history, top }, (o) =>
  rankHistoryFile(o.history).pipe(
    Effect.flatMap((ranked) => Console.log(formatRanking(ranked, o.top))),
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

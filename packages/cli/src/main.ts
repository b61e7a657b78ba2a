/**
 * The `rlvr` command line: one subcommand per module in `./commands`.
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import * as Eval from "./commands/Eval.ts"
import * as Grade from "./commands/Grade.ts"
import * as Pretrain from "./commands/Pretrain.ts"
import * as Repro from "./commands/Repro.ts"
import * as Select from "./commands/Select.ts"
import * as ServeReward from "./commands/ServeReward.ts"
import * as Train from "./commands/Train.ts"
import * as World from "./commands/World.ts"

const rlvr = Command.make("rlvr").pipe(
  Command.withDescription("1-shot RLVR toolkit: grade, evaluate, train, select data, serve rewards, reproduce the paper"),
  Command.withSubcommands([
    Grade.command,
    Eval.command,
    Train.command,
    Pretrain.command,
    Select.command,
    ServeReward.command,
    Repro.command,
    World.command
  ])
)

const cli = Command.run(rlvr, { name: "rlvr", version: "0.1.0" })

cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)

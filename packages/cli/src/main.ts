/**
 * The `rlvr` command line: one subcommand per module in `./commands`.
 *
 * The conventions every subcommand gets from here: results on stdout,
 * failures as one line on stderr (`--verbose` for the whole cause), exit
 * codes 0 / 1 / 2 (usage) / 130 (interrupted), no colour unless stdout is a
 * TTY without NO_COLOR, help wrapped to the terminal. Command modules import
 * only @effect/cli and effect at the top and load their heavy packages
 * (tfjs, the CAS) inside the handler, so `--help` starts fast.
 */
import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import * as Eval from "./commands/Eval.ts"
import * as Generate from "./commands/Generate.ts"
import * as Grade from "./commands/Grade.ts"
import * as Pretrain from "./commands/Pretrain.ts"
import * as Repro from "./commands/Repro.ts"
import * as Runs from "./commands/Runs.ts"
import * as Score from "./commands/Score.ts"
import * as Select from "./commands/Select.ts"
import * as Tokenize from "./commands/Tokenize.ts"
import * as ServeReward from "./commands/ServeReward.ts"
import * as Train from "./commands/Train.ts"
import * as World from "./commands/World.ts"
import { exitCodeOf, failureLines } from "./Outcome.ts"
import { colourWanted, commandPathOf, installOutputFilter, isHelpRequest } from "./Terminal.ts"

const subcommands = [
  Grade.command,
  Eval.command,
  Train.command,
  Pretrain.command,
  Select.command,
  Runs.command,
  ServeReward.command,
  Repro.command,
  World.command,
  Tokenize.command,
  Score.command,
  Generate.command
] as const

const rlvr = Command.make("rlvr").pipe(
  Command.withDescription("1-shot RLVR toolkit: grade, evaluate, train, select data, serve rewards, reproduce the paper"),
  Command.withSubcommands(subcommands)
)

const cli = Command.run(rlvr, { name: "rlvr", version: "0.1.0" })

/** `--verbose` is ours, not a subcommand's: it prints the full cause of a failure. */
const args = process.argv.slice(2)
const verbose = args.includes("--verbose")
const userArgs = args.filter((a) => a !== "--verbose")
const commandPath = commandPathOf(userArgs)

installOutputFilter({
  colour: colourWanted(process.stdout.isTTY, process.env),
  ...(isHelpRequest(userArgs) ? { help: { width: Math.max(40, process.stdout.columns ?? 100), commandPath } } : {})
})

cli([...process.argv.slice(0, 2), ...userArgs]).pipe(
  Effect.tapErrorCause((cause) =>
    Effect.sync(() => {
      for (const line of failureLines(cause, commandPath, verbose)) process.stderr.write(`${line}\n`)
    })
  ),
  Effect.provide(NodeContext.layer),
  (program) =>
    NodeRuntime.runMain(program, {
      disableErrorReporting: true,
      teardown: (exit, onExit) => onExit(exitCodeOf(exit) === 0 ? Number(process.exitCode ?? 0) : exitCodeOf(exit))
    })
)

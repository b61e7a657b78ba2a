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
import { commandPaths, rlvr, unknownSubcommand } from "./CommandTree.ts"
import { EXIT_USAGE, exitCodeOf, failureLines } from "./Outcome.ts"
import { colourWanted, commandPathOf, exitQuietlyOnClosedPipe, installOutputFilter, isHelpRequest } from "./Terminal.ts"

const cli = Command.run(rlvr, { name: "rlvr", version: "0.1.0" })

/** `--verbose` is ours, not a subcommand's: it prints the full cause of a failure. */
const args = process.argv.slice(2)
const verbose = args.includes("--verbose")
const userArgs = args.filter((a) => a !== "--verbose")
const commandPath = commandPathOf(userArgs)

/** A parent command given alone (`rlvr world`) prints its help, so it gets the help treatment too. */
const paths = commandPaths()
const isParentAlone =
  userArgs.length === commandPath.length &&
  paths.some((p) => p.length === commandPath.length + 1 && commandPath.every((w, i) => p[i] === w))

exitQuietlyOnClosedPipe()
installOutputFilter({
  colour: colourWanted(process.stdout.isTTY, process.env),
  ...(isHelpRequest(userArgs) || isParentAlone ? { help: { width: Math.max(40, process.stdout.columns ?? 100), commandPath } } : {})
})

const unknown = unknownSubcommand(paths, commandPath)
if (unknown !== undefined) {
  const parent = ["rlvr", ...unknown.parent].join(" ")
  process.stderr.write(`${parent}: unknown command ${JSON.stringify(unknown.word)}; expected one of ${unknown.expected.join(", ")} (${parent} --help)\n`)
  process.exit(EXIT_USAGE)
}

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

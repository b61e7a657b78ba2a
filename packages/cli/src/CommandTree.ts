/**
 * The `rlvr` command tree, apart from the process wiring in `main.ts`, so a
 * test can walk every command (`commandPaths`) instead of a hand-kept list.
 */
import { Command } from "@effect/cli"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import { HashMap, HashSet } from "effect"
import * as Eval from "./commands/Eval.ts"
import * as Generate from "./commands/Generate.ts"
import * as Grade from "./commands/Grade.ts"
import * as Pretrain from "./commands/Pretrain.ts"
import * as Repro from "./commands/Repro.ts"
import * as Runs from "./commands/Runs.ts"
import * as Score from "./commands/Score.ts"
import * as Select from "./commands/Select.ts"
import * as ServeReward from "./commands/ServeReward.ts"
import * as Tokenize from "./commands/Tokenize.ts"
import * as Train from "./commands/Train.ts"
import * as World from "./commands/World.ts"

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

export const rlvr = Command.make("rlvr").pipe(
  Command.withDescription("1-shot RLVR toolkit: grade, evaluate, train, select data, serve rewards, reproduce the paper"),
  Command.withSubcommands(subcommands)
)

/**
 * Every command below the root as its word path (`["world", "eval"]`),
 * parents before children. Walks from the subcommand list: @effect/cli's
 * root descriptor maps each name to the parent alone, without its children.
 */
export const commandPaths = (): ReadonlyArray<ReadonlyArray<string>> => {
  const walk = (cmd: Descriptor.Command<unknown>, path: ReadonlyArray<string>): ReadonlyArray<ReadonlyArray<string>> => [
    path,
    ...[...HashMap.entries(Descriptor.getSubcommands(cmd))]
      .filter(([name]) => name !== path[path.length - 1])
      .flatMap(([name, sub]) => walk(sub, [...path, name]))
  ]
  const tops: ReadonlyArray<Descriptor.Command<unknown>> = subcommands.map((c) => c.descriptor)
  return tops.flatMap((d) => [...HashSet.values(Descriptor.getNames(d))].flatMap((name) => walk(d, [name])))
}

/**
 * A call that names a parent command and then a word that is none of its
 * subcommands (`rlvr runs frobnicate`): the parent, the word and the choices.
 * @effect/cli reports these as "Invalid subcommand for rlvr" whatever the
 * parent, listing the root's commands.
 */
export const unknownSubcommand = (
  paths: ReadonlyArray<ReadonlyArray<string>>,
  words: ReadonlyArray<string>
): { readonly parent: ReadonlyArray<string>; readonly word: string; readonly expected: ReadonlyArray<string> } | undefined => {
  const childrenOf = (parent: ReadonlyArray<string>): ReadonlyArray<string> =>
    paths.filter((p) => p.length === parent.length + 1 && parent.every((w, i) => p[i] === w)).map((p) => p[p.length - 1]!)
  let parent: ReadonlyArray<string> = []
  for (const word of words) {
    const children = childrenOf(parent)
    if (children.length === 0) return undefined
    if (!children.includes(word)) return { parent, word, expected: children }
    parent = [...parent, word]
  }
  return undefined
}

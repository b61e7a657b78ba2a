/**
 * `rlvr world` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("world", {}, () => Console.error("rlvr world: not implemented yet"))

/**
 * `rlvr select` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("select", {}, () => Console.error("rlvr select: not implemented yet"))

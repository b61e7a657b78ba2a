/**
 * `rlvr eval` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("eval", {}, () => Console.error("rlvr eval: not implemented yet"))

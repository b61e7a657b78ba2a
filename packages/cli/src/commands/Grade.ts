/**
 * `rlvr grade` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("grade", {}, () => Console.error("rlvr grade: not implemented yet"))

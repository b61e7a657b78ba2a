/**
 * `rlvr repro` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("repro", {}, () => Console.error("rlvr repro: not implemented yet"))

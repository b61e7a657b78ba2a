/**
 * `rlvr train` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("train", {}, () => Console.error("rlvr train: not implemented yet"))

/**
 * `rlvr pretrain` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("pretrain", {}, () => Console.error("rlvr pretrain: not implemented yet"))

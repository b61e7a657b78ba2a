/**
 * `rlvr serve-reward` — placeholder until its owning package provides it.
 */
import { Command } from "@effect/cli"
import { Console } from "effect"

export const command = Command.make("serve-reward", {}, () => Console.error("rlvr serve-reward: not implemented yet"))

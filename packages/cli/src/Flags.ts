/**
 * Option shapes shared by the commands, so every command refuses the same bad
 * values the same way: a usage error (exit 2) that names the flag and what
 * it expected, before any heavy module loads.
 */
import { Options } from "@effect/cli"
import { Option } from "effect"

/** An integer option that must be ≥ `min` (1 for counts, 0 for seeds). */
export const integerAtLeast = (name: string, min: number): Options.Options<number> =>
  Options.integer(name).pipe(
    Options.filterMap((n) => (n >= min ? Option.some(n) : Option.none()), `${flagOf(name)}: expected an integer ≥ ${min}`)
  )

/** The flag as typed: `-n` for a one-letter name, `--top` otherwise. */
const flagOf = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`)

/** A count: an integer ≥ 1. */
export const positiveInteger = (name: string): Options.Options<number> => integerAtLeast(name, 1)

/** A number option that must be ≥ 0 (temperatures, rates). */
export const nonNegativeFloat = (name: string): Options.Options<number> =>
  Options.float(name).pipe(Options.filterMap((x) => (x >= 0 ? Option.some(x) : Option.none()), `${flagOf(name)}: expected a number ≥ 0`))

/**
 * A path the command will write (a file or a directory, `kind` names it in
 * the usage). Not checked at parse time: @effect/cli's existence probe dies
 * on paths like `/dev/null/x`, and the writer's own error names the path.
 */
export const outputPath = (name: string, kind: "file" | "directory"): Options.Options<string> =>
  Options.text(name).pipe(Options.withPseudoName(kind))

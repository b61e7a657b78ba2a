/**
 * `rlvr grade FILE.jsonl [--mode …] [--timeout-ms …]`: grades each line
 * `{"response", "gold"}`; prints each input plus `{"correct", "extracted"}` on
 * stdout, malformed lines (with their line numbers) and a summary on stderr.
 * The logic is `gradeJsonl` in `@oneshot/verifier`.
 */
import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { FileError, VerifierMode } from "@oneshot/core"
import { formatSummary, gradeJsonl } from "@oneshot/verifier"
import { Console, Effect } from "effect"

const file = Args.file({ name: "FILE.jsonl", exists: "yes" }).pipe(
  Args.withDescription('JSONL, one {"response": string, "gold": string} per line')
)
const mode = Options.choice("mode", VerifierMode.literals).pipe(
  Options.withDescription("strict (default) | deepscaler | qwen-eval | format"),
  Options.withDefault("strict" as const)
)
const timeoutMs = Options.integer("timeout-ms").pipe(
  Options.withDescription("time bound per grade in milliseconds (default 100)"),
  Options.withDefault(100)
)

export const command = Command.make("grade", { file, mode, timeoutMs }, ({ file, mode, timeoutMs }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(Effect.mapError((e) => new FileError({ path: file, operation: "read", reason: e.message })))
    const result = gradeJsonl(text, file, { mode, timeoutMs })
    if (result.lines.length > 0) yield* Effect.sync(() => process.stdout.write(`${result.lines.join("\n")}\n`))
    for (const e of result.errors) yield* Console.error(e.message)
    yield* Console.error(formatSummary(result.summary, mode))
  })
).pipe(Command.withDescription("grade responses against gold answers (JSONL in, JSONL out)"))

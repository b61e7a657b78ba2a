/**
 * `rlvr grade FILE.jsonl|- [--mode …] [--timeout-ms …]`: a pipe tool. Reads
 * `{"response", "gold"}` lines from a file or stdin (`-`) as they come, and
 * writes one line per input line, in order, on stdout: the input plus
 * `correct`, `extracted`, `rule`, `timedOut`, or `{"error": …}` for a malformed
 * line (so outputs pair with inputs by line number). The summary goes to stderr;
 * the exit code is 1 when any line was malformed. The logic is `gradeLine` in
 * `@oneshot/verifier`.
 *
 * The default mode is `strict` (the most correct verdict: for grading and
 * inspecting answers), while `serve-reward` defaults to `deepscaler` (the
 * paper's training reward, boxed answers only, so that training reproduces it).
 */
import { Args, Command, HelpDoc, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { FileError, InvalidInput, VerifierMode } from "@oneshot/core"
import { Chunk, Console, Effect, Stream } from "effect"
import { positiveInteger } from "../Flags.ts"

const STDIN = "-"

const file = Args.text({ name: "FILE.jsonl" }).pipe(
  Args.withDescription('JSONL, one {"response": string, "gold": string} per line; - reads stdin'),
  Args.mapEffect((path) =>
    path === STDIN
      ? Effect.succeed(path)
      : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.exists(path)).pipe(
          Effect.orElseSucceed(() => false),
          Effect.flatMap((exists) => (exists ? Effect.succeed(path) : Effect.fail(HelpDoc.p(`${path}: no such file (use - for stdin)`))))
        )
  )
)
const mode = Options.choice("mode", VerifierMode.literals).pipe(
  Options.withDescription("strict (default: the most correct verdict) | deepscaler (serve-reward's default: the paper's training reward) | qwen-eval | format"),
  Options.withDefault("strict" as const)
)
const timeoutMs = positiveInteger("timeout-ms").pipe(
  Options.withDescription("time bound per grade in milliseconds (default 100)"),
  Options.withDefault(100)
)

/** Writes to stdout and waits until the text is handed to the OS: a pipe must get every line before the exit. */
const writeOut = (text: string): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    process.stdout.write(text, () => resume(Effect.void))
  })

export const command = Command.make("grade", { file, mode, timeoutMs }, ({ file, mode, timeoutMs }) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    // Loaded here, not at the top: the CAS behind the verifier is only needed once there is something to grade.
    const { formatSummary, gradeLine, GradeTally } = yield* Effect.promise(() => import("@oneshot/verifier"))
    const name = file === STDIN ? "<stdin>" : file
    const bytes: Stream.Stream<Uint8Array, FileError> =
      file === STDIN
        ? yield* Effect.promise(() => import("@effect/platform-node/NodeStream")).pipe(
            Effect.map((NodeStream) =>
              NodeStream.fromReadable<FileError>(() => process.stdin, (e) => new FileError({ path: name, operation: "read", reason: String(e), cause: e }))
            )
          )
        : fs.stream(file).pipe(Stream.mapError((e) => new FileError({ path: file, operation: "read", reason: e.message, cause: e })))
    const tally = new GradeTally()
    let lineNumber = 0
    yield* bytes.pipe(
      Stream.decodeText(),
      Stream.splitLines,
      Stream.map((raw) => {
        const graded = gradeLine(raw, ++lineNumber, name, { mode, timeoutMs })
        tally.add(graded)
        return graded.output
      }),
      // One write per chunk of lines: output follows input as it arrives.
      Stream.mapChunks((lines) => Chunk.of(`${Chunk.join(lines, "\n")}\n`)),
      Stream.runForEach((text) => (text === "\n" ? Effect.void : writeOut(text)))
    )
    const summary = tally.summary()
    for (const e of tally.errors) yield* Console.error(e.message)
    yield* Console.error(formatSummary(summary, mode))
    if (summary.malformed > 0) {
      return yield* new InvalidInput({
        input: name,
        expected: 'every line a JSON object {"response": string, "gold": string}',
        actual: `${summary.malformed} malformed line${summary.malformed === 1 ? "" : "s"} (reported on stdout as {"error": …})`
      })
    }
  })
).pipe(Command.withDescription("grade responses against gold answers: JSONL in (a file or - for stdin), one JSONL line out per line in"))

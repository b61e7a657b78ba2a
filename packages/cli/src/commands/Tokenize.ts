/**
 * `rlvr tokenize --model DIR FILE.jsonl`: each line `{text}` gains `ids`, the
 * model directory's tokenizer applied as is (special tokens written in the
 * text are recognised; no BOS or anything else is added). `-` reads stdin.
 * Results on stdout as JSONL. Only the tokenizer files are read.
 */
import { Args, Command, Options } from "@effect/cli"
import { FileError } from "@oneshot/core"
import { Effect } from "effect"
import { readFile } from "node:fs/promises"

/** The JSONL input: a file, or stdin for `-`. */
export const inputFile = Args.text({ name: "FILE.jsonl" }).pipe(Args.withDescription("JSONL input; - reads stdin"))

export const modelDir = Options.directory("model").pipe(
  Options.withDescription("a model directory: Hugging Face (config.json, tokenizer.json, *.safetensors) or an oneshot checkpoint")
)

export const readInput = (file: string): Effect.Effect<string, FileError> =>
  Effect.tryPromise({
    try: async () => {
      if (file !== "-") return readFile(file, "utf8")
      const chunks: Array<Buffer> = []
      for await (const c of process.stdin) chunks.push(c as Buffer)
      return Buffer.concat(chunks).toString("utf8")
    },
    catch: (e) => new FileError({ path: file === "-" ? "stdin" : file, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
  })

export const printJsonl = (rows: ReadonlyArray<unknown>): Effect.Effect<void> =>
  Effect.sync(() => {
    if (rows.length > 0) process.stdout.write(`${rows.map((r) => JSON.stringify(r)).join("\n")}\n`)
  })

export const command = Command.make("tokenize", { model: modelDir, file: inputFile }, ({ file, model }) =>
  Effect.gen(function* () {
    const text = yield* readInput(file)
    const { loadCheckpointTokenizer, parseJsonl, tokenizeLines } = yield* Effect.promise(() => import("@oneshot/policy"))
    const tokenizer = yield* loadCheckpointTokenizer(model)
    const lines = yield* parseJsonl(text, file === "-" ? "stdin" : file)
    yield* printJsonl(yield* tokenizeLines(tokenizer, lines, file === "-" ? "stdin" : file))
  })
).pipe(Command.withDescription("tokenize {text} lines with a model directory's tokenizer (JSONL in, JSONL with ids out)"))

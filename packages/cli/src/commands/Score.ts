/**
 * `rlvr score --model DIR FILE.jsonl`: each line `{prompt, completion}` (text)
 * or `{prompt_ids, completion_ids}` gains `logprobs`, the natural-log
 * probability of each completion token given everything before it, at
 * temperature 1 (text prompts are encoded as the model expects: special tokens
 * recognised, BOS only where the tokenizer adds one). `-` reads stdin.
 */
import { Command, Options } from "@effect/cli"
import { Effect, Layer, Option } from "effect"
import { inputFile, modelDir, printJsonl, readInput } from "./Tokenize.ts"

export const backendOption = Options.text("backend").pipe(
  Options.withDescription("tfjs backend: wasm | cpu | webgpu | tensorflow (default: ONESHOT_BACKEND or wasm)"),
  Options.optional
)

/** The policy of a model directory on the chosen backend, after the memory plan says it fits. */
export const withModel = <A, E>(
  model: string,
  backend: Option.Option<string>,
  use: (policy: import("@oneshot/policy").PolicyShape) => Effect.Effect<A, E>
) =>
  Effect.gen(function* () {
    const P = yield* Effect.promise(() => import("@oneshot/policy"))
    const layer = Option.isSome(backend) ? P.Backend.layer(backend.value) : P.Backend.fromEnv
    return yield* Effect.gen(function* () {
      const policy = yield* P.Policy
      return yield* use(policy)
    }).pipe(Effect.provide(P.PolicyLive.load(model).pipe(Layer.provide(layer))))
  })

export const command = Command.make("score", { model: modelDir, file: inputFile, backend: backendOption }, ({ backend, file, model }) =>
  Effect.gen(function* () {
    const text = yield* readInput(file)
    const where = file === "-" ? "stdin" : file
    const { parseJsonl, scoreLines } = yield* Effect.promise(() => import("@oneshot/policy"))
    const lines = yield* parseJsonl(text, where)
    yield* printJsonl(yield* withModel(model, backend, (policy) => scoreLines(policy, lines, where)))
  })
).pipe(Command.withDescription("log-probabilities of completions under a model (JSONL in, JSONL with logprobs out)"))

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

export const dryRunOption = Options.boolean("dry-run").pipe(Options.withDescription("print the memory plan and exit without loading the weights"))

/**
 * The policy of a model directory on the chosen backend, once the memory plan
 * for `workload` fits (else a failure naming the numbers); with `dryRun` the
 * plan is printed and nothing is loaded.
 */
export const withModel = <A, E>(
  model: string,
  backend: Option.Option<string>,
  workload: (config: import("@oneshot/policy").ModelConfig) => import("@oneshot/policy").Workload,
  dryRun: boolean,
  use: (policy: import("@oneshot/policy").PolicyShape) => Effect.Effect<A, E>
) =>
  Effect.gen(function* () {
    const P = yield* Effect.promise(() => import("@oneshot/policy"))
    const { InvalidInput } = yield* Effect.promise(() => import("@oneshot/core"))
    const { totalmem } = yield* Effect.promise(() => import("node:os"))
    const name = Option.getOrElse(backend, () => process.env["ONESHOT_BACKEND"] ?? "wasm")
    const config = yield* P.readCheckpointConfig(model)
    const plan = P.memoryPlan(config, workload(config))
    const capacity = P.capacityHere(name, process.env, totalmem())
    if (dryRun) {
      yield* Effect.sync(() => process.stdout.write(`${P.formatPlan(plan, name, capacity)}\n`))
      return undefined
    }
    const problem = P.planProblem(plan, name, capacity)
    if (problem !== undefined) return yield* new InvalidInput({ input: model, expected: "a model and batch that fit in memory", actual: problem })
    const layer = Option.isSome(backend) ? P.Backend.layer(backend.value) : P.Backend.fromEnv
    return yield* Effect.gen(function* () {
      const policy = yield* P.Policy
      return yield* use(policy)
    }).pipe(Effect.provide(P.PolicyLive.load(model).pipe(Layer.provide(layer))))
  })

export const command = Command.make(
  "score",
  { model: modelDir, file: inputFile, backend: backendOption, dryRun: dryRunOption },
  ({ backend, dryRun, file, model }) =>
    Effect.gen(function* () {
      const text = yield* readInput(file)
      const where = file === "-" ? "stdin" : file
      const { loadCheckpointTokenizer, parseJsonl, readCheckpointConfig, scoreInput, scoreLines } = yield* Effect.promise(() => import("@oneshot/policy"))
      const lines = yield* parseJsonl(text, where)
      const tokenizer = yield* loadCheckpointTokenizer(model)
      const vocab = (yield* readCheckpointConfig(model)).vocab_size
      let longest = 1
      for (const l of lines) {
        const s = yield* scoreInput(tokenizer, vocab, l, where)
        longest = Math.max(longest, s.prompt.length + s.completion.length)
      }
      const out = yield* withModel(model, backend, () => ({ rolloutRows: 0, sequenceTokens: longest, trainRows: 0, reference: false, scoreRows: 1 }), dryRun, (policy) =>
        scoreLines(policy, lines, where)
      )
      if (out !== undefined) yield* printJsonl(out)
    })
).pipe(Command.withDescription("log-probabilities of completions under a model (JSONL in, JSONL with logprobs out)"))

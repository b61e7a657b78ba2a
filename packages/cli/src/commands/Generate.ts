/**
 * `rlvr generate --model DIR FILE.jsonl [--max-tokens N] [--temperature T]`:
 * each line `{prompt}` or `{prompt_ids}` gains `completion_ids`, `completion`
 * and `finish_reason` (eos | length). Greedy at temperature 0 (the default),
 * sampled with the KV cache otherwise (`--seed`). `-` reads stdin.
 */
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { backendOption, dryRunOption, withModel } from "./Score.ts"
import { inputFile, modelDir, printJsonl, readInput } from "./Tokenize.ts"
import { integerAtLeast, nonNegativeFloat, positiveInteger } from "../Flags.ts"

const maxTokens = positiveInteger("max-tokens").pipe(Options.withDescription("new tokens per prompt (default 64)"), Options.withDefault(64))
const temperature = nonNegativeFloat("temperature").pipe(Options.withDescription("0 = greedy (default)"), Options.withDefault(0))
const seed = integerAtLeast("seed", 0).pipe(Options.withDescription("sampling seed (default 0)"), Options.withDefault(0))

export const command = Command.make(
  "generate",
  { model: modelDir, file: inputFile, maxTokens, temperature, seed, backend: backendOption, dryRun: dryRunOption },
  ({ backend, dryRun, file, maxTokens, model, seed, temperature }) =>
    Effect.gen(function* () {
      const text = yield* readInput(file)
      const where = file === "-" ? "stdin" : file
      const { generateLines, loadCheckpointTokenizer, parseJsonl } = yield* Effect.promise(() => import("@oneshot/policy"))
      const lines = yield* parseJsonl(text, where)
      const tokenizer = yield* loadCheckpointTokenizer(model)
      const longest = Math.max(1, ...lines.map((l) => (typeof l.value["prompt"] === "string" ? tokenizer.promptIds(l.value["prompt"]).length : Array.isArray(l.value["prompt_ids"]) ? l.value["prompt_ids"].length : 0)))
      const workload = () => ({ rolloutRows: lines.length, sequenceTokens: longest + maxTokens, trainRows: 0, reference: false })
      const out = yield* withModel(model, backend, workload, dryRun, (policy) => generateLines(policy, lines, where, { maxTokens, temperature, seed }))
      if (out !== undefined) yield* printJsonl(out)
    })
).pipe(Command.withDescription("continue prompts with a model (JSONL in, JSONL with completions out; greedy by default)"))

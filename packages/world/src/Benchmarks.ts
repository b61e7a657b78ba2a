/**
 * The world's test splits as `@oneshot/eval` benchmarks, and the world's
 * evaluation protocol (its prompt template, greedy decoding, the paper's
 * training-reward grader). Registering them here keeps the eval package
 * ignorant of the world while `rlvr eval` can still score the base model.
 */
import type { Problem } from "@oneshot/core"
import { type Benchmark, Protocol } from "@oneshot/eval"
import { Effect } from "effect"
import { readSplit } from "./Files.ts"
import { SPLITS, TEST_SPLITS } from "./Splits.ts"
import { formatPrompt, WORLD_PROTOCOL } from "./Template.ts"
import { validationBenchmarks } from "./Validation.ts"

/** Longest completion the protocol samples: clean solutions are under 220 characters. */
export const WORLD_MAX_TOKENS = 240

/**
 * Greedy, one sample, graded in `deepscaler` mode: the answer must be in
 * `\boxed{}` (as the paper's reward requires), so the boxed ratio bounds the
 * accuracy, as it does for the paper's base model.
 */
export const WorldProtocol = new Protocol({
  name: WORLD_PROTOCOL,
  description: "synthetic world: `Q: {problem}\\nA: `, greedy, 1 sample, 240 tokens, deepscaler grading (boxed answers only)",
  template: formatPrompt("{problem}"),
  maxTokens: WORLD_MAX_TOKENS,
  verifierMode: "deepscaler",
  batchSize: 100
})

/** The same decoding, graded leniently (`qwen-eval` also reads `The answer is X`): the model's latent skill. */
export const WorldLenientProtocol = new Protocol({
  ...WorldProtocol,
  name: `${WORLD_PROTOCOL}-lenient`,
  description: "as world-greedy, graded in qwen-eval mode (unboxed final answers count): latent skill",
  verifierMode: "qwen-eval"
})

export const WORLD_PROTOCOLS: ReadonlyArray<Protocol> = [WorldProtocol, WorldLenientProtocol]

/** Every world split as a benchmark (test splits, the training pool, its validation rows), loading the shipped JSONL. */
export const worldBenchmarks: ReadonlyArray<Benchmark> = [
  ...SPLITS.map((s) => ({
    name: s.name,
    description: s.description,
    size: s.size,
    defaultProtocol: WORLD_PROTOCOL,
    load: readSplit(s.name).pipe(Effect.map((ps): ReadonlyArray<Problem> => ps))
  })),
  // The validation rows and the training pool (parts of world-train; see Validation.ts).
  ...validationBenchmarks
]

/** The test benchmarks averaged as the paper averages its six. */
export const WORLD_TEST_BENCHMARKS: ReadonlyArray<string> = TEST_SPLITS

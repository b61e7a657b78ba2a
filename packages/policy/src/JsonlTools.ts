/**
 * What `rlvr tokenize | score | generate` do to a JSONL file, as functions of
 * a tokenizer or a policy: each input line keeps its fields and gains the
 * result's. A malformed line fails the whole call naming `file:line` and what
 * was expected (nothing is half-written: the caller prints the lines it gets).
 */
import { GenerateOptions, InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import type { PolicyError } from "./Errors.ts"
import type { PolicyShape } from "./Policy.ts"
import type { TokenizerShape } from "./Tokenizer.ts"

export type JsonObject = Record<string, unknown>

export interface JsonlLine {
  /** 1-based line number in the file. */
  readonly line: number
  readonly value: JsonObject
}

/** Non-empty lines as JSON objects. */
export const parseJsonl = (text: string, file: string): Effect.Effect<ReadonlyArray<JsonlLine>, InvalidInput> =>
  Effect.gen(function* () {
    const out: Array<JsonlLine> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.trim()
      if (raw === "") continue
      const value = yield* Effect.try({
        try: () => JSON.parse(raw) as unknown,
        catch: (e) => new InvalidInput({ input: `${file}:${i + 1}`, expected: "a JSON object", actual: raw.slice(0, 80), cause: e })
      })
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return yield* new InvalidInput({ input: `${file}:${i + 1}`, expected: "a JSON object", actual: raw.slice(0, 80) })
      }
      out.push({ line: i + 1, value: value as JsonObject })
    }
    return out
  })

const isIds = (v: unknown, vocab: number): v is Array<number> =>
  Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x < vocab)

const where = (file: string, l: JsonlLine) => `${file}:${l.line}`

/** `{text}` → adds `ids`: special tokens written in the text are recognised, nothing is added. */
export const tokenizeLines = (tokenizer: TokenizerShape, lines: ReadonlyArray<JsonlLine>, file: string): Effect.Effect<Array<JsonObject>, InvalidInput> =>
  Effect.forEach(lines, (l) =>
    typeof l.value["text"] === "string"
      ? Effect.succeed({ ...l.value, ids: tokenizer.encode(l.value["text"]) })
      : Effect.fail(new InvalidInput({ input: where(file, l), expected: 'a "text" string field' }))
  )

/** The prompt and completion ids of a score line: `{prompt, completion}` text or `{prompt_ids, completion_ids}`. */
export const scoreInput = (
  tokenizer: TokenizerShape,
  vocab: number,
  l: JsonlLine,
  file: string
): Effect.Effect<{ prompt: Array<number>; completion: Array<number>; fromText: boolean }, InvalidInput> => {
  const v = l.value
  if (typeof v["prompt"] === "string" && typeof v["completion"] === "string") {
    return Effect.succeed({ prompt: tokenizer.promptIds(v["prompt"]), completion: tokenizer.encode(v["completion"]), fromText: true })
  }
  if (isIds(v["prompt_ids"], vocab) && isIds(v["completion_ids"], vocab)) {
    return Effect.succeed({ prompt: v["prompt_ids"], completion: v["completion_ids"], fromText: false })
  }
  return Effect.fail(
    new InvalidInput({ input: where(file, l), expected: `{"prompt", "completion"} strings or {"prompt_ids", "completion_ids"} arrays of ids in [0, ${vocab})` })
  )
}

/**
 * `{prompt, completion}` or `{prompt_ids, completion_ids}` → adds `logprobs`:
 * natural-log probability of each completion token given everything before it,
 * at temperature 1 (text input also gets the `completion_ids` scored).
 */
export const scoreLines = (policy: PolicyShape, lines: ReadonlyArray<JsonlLine>, file: string): Effect.Effect<Array<JsonObject>, InvalidInput | PolicyError> =>
  Effect.forEach(lines, (l) =>
    Effect.gen(function* () {
      const { prompt, completion, fromText } = yield* scoreInput(policy.tokenizer, policy.config.vocab_size, l, file)
      if (prompt.length === 0) return yield* new InvalidInput({ input: where(file, l), expected: "a prompt of at least one token (nothing predicts the first token)" })
      const tokens = [...prompt, ...completion]
      // One sequence per forward pass: the logits are [T, vocab] (151936 wide for Qwen2).
      const out = yield* policy.score({ tokens: [tokens], responseMask: [tokens.map((_, t) => (t >= prompt.length ? 1 : 0))] })
      const logprobs = out.logprobs[0]!.slice(prompt.length)
      return { ...l.value, ...(fromText ? { completion_ids: completion } : {}), logprobs }
    })
  )

export interface GenerateLinesOptions {
  readonly maxTokens: number
  readonly temperature: number
  readonly seed?: number
}

/** `{prompt}` or `{prompt_ids}` → adds `completion_ids`, `completion`, `finish_reason` (greedy at temperature 0, KV cache). */
export const generateLines = (
  policy: PolicyShape,
  lines: ReadonlyArray<JsonlLine>,
  file: string,
  options: GenerateLinesOptions
): Effect.Effect<Array<JsonObject>, InvalidInput | PolicyError> =>
  Effect.gen(function* () {
    const prompts = yield* Effect.forEach(lines, (l) =>
      typeof l.value["prompt"] === "string"
        ? Effect.succeed(policy.tokenizer.promptIds(l.value["prompt"]))
        : isIds(l.value["prompt_ids"], policy.config.vocab_size) && l.value["prompt_ids"].length > 0
          ? Effect.succeed(l.value["prompt_ids"])
          : Effect.fail(
              new InvalidInput({ input: where(file, l), expected: `a "prompt" string or non-empty "prompt_ids" (ids in [0, ${policy.config.vocab_size}))` })
            )
    )
    const samples = yield* policy.generateIds(
      prompts,
      GenerateOptions.make({ n: 1, temperature: options.temperature, topP: 1, maxTokens: options.maxTokens, stop: [], seed: options.seed ?? 0 })
    )
    return lines.map((l, i) => {
      const s = samples[i]![0]!
      return { ...l.value, completion_ids: [...s.tokenIds], completion: s.text, finish_reason: s.finishReason }
    })
  })

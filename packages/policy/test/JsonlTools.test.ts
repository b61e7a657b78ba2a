import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { beforeAll } from "vitest"
import { Backend, selectBackend } from "../src/Backend.ts"
import { generateLines, parseJsonl, scoreLines, tokenizeLines } from "../src/JsonlTools.ts"
import { ModelPresets } from "../src/ModelConfig.ts"
import { PolicyLive } from "../src/PolicyLive.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"

beforeAll(async () => {
  await Effect.runPromise(selectBackend("wasm"))
})

const failure = <A, E extends { message: string }>(e: Effect.Effect<A, E>) => Effect.runSync(Effect.flip(e)).message

describe("rlvr tokenize | score | generate, line by line", () => {
  it("parses JSONL objects, skipping blank lines, and names file:line when a line is not one", () => {
    const lines = Effect.runSync(parseJsonl('{"text":"a"}\n\n{"text":"b"}\n', "f.jsonl"))
    expect(lines.map((l) => l.line)).toEqual([1, 3])
    expect(failure(parseJsonl('{"text":"a"}\nnot json\n', "f.jsonl"))).toContain("f.jsonl:2: expected a JSON object")
    expect(failure(parseJsonl("[1,2]\n", "f.jsonl"))).toContain("f.jsonl:1")
  })

  it("tokenize adds ids and keeps every input field; a line without text is named", () => {
    const lines = Effect.runSync(parseJsonl('{"text":"ab","id":7}\n', "f"))
    expect(Effect.runSync(tokenizeLines(CharTokenizer, lines, "f"))).toEqual([{ text: "ab", id: 7, ids: CharTokenizer.encode("ab") }])
    expect(failure(tokenizeLines(CharTokenizer, Effect.runSync(parseJsonl('{"txt":"ab"}\n', "f")), "f"))).toContain('f:1: expected a "text" string field')
  })

  it.effect("score: text and id forms give the same log-probs, one per completion token, equal to the policy's scores", () =>
    Effect.gen(function* () {
      const policy = yield* PolicyLive.make(ModelPresets.tiny, { seed: 5 })
      const prompt = CharTokenizer.promptIds("1+1=")
      const completion = CharTokenizer.encode("2\n")
      const lines = yield* parseJsonl(
        `${JSON.stringify({ prompt: "1+1=", completion: "2\n" })}\n${JSON.stringify({ prompt_ids: prompt, completion_ids: completion })}\n`,
        "f"
      )
      const [a, b] = yield* scoreLines(policy, lines, "f")
      expect(a!["completion_ids"]).toEqual(completion)
      expect((a!["logprobs"] as Array<number>).length).toBe(2)
      expect(a!["logprobs"]).toEqual(b!["logprobs"])
      const tokens = [...prompt, ...completion]
      const direct = yield* policy.score({ tokens: [tokens], responseMask: [tokens.map(() => 1)] })
      expect(a!["logprobs"]).toEqual(direct.logprobs[0]!.slice(prompt.length))
      const bad = yield* Effect.flip(scoreLines(policy, yield* parseJsonl('{"prompt_ids":[1],"completion_ids":[100000]}\n', "f"), "f"))
      expect(bad.message).toContain("f:1")
      yield* policy.dispose
    }).pipe(Effect.provide(Backend.wasm)))

  it.effect("generate at temperature 0 is greedy: the text and id forms agree, at most max-tokens ids", () =>
    Effect.gen(function* () {
      const policy = yield* PolicyLive.make(ModelPresets.tiny, { seed: 5 })
      const lines = yield* parseJsonl(`{"prompt":"2+2="}\n${JSON.stringify({ prompt_ids: CharTokenizer.promptIds("2+2=") })}\n`, "f")
      const [a, b] = yield* generateLines(policy, lines, "f", { maxTokens: 6, temperature: 0 })
      expect(a!["completion_ids"]).toEqual(b!["completion_ids"])
      expect((a!["completion_ids"] as Array<number>).length).toBeLessThanOrEqual(6)
      expect(a!["completion"]).toBe(CharTokenizer.decode(a!["completion_ids"] as Array<number>))
      yield* policy.dispose
    }).pipe(Effect.provide(Backend.wasm)))
})

import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { responseOf } from "../src/QueryResponse.ts"

describe("responseOf", () => {
  it("prompt + response gives back the response", () =>
    fc.assert(fc.property(fc.string(), fc.string(), (prompt, response) => {
      expect(responseOf(prompt + response, prompt)).toEqual({ response, promptFound: true })
    })))

  it("left padding before the prompt is skipped", () =>
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.string({ unit: fc.constantFrom("a", "b", " ", "\\", "{", "}"), minLength: 1 }),
      fc.string(),
      (pads, prompt, response) => {
        expect(responseOf("<|endoftext|>".repeat(pads) + prompt + response, prompt)).toEqual({ response, promptFound: true })
      }
    )))

  it("a query without the prompt is graded whole", () => {
    expect(responseOf("the answer is \\boxed{2}", "What is 1+1?")).toEqual({ response: "the answer is \\boxed{2}", promptFound: false })
  })

  it("a chat-templated query keeps only the assistant's text", () => {
    const prompt = "<|im_start|>user\nWhat is 1+1? Output the final answer within \\boxed{}.<|im_end|>\n<|im_start|>assistant\n"
    const query = "<|endoftext|><|endoftext|>" + prompt + "1+1 = \\boxed{2}<|im_end|><|endoftext|>"
    expect(responseOf(query, prompt).response).toBe("1+1 = \\boxed{2}<|im_end|><|endoftext|>")
  })
})

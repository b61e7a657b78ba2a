import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { decodeProtocol, PAPER_PROTOCOLS, QWEN25_MATH_COT_TEMPLATE, QwenMathCot, R1Distill32k, R1Distill8k, renderPrompt, settingsFor } from "../src/Protocol.ts"

describe("the paper's protocols (claims.md §1.2)", () => {
  it("qwen25-math-cot: greedy ×1 on MATH500/Minerva/OlympiadBench, avg@8 at T 0.6 on AIME24/AIME25/AMC23, 3072 tokens, seed 0", () => {
    for (const b of ["math500", "minerva_math", "olympiadbench"]) {
      expect(settingsFor(QwenMathCot, b)).toMatchObject({ temperature: 0, topP: 1, n: 1, maxTokens: 3072, seed: 0, metric: "greedy", ks: [1] })
    }
    for (const b of ["aime24", "aime25", "amc23"]) {
      expect(settingsFor(QwenMathCot, b)).toMatchObject({ temperature: 0.6, topP: 1, n: 8, maxTokens: 3072, seed: 0, metric: "avg@8", ks: [1, 8] })
    }
    expect(QwenMathCot.verifierMode).toBe("qwen-eval")
  })
  it("the qwen25-math-cot template is the exact Qwen2.5-Math string", () => {
    expect(QWEN25_MATH_COT_TEMPLATE).toBe(
      "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n{input}<|im_end|>\n<|im_start|>assistant\n"
    )
    expect(renderPrompt(QwenMathCot.template, "What is $1+1$?")).toBe(
      "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is $1+1$?<|im_end|>\n<|im_start|>assistant\n"
    )
  })
  it("R1-Distill: T 0.6, top-p 0.95, avg@16 / avg@64, 8k and 32k", () => {
    expect(settingsFor(R1Distill8k, "math500")).toMatchObject({ temperature: 0.6, topP: 0.95, n: 16, maxTokens: 8192, metric: "avg@16" })
    expect(settingsFor(R1Distill8k, "aime24")).toMatchObject({ n: 64, metric: "avg@64" })
    expect(settingsFor(R1Distill32k, "amc23")).toMatchObject({ n: 64, maxTokens: 32768 })
    expect(new Set(PAPER_PROTOCOLS.map((p) => p.name)).size).toBe(PAPER_PROTOCOLS.length)
  })
  it("renders every slot spelling and leaves LaTeX braces alone", () => {
    expect(renderPrompt("{problem} / {prompt} / {input} / \\boxed{}", "P")).toBe("P / P / P / \\boxed{}")
    expect(renderPrompt("{input}", "uses $ and {input} and $&")).toBe("uses $ and {input} and $&")
  })
})

describe("user-defined protocols", () => {
  it.effect("decode from JSON with defaults", () =>
    Effect.gen(function* () {
      const p = yield* decodeProtocol({ name: "mine", template: "Q: {problem}", maxTokens: 64, n: 4, temperature: 1, ks: [2] }, "mine.json")
      expect(settingsFor(p, "x")).toMatchObject({ n: 4, temperature: 1, topP: 1, ks: [1, 2, 4], metric: "avg@4", verifierMode: "qwen-eval" })
    })
  )
  it.effect("a template without a slot is rejected, naming the input", () =>
    Effect.gen(function* () {
      const err = yield* Effect.flip(decodeProtocol({ name: "bad", template: "no slot", maxTokens: 8 }, "bad.json"))
      expect(err.message).toMatch(/^bad\.json: expected a protocol/)
      expect(err.message).toContain("{input}, {problem} or {prompt} slot")
    })
  )
})

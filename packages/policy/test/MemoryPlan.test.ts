import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { memoryPlan, planProblem, WASM_HEAP_BYTES } from "../src/MemoryPlan.ts"
import { ModelConfig, ModelPresets, parameterCount } from "../src/ModelConfig.ts"

const qwen = (h: number, ff: number, L: number, H: number, kv: number) =>
  new ModelConfig({ vocab_size: 151936, hidden_size: h, intermediate_size: ff, num_hidden_layers: L, num_attention_heads: H, num_key_value_heads: kv, max_position_embeddings: 4096, rms_norm_eps: 1e-6, rope_theta: 10000, tie_word_embeddings: true, attention_bias: true })

const workload = fc.record({
  rolloutRows: fc.integer({ min: 0, max: 2048 }),
  sequenceTokens: fc.integer({ min: 1, max: 4096 }),
  trainRows: fc.integer({ min: 0, max: 64 }),
  reference: fc.boolean(),
  scoreRows: fc.integer({ min: 0, max: 4 })
})

describe("memory plan", () => {
  it("never shrinks when the batch, the sequence or the model grows; totals its parts", () => {
    fc.assert(
      fc.property(workload, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 256 }), (w, dRows, dT) => {
        const c = ModelPresets.small
        const p = memoryPlan(c, w)
        expect(p.parameters).toBe(parameterCount(c))
        expect(p.total).toBe(p.weights + p.gradients + p.optimizer + p.reference + Math.max(p.sampling, p.activations))
        expect(memoryPlan(c, { ...w, rolloutRows: w.rolloutRows + dRows }).total).toBeGreaterThanOrEqual(p.total)
        expect(memoryPlan(c, { ...w, sequenceTokens: w.sequenceTokens + dT }).total).toBeGreaterThanOrEqual(p.total)
        expect(memoryPlan(c, { ...w, trainRows: w.trainRows + dRows }).total).toBeGreaterThanOrEqual(p.total)
        expect(memoryPlan(c, { ...w, scoreRows: w.scoreRows + dRows }).total).toBeGreaterThanOrEqual(p.total)
        expect(memoryPlan(ModelPresets.medium, w).total).toBeGreaterThan(p.total)
        if (w.trainRows > 0) expect(p.optimizer).toBe(2 * p.weights)
      })
    )
  })

  it("Qwen2.5-0.5B's shape loads on wasm for greedy decoding; 1.5B's does not, and the refusal names the numbers", () => {
    const small = memoryPlan(qwen(896, 4864, 24, 14, 2), { rolloutRows: 1, sequenceTokens: 1024, trainRows: 0, reference: false })
    expect(planProblem(small, "wasm", WASM_HEAP_BYTES)).toBeUndefined()
    const big = memoryPlan(qwen(1536, 8960, 28, 12, 2), { rolloutRows: 1, sequenceTokens: 1024, trainRows: 0, reference: false })
    const msg = planProblem(big, "wasm", WASM_HEAP_BYTES)!
    expect(msg).toContain("4.00 GiB")
    expect(msg).toContain("parameters 1543.7M")
    expect(msg).toContain("weights 5.75 GiB")
    expect(planProblem(big, "webgpu", undefined)).toBeUndefined()
  })
})

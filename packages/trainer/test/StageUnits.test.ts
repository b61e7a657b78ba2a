/**
 * The step's stages one by one, outside the trainer: rollout options and
 * rewards, the scoring stage's decisions, advantages (estimator + KL reward
 * penalty) and the step metrics. The update stage is exercised through the
 * reference run logs (its numbers) and the micro-batching tests (its
 * gradients) in Trainer.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import { Problem, Verifier } from "@oneshot/core"
import { Effect, FastCheck as fc } from "effect"
import { advantages } from "../src/AdvantageStage.ts"
import { rewards, samplingOptions } from "../src/RolloutStage.ts"
import { needsReference, oldPassIsRedundant } from "../src/ScoringStage.ts"
import type { Rollout } from "../src/StepBatch.ts"
import { batchMetrics, loggedGenerations, perExampleAccuracy, rewardKlPenalty } from "../src/StepMetrics.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"

const problem = (id: string, answer: string) => Problem.make({ id, prompt: id, answer, source: "t" })

/** `groups` prompts × `n` rollouts; rollout k answers `texts[k]`, response length 3 + k % 2, prompt length 2. */
const batchOf = (groups: number, n: number, texts: ReadonlyArray<string>): Array<Rollout> =>
  Array.from({ length: groups * n }, (_, k) => ({
    row: Math.floor(k / n),
    problem: problem(`p${Math.floor(k / n)}`, "7"),
    prompt: [1, 2],
    response: Array.from({ length: 3 + (k % 2) }, () => 5),
    text: texts[k] ?? "",
    truncated: k === 0
  }))

describe("rollout stage", () => {
  it("the sampling seed is a function of (seed, step): the same step repeats, the next differs", () => {
    const c = taskConfig(tempDir("stage-roll"))
    expect(samplingOptions(c, 3).seed).toBe(samplingOptions(c, 3).seed)
    expect(samplingOptions(c, 3).seed).not.toBe(samplingOptions(c, 4).seed)
    expect(samplingOptions(c, 3).n).toBe(c.rollout.n)
  })
  it.effect("rewards are the verifier's 0/1 grades, in rollout order", () =>
    Effect.gen(function* () {
      const c = taskConfig(tempDir("stage-rew"))
      const v = yield* Verifier
      expect(yield* rewards(c, v, batchOf(1, 4, ["7", "8", " 7 ", ""]))).toEqual([1, 0, 1, 0])
    }).pipe(Effect.provide(ExactMatchVerifier))
  )
})

describe("scoring stage decisions", () => {
  it("the old-log-prob pass is redundant only for one epoch over one mini-batch, no critic, no KL reward", () => {
    const base = taskConfig(tempDir("stage-sc"))
    expect(oldPassIsRedundant(base, false)).toBe(base.actor.ppoEpochs === 1 && base.algorithm.klRewardCoef === 0)
    expect(oldPassIsRedundant(base, true)).toBe(false)
    expect(oldPassIsRedundant(taskConfig(tempDir("stage-sc2"), { actor: { ppoEpochs: 2 } }), false)).toBe(false)
    expect(oldPassIsRedundant(taskConfig(tempDir("stage-sc3"), { algorithm: { klRewardCoef: 0.1 } }), false)).toBe(false)
  })
  it("the reference policy is needed exactly when a KL term is on", () => {
    expect(needsReference(taskConfig(tempDir("r1"), { actor: { klCoef: 0 } }))).toBe(false)
    expect(needsReference(taskConfig(tempDir("r2"), { actor: { klCoef: 0.01 } }))).toBe(true)
    expect(needsReference(taskConfig(tempDir("r3"), { actor: { klCoef: 0 }, algorithm: { klRewardCoef: 0.1 } }))).toBe(true)
  })
})

describe("advantage stage", () => {
  it("GRPO: each group's advantages sum to 0 and every token of a response carries its response's advantage", () => {
    const c = taskConfig(tempDir("stage-adv"), { algorithm: { advEstimator: "grpo" } })
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1), { minLength: 8, maxLength: 8 }), (scores) => {
        const batch = batchOf(2, 4, [])
        const a = advantages(c, batch, scores, {})
        for (const g of [0, 1]) {
          const sum = a.advantages.slice(4 * g, 4 * g + 4).reduce((s, tokens) => s + tokens[0]!, 0)
          expect(Math.abs(sum)).toBeLessThan(1e-9)
        }
        a.advantages.forEach((tokens, k) => {
          expect(tokens).toHaveLength(batch[k]!.response.length)
          expect(new Set(tokens).size).toBe(1)
        })
        expect(a.seqRewards).toEqual(scores)
      })
    )
  })
  it("a KL reward penalty lowers the rewards of responses that moved away from the reference", () => {
    const c = taskConfig(tempDir("stage-kl"), { algorithm: { advEstimator: "grpo", klRewardCoef: 0.5 } })
    const batch = batchOf(1, 2, [])
    const T = 2 + 4
    const old = batch.map(() => Array.from({ length: T }, () => -1))
    const ref = batch.map((_, k) => Array.from({ length: T }, () => (k === 0 ? -1 : -2)))
    const a = advantages(c, batch, [1, 1], { oldLogprobs: old, refLogprobs: ref })
    expect(a.seqRewards[0]).toBeCloseTo(1)
    expect(a.seqRewards[1]!).toBeLessThan(1)
    expect(rewardKlPenalty([1, 1], a.seqRewards)).toBeGreaterThan(0)
  })
})

describe("step metrics", () => {
  it("names and values: scores, lengths, clip ratio, epoch and step; per-example accuracy; logged generations", () => {
    const batch = batchOf(2, 2, ["7", "x", "7", "7"])
    const scores = [1, 0, 1, 1]
    const m = batchMetrics(batch, scores, { advantages: [[0.5], [-0.5], [0], [0]], seqRewards: scores }, 5, 2)
    expect(m["critic/score/mean"]).toBe(0.75)
    expect(m["response_length/max"]).toBe(4)
    expect(m["response_length/min"]).toBe(3)
    expect(m["response_length/clip_ratio"]).toBe(0.25)
    expect(m["training/epoch"]).toBe(2)
    expect(m["training/global_step"]).toBe(5)
    expect(perExampleAccuracy(batch, scores)).toEqual({ p0: 0.5, p1: 1 })
    expect(loggedGenerations(batch, scores, 1)).toEqual([{ id: "p0", response: "7", reward: 1 }])
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Backend } from "@oneshot/policy"
import { EvalSummary, Evaluator, GenerateOptions } from "@oneshot/core"
import { Effect, Layer } from "effect"
import { BigramPolicyLayer } from "../src/BigramPolicy.ts"
import { rankHistoryFile } from "../src/Select.ts"
import { accuracyHistory, accuracyHistoryJson, readRunLog, runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"

const source = (dir: string | undefined) => BigramPolicyLayer({ seed: 1 }, dir)
const env = Layer.merge(ExactMatchVerifier, Backend.wasm)

const scoreSeries = (lines: ReadonlyArray<{ _tag: string }>) =>
  lines.flatMap((l) => (l._tag === "step" ? [(l as unknown as { metrics: Record<string, number> }).metrics["critic/score/mean"]!] : []))
const avg = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length

describe("trainer end to end (bigram policy, next-digit task, wasm)", () => {
  it.effect("GRPO raises the reward within 30 steps", () =>
    Effect.gen(function* () {
      const config = taskConfig(tempDir("grpo"))
      const result = yield* train(config, source, { quiet: true })
      expect(result.finished).toBe(true)
      const scores = scoreSeries(yield* readRunLog(runLogPath(config.trainer.runDir)))
      expect(scores).toHaveLength(30)
      expect(avg(scores.slice(-5))).toBeGreaterThan(avg(scores.slice(0, 5)) + 0.3)
      // the run log's accuracy lines are the authors' acc_step history, ready for selection
      const history = accuracyHistory(yield* readRunLog(runLogPath(config.trainer.runDir)))
      expect(history.map(([id]) => id).sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
      expect(history.reduce((n, [, xs]) => n + xs.length, 0)).toBe(30 * 5)
      const ranked = yield* rankHistoryFile(runLogPath(config.trainer.runDir))
      expect(ranked).toHaveLength(10)
      const json = JSON.parse(accuracyHistoryJson(history)) as Record<string, Array<number>>
      expect(json["3"]).toEqual(history.find(([id]) => id === "3")![1])
    }).pipe(Effect.provide(env))
  )

  it.effect("PPO (GAE + value head) raises the reward too", () =>
    Effect.gen(function* () {
      const config = taskConfig(tempDir("ppo"), { algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 }, critic: { optimizer: { lr: 0.1, weightDecay: 0 } } })
      yield* train(config, source, { quiet: true })
      const lines = yield* readRunLog(runLogPath(config.trainer.runDir))
      const scores = scoreSeries(lines)
      expect(avg(scores.slice(-5))).toBeGreaterThan(avg(scores.slice(0, 5)) + 0.3)
      const last = lines.filter((l) => l._tag === "step").at(-1) as unknown as { metrics: Record<string, number> }
      expect(last.metrics["critic/vf_loss"]).toBeTypeOf("number")
    }).pipe(Effect.provide(env))
  )

  it.effect("evaluates every k steps through an Evaluator in context (and before training)", () =>
    Effect.gen(function* () {
      const calls: Array<string> = []
      const FakeEvaluator = Layer.succeed(Evaluator, {
        evaluate: (generator, benchmark) =>
          Effect.gen(function* () {
            const out = yield* generator(["3", "4"], GenerateOptions.make({ n: 1, temperature: 0, maxTokens: 1 }))
            calls.push(benchmark)
            const accuracy = out.filter((s, i) => s[0]!.text === String(4 + i)).length / 2
            return EvalSummary.make({ benchmark, protocol: "greedy", n: 2, accuracy })
          })
      })
      const config = taskConfig(tempDir("eval"), { eval: { every: 5, beforeTrain: true, benchmarks: ["digits"] }, trainer: { steps: 10, batchSize: 5, checkpointEvery: 5, runDir: `${tempDir("evalrun")}/run` } })
      yield* train(config, source, { quiet: true }).pipe(Effect.provide(FakeEvaluator))
      expect(calls).toEqual(["digits", "digits", "digits"])
      const lines = yield* readRunLog(runLogPath(config.trainer.runDir))
      expect(lines.filter((l) => l._tag === "eval").map((l) => l.step)).toEqual([0, 5, 10])
      const step5 = lines.find((l) => l._tag === "step" && l.step === 5)
      expect(step5?._tag === "step" ? step5.metrics["val/test_score/digits"] : undefined).toBeTypeOf("number")
    }).pipe(Effect.provide(env))
  )

  it.effect("evaluates at the extra steps of eval.at too, leaving training unchanged", () =>
    Effect.gen(function* () {
      const FakeEvaluator = Layer.succeed(Evaluator, {
        evaluate: (generator, benchmark) =>
          Effect.gen(function* () {
            yield* generator(["3"], GenerateOptions.make({ n: 1, temperature: 0, maxTokens: 1 }))
            return EvalSummary.make({ benchmark, protocol: "greedy", n: 1, accuracy: 0.5 })
          })
      })
      const run = (at: ReadonlyArray<number> | undefined, name: string) =>
        Effect.gen(function* () {
          const config = taskConfig(tempDir(name), {
            eval: { every: 5, beforeTrain: true, benchmarks: ["digits"], ...(at === undefined ? {} : { at }) },
            trainer: { steps: 10, batchSize: 5, checkpointEvery: 5, runDir: `${tempDir(`${name}run`)}/run` }
          })
          yield* train(config, source, { quiet: true }).pipe(Effect.provide(FakeEvaluator))
          return yield* readRunLog(runLogPath(config.trainer.runDir))
        })
      const plain = yield* run(undefined, "evalplain")
      const extra = yield* run([2, 3, 5], "evalextra")
      expect(extra.filter((l) => l._tag === "eval").map((l) => l.step)).toEqual([0, 2, 3, 5, 10])
      const trainingOf = (lines: typeof plain) =>
        lines.flatMap((l) => (l._tag === "step" ? [Object.fromEntries(Object.entries(l.metrics).filter(([k]) => !k.startsWith("val/") && !k.startsWith("timing")))] : []))
      expect(trainingOf(extra)).toEqual(trainingOf(plain))
    }).pipe(Effect.provide(env))
  )

  for (const aggregation of ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean"] as const) {
    it.effect(`micro-batching accumulates the exact mini-batch gradient (${aggregation}, ragged lengths)`, () =>
      Effect.gen(function* () {
        const run = (micro: number | undefined, name: string) =>
          Effect.gen(function* () {
            const dir = tempDir(name)
            const config = taskConfig(dir, {
              actor: { aggregation, optimizer: { lr: 0.2, weightDecay: 0 }, entropyCoef: 0.01, klCoef: 0.01, ...(micro === undefined ? {} : { microBatchSize: micro }) },
              rollout: { n: 8, temperature: 1, maxTokens: 3 },
              trainer: { steps: 3, batchSize: 5, checkpointEvery: 5, runDir: `${dir}/run` }
            })
            yield* train(config, source, { quiet: true })
            return (yield* readRunLog(runLogPath(config.trainer.runDir))).flatMap((l) => (l._tag === "step" ? [l.metrics] : []))
          })
        const whole = yield* run(undefined, "whole")
        const micro = yield* run(7, "micro")
        expect(whole.map((m) => m["response_length/mean"])).toEqual(micro.map((m) => m["response_length/mean"]))
        whole.forEach((m, i) => {
          for (const k of ["actor/loss", "actor/pg_loss", "actor/entropy", "actor/kl_loss", "actor/grad_norm"]) expect(micro[i]![k]).toBeCloseTo(m[k]!, 4)
        })
      }).pipe(Effect.provide(env))
    )
  }
})

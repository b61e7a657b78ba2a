/**
 * The trainer's stages through whole runs: the skips and packing keep what
 * is computed, extra sinks see every line, and the Optimizer, GitCommit and
 * advantage-estimator seams are the ones the trainer uses.
 */
import { describe, expect, it } from "@effect/vitest"
import type { RunLogLine } from "@oneshot/core"
import { Evaluator } from "@oneshot/core"
import { Backend } from "@oneshot/policy"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { registerAdvantageEstimator, advantageEstimator } from "../src/AdvantageEstimators.ts"
import { BigramPolicyLayer } from "../src/BigramPolicy.ts"
import { decodeConfig, encodeConfig } from "../src/Config.ts"
import { latestCheckpoint } from "../src/Checkpoint.ts"
import { GitCommitTest } from "../src/GitCommit.ts"
import { makeAdamW, Optimizer } from "../src/Optimizer.ts"
import type { RunSink } from "../src/RunSink.ts"
import { runLogPath, train } from "../src/Trainer.ts"
import { ExactMatchVerifier, taskConfig, tempDir } from "./support/Task.ts"
import { comparableRunLog, FIXTURES, REFERENCE_RUNS } from "./support/ReferenceRuns.ts"

const ref = (name: string) => REFERENCE_RUNS.find((r) => r.name === name)!
const lines = (text: string) => text.trim().split("\n").map((l) => JSON.parse(l) as { _tag: string; step: number; metrics?: Record<string, number> })
const without = (text: string, key: string) =>
  lines(text)
    .map((l) => JSON.stringify(l.metrics === undefined ? l : { ...l, metrics: Object.fromEntries(Object.entries(l.metrics).filter(([k]) => k !== key)) }))
    .join("\n") + "\n"

describe("skipping the redundant old-log-prob pass", () => {
  it.effect("one epoch, one mini-batch, on-policy: the same log, one pass fewer, and it says so", () =>
    Effect.gen(function* () {
      const log = yield* ref("transformer-grpo").run(tempDir("skip"), { skipRedundant: true })
      const text = comparableRunLog(log)
      const steps = lines(text).filter((l) => l._tag === "step")
      expect(steps.length).toBeGreaterThan(0)
      for (const s of steps) expect(s.metrics!["actor/old_log_prob_skipped"]).toBe(1)
      expect(readFileSync(log, "utf8")).not.toContain("timing_s/old_log_prob")
      expect(without(text, "actor/old_log_prob_skipped")).toBe(readFileSync(join(FIXTURES, "transformer-grpo.jsonl"), "utf8"))
    })
  )

  it.effect("the header records how the run was computed when not the default way, and only then", () =>
    Effect.gen(function* () {
      const envOf = (log: string) => (JSON.parse(readFileSync(log, "utf8").split("\n")[0]!) as { env: { execution?: unknown } }).env
      const skipped = yield* ref("bigram-gae").run(tempDir("exec-skip"), { skipRedundant: true, pack: true })
      expect(envOf(skipped).execution).toEqual({ workers: 1, skipRedundant: true, pack: true })
      const plain = yield* ref("bigram-gae").run(tempDir("exec-plain"))
      expect(envOf(plain).execution).toBeUndefined()
    })
  )

  for (const name of ["bigram-rloo-minibatches", "bigram-gae", "bigram-grpo-kl-reward"]) {
    it.effect(`${name}: not redundant (several updates, a critic, or KL in the reward), so computed and the log unchanged`, () =>
      Effect.gen(function* () {
        const log = yield* ref(name).run(tempDir("noskip"), { skipRedundant: true })
        expect(comparableRunLog(log)).toBe(readFileSync(join(FIXTURES, `${name}.jsonl`), "utf8"))
      })
    )
  }
})

describe("packing", () => {
  it.effect("length-bucketed micro-batches: the first step's update equals the padded one up to float rounding", () =>
    Effect.gen(function* () {
      const log = yield* ref("transformer-grpo").run(tempDir("pack"), { pack: true })
      const first = lines(comparableRunLog(log)).find((l) => l._tag === "step")!.metrics!
      const expected = lines(readFileSync(join(FIXTURES, "transformer-grpo.jsonl"), "utf8")).find((l) => l._tag === "step")!.metrics!
      for (const k of ["critic/score/mean", "response_length/mean", "critic/advantages/max"]) expect(first[k]).toBe(expected[k])
      for (const k of ["actor/grad_norm", "actor/entropy", "actor/kl_loss", "actor/loss"]) expect(first[k]).toBeCloseTo(expected[k]!, 5)
    })
  )
})

describe("evaluation", () => {
  it.effect("is interruptible: Ctrl-C during it records the step without it, checkpoints, and stops", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const Hanging = Layer.succeed(Evaluator, { evaluate: () => Effect.zipRight(Deferred.succeed(started, undefined), Effect.never) })
      const dir = tempDir("evalint")
      const config = taskConfig(dir, { eval: { every: 2, benchmarks: ["digits"] }, trainer: { steps: 10, batchSize: 5, checkpointEvery: 5, runDir: join(dir, "run") } })
      const fiber = yield* Effect.fork(train(config, (d) => BigramPolicyLayer({ seed: 1 }, d), { quiet: true }).pipe(Effect.provide(Layer.mergeAll(Hanging, ExactMatchVerifier, Backend.wasm))))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      const steps = lines(readFileSync(runLogPath(config.trainer.runDir), "utf8")).filter((l) => l._tag === "step")
      expect(steps.map((l) => l.step)).toEqual([1, 2])
      expect(Object.keys(steps[1]!.metrics!).some((k) => k.startsWith("val/"))).toBe(false)
      expect((yield* latestCheckpoint(config.trainer.runDir))?.state.step).toBe(2)
    })
  )
})

describe("seams", () => {
  it.effect("an extra sink receives every line the run log gets, in order", () =>
    Effect.gen(function* () {
      const seen: Array<RunLogLine> = []
      const sink: RunSink = { write: (line) => Effect.sync(() => void seen.push(line)) }
      const log = yield* ref("bigram-grpo-kl-reward").run(tempDir("sink"), { sinks: [sink] })
      expect(seen.map((l) => l._tag)).toEqual(lines(readFileSync(log, "utf8")).map((l) => l._tag))
    })
  )

  it.effect("the header's commit comes from the GitCommit service", () =>
    Effect.gen(function* () {
      const log = yield* ref("bigram-gae").run(tempDir("git")).pipe(Effect.provide(GitCommitTest("0123abc")))
      expect(JSON.parse(readFileSync(log, "utf8").split("\n")[0]!).env.gitCommit).toBe("0123abc")
    })
  )

  it.effect("the optimizer is made through the Optimizer tag", () =>
    Effect.gen(function* () {
      let made = 0
      const counting = Layer.succeed(Optimizer, { make: (vars, config) => (made++, makeAdamW(vars, config)) })
      const log = yield* ref("bigram-gae").run(tempDir("opt")).pipe(Effect.provide(counting))
      expect(made).toBe(2) // actor and critic
      expect(comparableRunLog(log)).toBe(readFileSync(join(FIXTURES, "bigram-gae.jsonl"), "utf8"))
    })
  )

  it.effect("the advantage stage takes its estimator from the registry", () =>
    Effect.gen(function* () {
      const rloo = advantageEstimator("rloo")
      registerAdvantageEstimator({ name: "rloo", needsValues: false, estimate: (i) => ({ advantages: i.tokenRewards.map((tr) => tr.map(() => 0.25)) }) })
      try {
        const log = yield* ref("bigram-rloo-minibatches").run(tempDir("registry"))
        for (const s of lines(readFileSync(log, "utf8")).filter((l) => l._tag === "step")) {
          expect(s.metrics!["critic/advantages/mean"]).toBe(0.25)
        }
      } finally {
        registerAdvantageEstimator(rloo)
      }
    })
  )

  it.effect("a config names a registered estimator of its own; an unregistered name is refused at decode, naming the registered ones", () =>
    Effect.gen(function* () {
      registerAdvantageEstimator({ name: "halves", needsValues: false, estimate: (i) => ({ advantages: i.tokenRewards.map((tr) => tr.map(() => 0.5)) }) })
      const ok = yield* decodeConfig({ ...(encodeConfig(taskConfig(tempDir("own-est"))) as object), algorithm: { advEstimator: "halves" } }, "test")
      expect(ok.algorithm.advEstimator).toBe("halves")
      const bad = yield* Effect.flip(decodeConfig({ ...(encodeConfig(taskConfig(tempDir("bad-est"))) as object), algorithm: { advEstimator: "nope" } }, "test"))
      expect(bad.message).toMatch(/algorithm\.advEstimator.*grpo, drgrpo, rloo, gae, halves/)
    })
  )

  it("an unknown estimator name fails naming the registered ones", () => {
    expect(() => advantageEstimator("nope")).toThrow(/grpo, drgrpo, rloo, gae/)
  })
})

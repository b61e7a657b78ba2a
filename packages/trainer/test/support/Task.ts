/**
 * A trivial verifiable task for end-to-end tests: the prompt is a digit d,
 * the correct response is the digit (d + 1) mod 10. A bigram policy can learn
 * it, so the reward must rise within a few dozen GRPO steps.
 */
import { type Grade, Grade as GradeClass, Problem, Verifier } from "@oneshot/core"
import { Effect, Layer } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type TrainConfig, TrainConfig as TC } from "../../src/Config.ts"
import { Schema } from "effect"

export const nextDigitProblems = (): Array<Problem> =>
  Array.from({ length: 10 }, (_, d) => Problem.make({ id: String(d), prompt: String(d), answer: String((d + 1) % 10), source: "next-digit" }))

/** Exact match (after trimming); `format` mode: any non-empty response. */
export const ExactMatchVerifier = Layer.succeed(Verifier, {
  grade: (response, gold, options) => Effect.succeed(grade(response, gold, options?.mode ?? "deepscaler")),
  gradeBatch: (items, options) => Effect.succeed(items.map((i) => grade(i.response, i.gold, options?.mode ?? "deepscaler")))
})

/** ExactMatchVerifier that sleeps 25 ms per batch, so a run can be interrupted or killed mid-way. */
export const SlowVerifier = Layer.effect(
  Verifier,
  Effect.map(Verifier, (v) => ({ ...v, gradeBatch: (items, o) => Effect.zipRight(Effect.sleep("25 millis"), v.gradeBatch(items, o)) }))
).pipe(Layer.provide(ExactMatchVerifier))

const grade = (response: string, gold: string, mode: Grade["mode"]): Grade => {
  const r = response.trim()
  const correct = mode === "format" ? r.length > 0 : r === gold
  return GradeClass.make({ correct, extracted: r.length > 0 ? r : null, rule: "exact", timedOut: false, mode })
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `oneshot-${prefix}-`))

export const writeProblems = (dir: string, problems: ReadonlyArray<Problem>): string => {
  const path = join(dir, "train.jsonl")
  writeFileSync(path, problems.map((p) => JSON.stringify(Schema.encodeSync(Problem)(p))).join("\n") + "\n")
  return path
}

/** A small fast GRPO config on the next-digit task. */
export const taskConfig = (dir: string, overrides: Record<string, unknown> = {}): TrainConfig =>
  Schema.decodeUnknownSync(TC)({
    experiment: "test-next-digit",
    seed: 7,
    data: { train: writeProblems(dir, nextDigitProblems()) },
    actor: { optimizer: { lr: 0.2, weightDecay: 0 }, entropyCoef: 0.001, klCoef: 0.001 },
    rollout: { n: 8, temperature: 1, maxTokens: 1 },
    trainer: { steps: 30, batchSize: 5, checkpointEvery: 5, generationsEvery: 10, runDir: join(dir, "run") },
    ...overrides
  })

/**
 * The `Verifier` service (core's tag) over the pure `grade` function, and a
 * deterministic test layer for consumers' tests.
 */
import { Grade, type GradeOptions, Verifier } from "@oneshot/core"
import { Effect, Layer } from "effect"
import { grade } from "./Grader.ts"

/** The real verifier. `gradeBatch` grades in order, yielding between items so fibers stay fair. */
export const VerifierLive: Layer.Layer<Verifier> = Layer.succeed(Verifier, {
  grade: (response, gold, options) => Effect.sync(() => grade(response, gold, options)),
  gradeBatch: (items, options) =>
    Effect.forEach(items, (item) => Effect.sync(() => grade(item.response, item.gold, options)), { batching: false })
})

/**
 * A simple deterministic verifier for tests of consumers: correct iff the
 * trimmed response ends with the trimmed gold answer; extracted = the last
 * whitespace-separated token (or `null` for an empty response).
 */
export const testGrade = (response: string, gold: string, options?: GradeOptions): Grade => {
  const mode = options?.mode ?? "strict"
  const tokens = response.trim().split(/\s+/).filter((t) => t.length > 0)
  const extracted = tokens.length === 0 ? null : (tokens[tokens.length - 1] as string)
  const correct = mode === "format" ? extracted !== null : extracted !== null && response.trim().endsWith(gold.trim())
  return new Grade({ correct, extracted, rule: "test", timedOut: false, mode }, true)
}

export const VerifierTest: Layer.Layer<Verifier> = Layer.succeed(Verifier, {
  grade: (response, gold, options) => Effect.sync(() => testGrade(response, gold, options)),
  gradeBatch: (items, options) => Effect.sync(() => items.map((i) => testGrade(i.response, i.gold, options)))
})

/**
 * A small stand-in Verifier for this package's tests: the last `\boxed{}` of
 * the response, compared with the gold after light normalisation (spaces, `$`,
 * `\left`/`\right`, `\!`, a trailing period; numbers numerically). It lets the
 * evaluator's bookkeeping be tested without the real grader.
 */
import { Grade, type GradeOptions, Verifier } from "@oneshot/core"
import { Effect, Layer } from "effect"
import { lastBoxed } from "../../src/Boxed.ts"

const norm = (s: string): string =>
  s
    .replace(/\\left|\\right|\\!|\\,|\$/g, "")
    .replace(/\s+/g, "")
    .replace(/\.$/, "")
    .replace(/^\\text\{(.*)\}$/, "$1")

export const stubGrade = (response: string, gold: string, options?: GradeOptions): Grade => {
  const mode = options?.mode ?? "qwen-eval"
  const extracted = lastBoxed(response)
  if (extracted === null) return new Grade({ correct: false, extracted: null, rule: "no-answer", timedOut: false, mode })
  const a = norm(extracted)
  const b = norm(gold)
  const numeric = a !== "" && b !== "" && !Number.isNaN(Number(a)) && !Number.isNaN(Number(b))
  const correct = numeric ? Math.abs(Number(a) - Number(b)) < 1e-9 : a === b
  return new Grade({
    correct,
    extracted,
    normalizedExtracted: a,
    normalizedGold: b,
    rule: numeric ? "numeric-equal" : "string-equal",
    timedOut: false,
    mode
  })
}

export const StubVerifier = Layer.succeed(Verifier, {
  grade: (response, gold, options) => Effect.sync(() => stubGrade(response, gold, options)),
  gradeBatch: (items, options) => Effect.sync(() => items.map((i) => stubGrade(i.response, i.gold, options)))
})

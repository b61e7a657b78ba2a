/**
 * `grade`: the pure, synchronous, total entry point. Extraction, then
 * normalisation and equivalence under the mode's policy, within a time bound.
 */
import { Grade, type GradeOptions, type VerifierMode } from "@oneshot/core"
import { answersEqual, type Budget, normalizedEqual, Timeout } from "./Equivalence.ts"
import { choiceLetter, extract, extractChoice, extractGold } from "./Extract.ts"
import { policyOf } from "./Mode.ts"
import { normalize } from "./Normalize.ts"
import { warmUp } from "./Numeric.ts"

/** Default time bound per grade, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 100
/** Responses longer than this are graded on their last `MAX_RESPONSE_CHARS` characters. */
export const MAX_RESPONSE_CHARS = 200_000
/** Answers longer than this are compared as strings only. */
export const MAX_ANSWER_CHARS = 2_000

const cpuMs = (): number | undefined => {
  if (typeof process === "undefined" || typeof process.cpuUsage !== "function") return undefined
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/**
 * The time bound. Wall-clock time is checked first (cheap); when it has run out,
 * the process CPU time decides, so that a machine busy with other work (or a GC
 * pause elsewhere) does not turn a correct answer into a timeout.
 */
const budgetOf = (timeoutMs: number): Budget => {
  const start = performance.now()
  const cpuStart = cpuMs()
  return {
    check: () => {
      if (performance.now() - start <= timeoutMs) return
      const cpu = cpuMs()
      if (cpu === undefined || cpuStart === undefined || cpu - cpuStart > timeoutMs) throw new Timeout()
      // Hard wall-clock ceiling: never more than 10× the bound.
      if (performance.now() - start > 10 * timeoutMs) throw new Timeout()
    }
  }
}

const make = (fields: {
  correct: boolean
  extracted: string | null
  rule: string
  mode: VerifierMode
  timedOut?: boolean
  normalizedExtracted?: string
  normalizedGold?: string
}): Grade =>
  new Grade(
    {
      correct: fields.correct,
      extracted: fields.extracted,
      rule: fields.rule,
      timedOut: fields.timedOut ?? false,
      mode: fields.mode,
      ...(fields.normalizedExtracted === undefined ? {} : { normalizedExtracted: fields.normalizedExtracted }),
      ...(fields.normalizedGold === undefined ? {} : { normalizedGold: fields.normalizedGold })
    },
    true
  )

/** Whether two extracted answers are equivalent under `mode` (no extraction; never throws). */
export const isEquivalent = (a: string, b: string, mode: VerifierMode = "strict", timeoutMs = DEFAULT_TIMEOUT_MS): boolean => {
  try {
    warmUp()
    return answersEqual(a.slice(0, MAX_ANSWER_CHARS), b.slice(0, MAX_ANSWER_CHARS), policyOf(mode), budgetOf(timeoutMs)).equal
  } catch {
    return false
  }
}

/**
 * Grades `response` against `gold`. Pure, synchronous, never throws, bounded in
 * time: a grade that runs out of time is `timedOut` and never correct.
 */
export const grade = (response: string, gold: string, options?: GradeOptions): Grade => {
  const mode: VerifierMode = options?.mode ?? "strict"
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const policy = policyOf(mode)
  try {
    warmUp()
  } catch {
    // The CAS is optional: without it, non-rational answers compare as strings.
  }
  const budget = budgetOf(timeoutMs)
  let extracted: string | null = null
  try {
    const text = typeof response === "string" ? response : String(response)
    const goldText = typeof gold === "string" ? gold : String(gold)
    const r = text.length > MAX_RESPONSE_CHARS ? text.slice(-MAX_RESPONSE_CHARS) : text
    const ex = extract(r, policy.extraction)
    extracted = ex?.answer ?? null
    if (mode === "format") return make({ correct: extracted !== null, extracted, rule: extracted === null ? "no-answer" : "has-answer", mode })

    const goldAnswer = extractGold(goldText.slice(0, MAX_RESPONSE_CHARS))
    // Multiple choice: either side a bare letter.
    if (mode === "strict" || mode === "qwen-eval") {
      const gl = choiceLetter(goldAnswer)
      const pl =
        extracted === null
          ? undefined
          : (choiceLetter(extracted) ?? (gl === undefined ? undefined : /^\(?([A-Z])\)?(?![\p{L}\p{N}+\-*/^_])/u.exec(extracted.trim())?.[1]))
      if (gl !== undefined && (pl !== undefined || extracted === null)) {
        const letter = pl ?? (mode === "strict" ? extractChoice(r) : undefined)
        if (letter !== undefined) {
          return make({ correct: letter === gl, extracted: extracted ?? letter, rule: "choice-letter", mode, normalizedExtracted: letter, normalizedGold: gl })
        }
      } else if (pl !== undefined && gl === undefined && mode === "strict") {
        const gLetter = extractChoice(goldText)
        if (gLetter !== undefined && gLetter === pl) {
          return make({ correct: true, extracted, rule: "choice-letter", mode, normalizedExtracted: pl, normalizedGold: gLetter })
        }
      }
    }
    if (extracted === null) return make({ correct: false, extracted, rule: "no-answer", mode })
    budget.check()
    const a = extracted.slice(0, MAX_ANSWER_CHARS)
    const g = goldAnswer.slice(0, MAX_ANSWER_CHARS)
    const normalizedExtracted = normalize(a)
    const normalizedGold = normalize(g)
    const verdict = normalizedEqual(normalizedExtracted, normalizedGold, policy, budget)
    return make({ correct: verdict.equal, extracted, rule: verdict.rule, mode, normalizedExtracted, normalizedGold })
  } catch (e) {
    if (e instanceof Timeout) return make({ correct: false, extracted, rule: "timeout", timedOut: true, mode })
    return make({ correct: false, extracted, rule: "internal-error", mode })
  }
}

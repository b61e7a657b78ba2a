/**
 * Solution styles (base model v2, issue 15): a latent, shared skill that cuts
 * across every category. A document of the v2 corpus is written in one of
 * three styles, drawn from its own stream — independent of the category and
 * the problem by construction:
 *
 * - `careful`: every intermediate result written out (the worked solution),
 *   so a small model executes it step by step;
 * - `terse`: the answer line alone; the model must compute the answer in one
 *   leap, which a small model often gets wrong;
 * - `selfcheck`: a first pass (slips more often), then `Recheck: ` and the
 *   last steps re-derived, ending with the re-derived answer.
 *
 * Terse is the most frequent style, so greedy decoding often goes terse; the
 * careful styles stay frequent enough that sampling finds them and RL can
 * up-weight them. The classifier reads a style back from a response's surface
 * markers, so the measurement needs no access to the corpus.
 */
import { Schema } from "effect"
import { REFLECTION_WORDS } from "./Calc.ts"
import { Rng } from "./Rng.ts"
import { ANSWER_LEAD } from "./Template.ts"

export const STYLES = ["careful", "terse", "selfcheck"] as const
export type Style = (typeof STYLES)[number]

const Weight = Schema.Number.pipe(Schema.nonNegative())

/** Relative weights of the styles (normalised) and the first-pass slip rate of self-checking documents. */
export const StyleRates = Schema.Struct({
  careful: Weight,
  terse: Weight,
  selfcheck: Weight,
  /** Probability that the first pass of a self-checking solution slips (the recheck then corrects it). */
  selfcheckSlip: Schema.Number.pipe(Schema.between(0, 1)),
  /**
   * An opening shared by every worked (careful or self-checking) solution,
   * e.g. `Steps:`, so that the style is decided by one first token in every
   * category instead of by a category-specific opening split over several
   * tokens (which T < 1 sampling sharpens towards the single terse opening).
   * Absent: no opening, the stream is the one without this field.
   */
  lead: Schema.optional(Schema.String.pipe(Schema.minLength(1)))
})
export type StyleRates = typeof StyleRates.Type

/** The lead-in of a self-check's re-derivation. */
export const RECHECK_LEAD = "Recheck:"

/** Probability of each style under `rates` (the weights normalised). */
export const styleProbabilities = (rates: StyleRates): Record<Style, number> => {
  const total = rates.careful + rates.terse + rates.selfcheck
  if (!(total > 0)) throw new RangeError(`style weights must not all be 0: got ${JSON.stringify(rates)}`)
  return { careful: rates.careful / total, terse: rates.terse / total, selfcheck: rates.selfcheck / total }
}

/**
 * The style of corpus document `index`: a stream of its own (`style/<index>`),
 * never the problem's, so the style mix is the same in every category.
 */
export const drawStyle = (seed: number, index: number, rates: StyleRates): Style => {
  const p = styleProbabilities(rates)
  const u = Rng.derive(seed, `style/${index}`).next()
  if (u < p.terse) return "terse"
  if (u < p.terse + p.careful) return "careful"
  return "selfcheck"
}

const REFLECTION_RE = new RegExp(REFLECTION_WORDS.join("|"), "i")

/**
 * The style of a response from its surface: a reflection word (`recheck`,
 * `rethink`, `recalculate`) makes it self-checking; otherwise anything written
 * before the first answer line (a worked step, even one cut short) makes it
 * careful; a response that starts with the answer line (or is empty) is terse.
 */
export const classifyStyle = (response: string): Style => {
  if (REFLECTION_RE.test(response)) return "selfcheck"
  const lead = response.indexOf(ANSWER_LEAD)
  const work = lead < 0 ? response : response.slice(0, lead)
  return work.trim() === "" ? "terse" : "careful"
}

/**
 * The last steps of a solution whose rendered length (joined by spaces) fits
 * in `budget` characters; always at least the last step, so a recheck always
 * re-derives the result.
 */
export const recheckTail = (steps: ReadonlyArray<string>, budget: number): ReadonlyArray<string> => {
  const out: Array<string> = []
  let used = 0
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!
    const cost = s.length + (out.length > 0 ? 1 : 0)
    if (out.length > 0 && used + cost > budget) break
    out.unshift(s)
    used += cost
  }
  return out
}

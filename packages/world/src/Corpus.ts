/**
 * The pretraining corpus: an endless, random-access, seeded stream of worked
 * solutions with realistic flaws, so that the base model has latent skill but
 * unreliable output (the regime the paper's Qwen2.5-Math-1.5B is in):
 *
 * - unboxed answers (`The answer is 85.`), at a rate that depends on the
 *   category, so greedy decoding boxes some categories and not others;
 * - early stops (the solution ends mid-way, with no answer line);
 * - arithmetic slips that propagate to the final answer;
 * - slips caught by a reflection word (`recheck|rethink|recalculate`);
 * - run-on repetition of the answer line.
 *
 * Documents whose problem is in a test split are skipped (no contamination).
 */
import { Schema } from "effect"
import type { FlawPlan } from "./Calc.ts"
import { draftProblem } from "./Generator.ts"
import { drawAdmissible } from "./CorpusDraw.ts"
import { Rng } from "./Rng.ts"
import { type Style, StyleRates } from "./Style.ts"
import { styledDocument } from "./StyledCorpus.ts"
import { boxedLine, formatPrompt, unboxedLine } from "./Template.ts"

export const FlawRates = Schema.Struct({
  /** Probability per category that the answer line is boxed (else `The answer is X.`). */
  boxRate: Schema.Record({ key: Schema.String, value: Schema.Number.pipe(Schema.between(0, 1)) }),
  /** Probability that a solution stops early (no answer line). */
  earlyStop: Schema.Number.pipe(Schema.between(0, 1)),
  /** Probability that one elementary step slips. */
  slip: Schema.Number.pipe(Schema.between(0, 1)),
  /** Probability that a slip is caught with a reflection word and corrected. */
  reflectGivenSlip: Schema.Number.pipe(Schema.between(0, 1)),
  /** Probability that the answer line is repeated (run-on) 1–3 more times. */
  repeat: Schema.Number.pipe(Schema.between(0, 1)),
  /**
   * Probability that a document is a fact drill (`Q: Recall some facts.`):
   * eight one-digit facts and small carries/borrows, the steps every worked
   * solution is made of. Absent or 0: no drills, and the document stream is
   * exactly the one without this field.
   */
  drill: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /**
   * Solution styles (careful / terse / self-checking, `Style.ts`), drawn per
   * document independently of the category (base model v2). Absent: every
   * worked solution is written as before, and the document stream is exactly
   * the one without this field.
   */
  styles: Schema.optional(StyleRates)
})
export type FlawRates = typeof FlawRates.Type


/** The prompt of a fact-drill document. */
export const DRILL_PROBLEM = "Recall some facts."

/** One elementary fact, as worked solutions write it (`7*8=56`, `3-8=-5`, `42/6=7`, `35+4=39`). */
export const drillFact = (rng: Rng): string => {
  const u = rng.next()
  if (u < 0.3) {
    const a = rng.int(0, 9)
    const b = rng.int(0, 9)
    return `${a}+${b}=${a + b}`
  }
  if (u < 0.5) {
    const a = rng.int(0, 18)
    const b = rng.int(0, 9)
    return `${a}-${b}=${a - b}`
  }
  if (u < 0.7) {
    const a = rng.int(0, 9)
    const b = rng.int(0, 9)
    return `${a}*${b}=${a * b}`
  }
  if (u < 0.8) {
    const b = rng.int(1, 9)
    const q = rng.int(0, 9)
    return `${b * q}/${b}=${q}`
  }
  const a = rng.int(10, 99)
  const b = rng.int(1, 9)
  return rng.chance(0.5) ? `${a}+${b}=${a + b}` : `${a}-${b}=${a - b}`
}

/**
 * The rates of the `base` preset. A quarter of the documents are fact drills
 * (a first base model, pretrained without them, wrote the right procedure
 * with wrong one-digit facts: 5% accuracy). Boxing is category-dependent —
 * mostly in the categories with short steps, rarely in the others — so greedy
 * decoding boxes about half of the answers, as the paper's base model does.
 */
export const BASE_FLAW_RATES: FlawRates = {
  boxRate: {
    arithmetic: 0.7,
    fractions: 0.8,
    linear: 0.7,
    numtheory: 0.75,
    counting: 0.35,
    sequences: 0.3,
    geometry: 0.35
  },
  earlyStop: 0.06,
  slip: 0.08,
  reflectGivenSlip: 0.5,
  repeat: 0.08,
  drill: 0.25
}

/**
 * The rates of base model v2 (issue 15): the base rates plus solution styles.
 * Terse is the most frequent style (half the worked solutions), so greedy
 * decoding often jumps to the answer; careful solutions (36%) are frequent
 * enough that sampling at T = 0.6 finds them; self-checking is rare (14%),
 * and its first pass slips at 0.3 before the recheck corrects it.
 */
export const V2_FLAW_RATES: FlawRates = {
  ...BASE_FLAW_RATES,
  styles: { careful: 0.36, terse: 0.5, selfcheck: 0.14, selfcheckSlip: 0.3 }
}

/**
 * `V2_FLAW_RATES` with every worked solution opening with `Steps:` (a
 * candidate fix for the pilot's excess of terse samples, `README.md`).
 */
export const V2_LEAD_FLAW_RATES: FlawRates = {
  ...V2_FLAW_RATES,
  styles: { careful: 0.36, terse: 0.5, selfcheck: 0.14, selfcheckSlip: 0.3, lead: "Steps:" }
}

/**
 * Mostly-careful v2 rates (careful 0.60 / terse 0.25 / self-check 0.15, every
 * worked solution opening with `Steps:`): one first token (`S` vs the terse
 * `T`) decides the style in every category, with the worked styles the clear
 * majority so that greedy decoding works the problem (greedy accuracy near the
 * base model's), while T = 0.6 sampling still writes terse answers often
 * enough (≈14% of samples if the model learns 0.25) for careful vs terse to be
 * measured and for RL to have a style to move away from.
 */
export const V2_CAREFUL_FLAW_RATES: FlawRates = {
  ...BASE_FLAW_RATES,
  styles: { careful: 0.6, terse: 0.25, selfcheck: 0.15, selfcheckSlip: 0.3, lead: "Steps:" }
}

export interface CorpusDocument {
  /** `Q: …\nA: …`, without BOS/EOS (the tokenizer adds them). */
  readonly text: string
  /** Length of the prompt part (`Q: …\nA: `): the loss is over the rest. */
  readonly promptLength: number
  readonly category: string
  readonly level: number
  readonly boxed: boolean
  readonly earlyStop: boolean
  readonly slipped: boolean
  readonly reflected: boolean
  readonly repeated: boolean
  /** The final answer written in the document, null when it stops early. */
  readonly answer: string | null
  /** The correct answer. */
  readonly gold: string
  /** The solution style; present only when the rates have `styles`. */
  readonly style?: Style
}

/**
 * Document `index` of the corpus with `seed`. Random access: each document
 * has its own derived stream, so a run can resume at any index.
 */
export const corpusDocument = (
  seed: number,
  index: number,
  rates: FlawRates = BASE_FLAW_RATES,
  exclude: ReadonlySet<string> = new Set()
): CorpusDocument => {
  const drill = rates.drill ?? 0
  if (drill > 0 && Rng.derive(seed, `drill/${index}`).chance(drill)) {
    const rng = Rng.derive(seed, `drill-facts/${index}`)
    const prompt = formatPrompt(DRILL_PROBLEM)
    const facts = Array.from({ length: 8 }, () => drillFact(rng))
    return {
      text: prompt + facts.join(". ") + ".",
      promptLength: prompt.length,
      category: "drill",
      level: 1,
      boxed: false,
      earlyStop: false,
      slipped: false,
      reflected: false,
      repeated: false,
      answer: null,
      gold: ""
    }
  }
  if (rates.styles !== undefined) return styledDocument(seed, index, rates, rates.styles, exclude)
  const { rng, flawRng, category, level, clean } = drawAdmissible(seed, index, exclude)
  const slip = flawRng.chance(rates.slip)
  const drafted = slip
    ? draftProblem(rng, category, level, (ops): { plan: FlawPlan; rng: Rng } => ({
        plan: { slipAt: flawRng.int(0, Math.max(0, ops - 1)), reflect: flawRng.chance(rates.reflectGivenSlip) },
        rng: flawRng
      }))
    : clean
  const { draft } = drafted
  const prompt = formatPrompt(draft.prompt)
  const earlyStop = flawRng.chance(rates.earlyStop)
  let body: string
  let boxed = false
  let repeated = false
  if (earlyStop) {
    const keep = draft.steps.length <= 1 ? 0 : flawRng.int(1, draft.steps.length - 1)
    body = draft.steps.slice(0, Math.max(1, keep)).join(" ")
    if (draft.steps.length <= 1) body = draft.steps[0]?.replace(/=[^=]*$/, "=") ?? ""
  } else {
    boxed = flawRng.chance(rates.boxRate[category.name] ?? 0.5)
    const line = boxed ? boxedLine(draft.answer) : unboxedLine(draft.answer)
    const parts = [...draft.steps, line]
    repeated = flawRng.chance(rates.repeat)
    if (repeated) {
      const n = flawRng.int(1, 3)
      for (let i = 0; i < n; i++) parts.push(line)
    }
    body = parts.join(" ")
  }
  return {
    text: prompt + body,
    promptLength: prompt.length,
    category: category.name,
    level,
    boxed,
    earlyStop,
    slipped: drafted.slipped,
    reflected: drafted.reflected,
    repeated,
    answer: earlyStop ? null : draft.answer,
    gold: clean.draft.answer
  }
}

export interface CorpusStats {
  readonly documents: number
  readonly meanChars: number
  readonly maxChars: number
  readonly boxed: number
  readonly earlyStop: number
  readonly slipped: number
  readonly reflected: number
  readonly repeated: number
  /** Fraction whose written final answer equals the correct answer. */
  readonly correct: number
  readonly reflectionWordsPerDoc: number
}

const REFLECTION_RE = /recheck|rethink|recalculate/gi

/** Flaw and correctness rates over the first `n` documents. */
export const corpusStats = (
  seed: number,
  n: number,
  rates: FlawRates = BASE_FLAW_RATES,
  exclude: ReadonlySet<string> = new Set()
): CorpusStats => {
  let chars = 0
  let maxChars = 0
  let boxed = 0
  let early = 0
  let slipped = 0
  let reflected = 0
  let repeated = 0
  let correct = 0
  let words = 0
  for (let i = 0; i < n; i++) {
    const d = corpusDocument(seed, i, rates, exclude)
    chars += d.text.length
    maxChars = Math.max(maxChars, d.text.length)
    if (d.boxed) boxed++
    if (d.earlyStop) early++
    if (d.slipped) slipped++
    if (d.reflected) reflected++
    if (d.repeated) repeated++
    if (d.answer === d.gold) correct++
    words += d.text.match(REFLECTION_RE)?.length ?? 0
  }
  const f = (x: number) => x / Math.max(1, n)
  return {
    documents: n,
    meanChars: f(chars),
    maxChars,
    boxed: f(boxed),
    earlyStop: f(early),
    slipped: f(slipped),
    reflected: f(reflected),
    repeated: f(repeated),
    correct: f(correct),
    reflectionWordsPerDoc: f(words)
  }
}

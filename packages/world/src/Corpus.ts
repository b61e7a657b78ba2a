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
import { CATEGORIES, draftProblem, LEVELS } from "./Generator.ts"
import { Rng } from "./Rng.ts"
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
  repeat: Schema.Number.pipe(Schema.between(0, 1))
})
export type FlawRates = typeof FlawRates.Type

/**
 * The rates of the `base` preset. Boxing is category-dependent (some
 * categories mostly box, others mostly do not), so greedy decoding boxes
 * roughly half of the answers, as the paper's base model does.
 */
export const BASE_FLAW_RATES: FlawRates = {
  boxRate: {
    arithmetic: 0.8,
    fractions: 0.3,
    linear: 0.75,
    numtheory: 0.35,
    counting: 0.7,
    sequences: 0.3,
    geometry: 0.65
  },
  earlyStop: 0.06,
  slip: 0.15,
  reflectGivenSlip: 0.5,
  repeat: 0.08
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
  for (let attempt = 0; ; attempt++) {
    const rng = Rng.derive(seed, `doc/${index}/${attempt}`)
    const category = rng.pick(CATEGORIES)
    const level = rng.pick(LEVELS)
    const flawRng = Rng.derive(seed, `flaw/${index}/${attempt}`)
    const clean = draftProblem(rng.clone(), category, level)
    if (exclude.has(clean.draft.prompt)) {
      if (attempt > 1000) throw new RangeError(`corpus: no admissible document for index ${index}`)
      continue
    }
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

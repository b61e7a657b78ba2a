/**
 * Worked-solution documents of the v2 corpus, written in a solution style
 * (`Style.ts`) on top of the format flaws of the base corpus. The problem is
 * drawn exactly as in the base corpus (same streams), the style from a stream
 * of its own, so every category gets the same style mix.
 *
 * - careful: the base corpus's document (slips, reflection, early stops);
 * - terse: the answer line alone (the answer right, computed in one leap);
 * - selfcheck: a first pass that slips at `selfcheckSlip`, `Recheck:` and the
 *   clean last steps, then the clean answer.
 *
 * Boxing and run-on repetition apply to every style; no document exceeds
 * `MAX_STYLED_CHARS` (the model's context is 320 tokens).
 */
import type { FlawPlan } from "./Calc.ts"
import type { CorpusDocument, FlawRates } from "./Corpus.ts"
import { draftProblem, type Drafted } from "./Generator.ts"
import { drawAdmissible } from "./CorpusDraw.ts"
import type { Rng } from "./Rng.ts"
import { drawStyle, RECHECK_LEAD, recheckTail, type StyleRates } from "./Style.ts"
import { boxedLine, formatPrompt, unboxedLine } from "./Template.ts"

/** Longest styled document (prompt + completion), below the 320-token context with BOS/EOS to spare. */
export const MAX_STYLED_CHARS = 300

const slipped = (rng: Rng, flawRng: Rng, draft: (r: Rng, plan?: (ops: number) => { plan: FlawPlan; rng: Rng }) => Drafted, reflect: number): Drafted =>
  draft(rng, (ops) => ({
    plan: { slipAt: flawRng.int(0, Math.max(0, ops - 1)), reflect: flawRng.chance(reflect) },
    rng: flawRng
  }))

export const styledDocument = (
  seed: number,
  index: number,
  rates: FlawRates,
  styles: StyleRates,
  exclude: ReadonlySet<string>
): CorpusDocument => {
  const style = drawStyle(seed, index, styles)
  const { rng, flawRng, category, level, clean } = drawAdmissible(seed, index, exclude)
  const draft = (r: Rng, plan?: (ops: number) => { plan: FlawPlan; rng: Rng }) => draftProblem(r, category, level, plan)
  const prompt = formatPrompt(clean.draft.prompt)
  const base = {
    promptLength: prompt.length,
    category: category.name,
    level,
    gold: clean.draft.answer,
    style
  }
  // What precedes the answer line, and the answer it leads to (null: early stop).
  let work: ReadonlyArray<string>
  let answer: string | null
  let slip = false
  let reflected = false
  const lead = styles.lead === undefined ? [] : [styles.lead]
  if (style === "terse") {
    work = []
    answer = clean.draft.answer
  } else if (style === "careful") {
    const d = flawRng.chance(rates.slip) ? slipped(rng, flawRng, draft, rates.reflectGivenSlip) : clean
    slip = d.slipped
    reflected = d.reflected
    const steps = d.draft.steps
    if (flawRng.chance(rates.earlyStop)) {
      const keep = steps.length <= 1 ? 0 : flawRng.int(1, steps.length - 1)
      const cut = steps.length <= 1 ? [steps[0]?.replace(/=[^=]*$/, "=") ?? ""] : steps.slice(0, Math.max(1, keep))
      const body = [...lead, ...cut].join(" ")
      return { ...base, text: prompt + body, boxed: false, earlyStop: true, slipped: slip, reflected, repeated: false, answer: null }
    }
    work = [...lead, ...steps]
    answer = d.draft.answer
  } else {
    const first = flawRng.chance(styles.selfcheckSlip) ? slipped(rng, flawRng, draft, 0) : clean
    slip = first.slipped
    reflected = first.slipped
    const line = boxedLine(clean.draft.answer)
    const head = [...lead, ...first.draft.steps, RECHECK_LEAD]
    const used = prompt.length + head.join(" ").length + 1 + line.length + 1
    work = [...head, ...recheckTail(clean.draft.steps, MAX_STYLED_CHARS - used)]
    answer = clean.draft.answer
  }
  const boxed = flawRng.chance(rates.boxRate[category.name] ?? 0.5)
  const line = boxed ? boxedLine(answer) : unboxedLine(answer)
  const parts = [...work, line]
  const repeated = flawRng.chance(rates.repeat)
  if (repeated) {
    const n = flawRng.int(1, 3)
    for (let i = 0; i < n && prompt.length + parts.join(" ").length + 1 + line.length <= MAX_STYLED_CHARS; i++) parts.push(line)
  }
  return { ...base, text: prompt + parts.join(" "), boxed, earlyStop: false, slipped: slip, reflected, repeated, answer }
}

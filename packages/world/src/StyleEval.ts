/**
 * Measuring base model v2's latent skill (issue 15): greedy accuracy and boxed
 * ratio, and at T = 0.6 with k samples per problem, pass@k against mean@k per
 * category, the style of every response (careful / terse / self-check, read
 * from its surface by `classifyStyle`), accuracy per style and the style mix
 * per category. `checkTargets` compares a report with the model card's targets.
 *
 * The summaries are pure functions of graded records, so they are tested
 * without a model; `measureStyles` only samples and grades.
 */
import { GenerateOptions, type Problem, type TextGenerator, Verifier } from "@oneshot/core"
import { Effect } from "effect"
import { classifyStyle, type Style, STYLES } from "./Style.ts"
import { formatPrompt } from "./Template.ts"

/** One graded response. */
export interface ScoredResponse {
  readonly style: Style
  readonly correct: boolean
  readonly boxed: boolean
}

/** One problem: its category, the greedy response and the k sampled ones. */
export interface ProblemRecord {
  readonly id: string
  readonly category: string
  readonly greedy: ScoredResponse
  readonly samples: ReadonlyArray<ScoredResponse>
}

export type StyleMix = Readonly<Record<Style, number>>

export interface CategorySummary {
  readonly n: number
  readonly greedyAccuracy: number
  readonly meanAtK: number
  readonly passAtK: number
  /** Style shares of the sampled responses. */
  readonly styleMix: StyleMix
}

export interface StyleSummary {
  /** Sampled responses of this style. */
  readonly n: number
  readonly accuracy: number
}

export interface StyleReport {
  readonly problems: number
  readonly k: number
  readonly greedyAccuracy: number
  readonly greedyBoxed: number
  readonly greedyStyleMix: StyleMix
  readonly meanAtK: number
  readonly passAtK: number
  readonly sampledStyleMix: StyleMix
  readonly byCategory: Readonly<Record<string, CategorySummary>>
  readonly byStyle: Readonly<Record<Style, StyleSummary>>
}

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
const bit = (b: boolean): number => (b ? 1 : 0)

/** Shares of each style among `responses` (all 0 when there are none). */
export const styleMix = (responses: ReadonlyArray<ScoredResponse>): StyleMix => {
  const out: Record<Style, number> = { careful: 0, terse: 0, selfcheck: 0 }
  for (const r of responses) out[r.style] += 1 / responses.length
  return out
}

/** pass@k with exactly k samples: the share of problems with at least one correct sample. */
export const passAtK = (records: ReadonlyArray<ProblemRecord>): number => mean(records.map((r) => bit(r.samples.some((s) => s.correct))))

/** mean@k: the mean share of correct samples per problem. */
export const meanAtK = (records: ReadonlyArray<ProblemRecord>): number => mean(records.map((r) => mean(r.samples.map((s) => bit(s.correct)))))

export const summarizeStyles = (records: ReadonlyArray<ProblemRecord>): StyleReport => {
  const sampled = records.flatMap((r) => r.samples)
  const categories = [...new Set(records.map((r) => r.category))].sort()
  const byCategory = Object.fromEntries(
    categories.map((c) => {
      const rs = records.filter((r) => r.category === c)
      return [
        c,
        {
          n: rs.length,
          greedyAccuracy: mean(rs.map((r) => bit(r.greedy.correct))),
          meanAtK: meanAtK(rs),
          passAtK: passAtK(rs),
          styleMix: styleMix(rs.flatMap((r) => r.samples))
        }
      ] as const
    })
  )
  const byStyle = Object.fromEntries(
    STYLES.map((s) => {
      const rs = sampled.filter((x) => x.style === s)
      return [s, { n: rs.length, accuracy: mean(rs.map((x) => bit(x.correct))) }] as const
    })
  ) as Record<Style, StyleSummary>
  return {
    problems: records.length,
    k: records.length === 0 ? 0 : Math.min(...records.map((r) => r.samples.length)),
    greedyAccuracy: mean(records.map((r) => bit(r.greedy.correct))),
    greedyBoxed: mean(records.map((r) => bit(r.greedy.boxed))),
    greedyStyleMix: styleMix(records.map((r) => r.greedy)),
    meanAtK: meanAtK(records),
    passAtK: passAtK(records),
    sampledStyleMix: styleMix(sampled),
    byCategory,
    byStyle
  }
}

export interface TargetCheck {
  readonly target: string
  readonly measured: string
  readonly met: boolean
}

/**
 * The issue's targets. "The style mix is the same in every category" is read
 * as: every category's share of every style within `STYLE_MIX_TOLERANCE` of
 * the overall share (a design bound fixed before any measurement).
 */
export const STYLE_MIX_TOLERANCE = 0.1

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

export const checkTargets = (r: StyleReport): ReadonlyArray<TargetCheck> => {
  const cats = Object.entries(r.byCategory)
  const ratioOk = cats.filter(([, c]) => c.meanAtK > 0 && c.passAtK >= 1.5 * c.meanAtK)
  const careful = r.byStyle.careful.accuracy
  const terse = r.byStyle.terse.accuracy
  const spread = Math.max(0, ...cats.flatMap(([, c]) => STYLES.map((s) => Math.abs(c.styleMix[s] - r.sampledStyleMix[s]))))
  return [
    { target: "greedy accuracy 20–40%", measured: pct(r.greedyAccuracy), met: r.greedyAccuracy >= 0.2 && r.greedyAccuracy <= 0.4 },
    { target: "greedy boxed ratio 50–70%", measured: pct(r.greedyBoxed), met: r.greedyBoxed >= 0.5 && r.greedyBoxed <= 0.7 },
    {
      target: `pass@${r.k} ≥ 1.5 × mean@${r.k} in ≥ 5 of 7 categories`,
      measured: `${ratioOk.length} of ${cats.length}`,
      met: ratioOk.length >= 5
    },
    {
      target: "careful ≥ 2 × as accurate as terse (sampled)",
      measured: `${pct(careful)} vs ${pct(terse)} (n ${r.byStyle.careful.n} / ${r.byStyle.terse.n})`,
      met: r.byStyle.careful.n > 0 && r.byStyle.terse.n > 0 && careful >= 2 * terse
    },
    {
      target: `style mix the same in every category (each share within ${pct(STYLE_MIX_TOLERANCE)} of the overall)`,
      measured: `largest deviation ${pct(spread)}`,
      met: cats.length > 0 && spread <= STYLE_MIX_TOLERANCE
    }
  ]
}

const mixText = (m: StyleMix): string => STYLES.map((s) => `${s} ${pct(m[s])}`).join(", ")

export const formatStyleReport = (r: StyleReport): string => {
  const lines = [
    `${r.problems} problems; greedy: accuracy ${pct(r.greedyAccuracy)}, boxed ${pct(r.greedyBoxed)}, styles ${mixText(r.greedyStyleMix)}`,
    `T-sampled, k=${r.k}: mean@k ${pct(r.meanAtK)}, pass@k ${pct(r.passAtK)}, styles ${mixText(r.sampledStyleMix)}`,
    `accuracy per style (sampled): ${STYLES.map((s) => `${s} ${pct(r.byStyle[s].accuracy)} (n ${r.byStyle[s].n})`).join(", ")}`,
    "",
    `${"category".padEnd(12)}${"n".padStart(5)}${"greedy".padStart(8)}${"mean@k".padStart(8)}${"pass@k".padStart(8)}${"ratio".padStart(7)}  careful  terse  selfcheck`
  ]
  for (const [c, s] of Object.entries(r.byCategory)) {
    const ratio = s.meanAtK > 0 ? (s.passAtK / s.meanAtK).toFixed(2) : "—"
    lines.push(
      `${c.padEnd(12)}${String(s.n).padStart(5)}${pct(s.greedyAccuracy).padStart(8)}${pct(s.meanAtK).padStart(8)}${pct(s.passAtK).padStart(8)}${ratio.padStart(7)}  ${pct(s.styleMix.careful).padStart(7)} ${pct(s.styleMix.terse).padStart(6)} ${pct(s.styleMix.selfcheck).padStart(9)}`
    )
  }
  lines.push("", "targets:")
  for (const t of checkTargets(r)) lines.push(`  ${t.met ? "met    " : "not met"}  ${t.target}: ${t.measured}`)
  return lines.join("\n")
}

/** The first `perCell` problems of every subject × level cell, in input order (all when undefined). */
export const perCellSubset = (problems: ReadonlyArray<Problem>, perCell: number | undefined): ReadonlyArray<Problem> => {
  if (perCell === undefined) return problems
  const seen = new Map<string, number>()
  return problems.filter((p) => {
    const key = `${p.subject ?? ""}/${p.level ?? 0}`
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    return n < perCell
  })
}

export interface MeasureOptions {
  readonly k: number
  readonly temperature: number
  readonly maxTokens: number
  readonly seed: number
  /** Prompts per generator call. */
  readonly chunk: number
}

export const MEASURE_DEFAULTS: MeasureOptions = { k: 8, temperature: 0.6, maxTokens: 240, seed: 1, chunk: 50 }

/** Samples greedy and k-at-temperature responses for every problem and grades them (deepscaler: boxed answers only). */
export const measureStyles = <E, R>(
  generator: TextGenerator<E, R>,
  problems: ReadonlyArray<Problem>,
  options: MeasureOptions = MEASURE_DEFAULTS
): Effect.Effect<ReadonlyArray<ProblemRecord>, E, R | Verifier> =>
  Effect.gen(function* () {
    const verifier = yield* Verifier
    const score = (p: Problem, texts: ReadonlyArray<string>) =>
      verifier
        .gradeBatch(texts.map((response) => ({ response, gold: p.answer })), { mode: "deepscaler" })
        .pipe(Effect.map((gs) => gs.map((g, i): ScoredResponse => ({ style: classifyStyle(texts[i]!), correct: g.correct, boxed: texts[i]!.includes("\\boxed{") }))))
    const records: Array<ProblemRecord> = []
    for (let i = 0; i < problems.length; i += options.chunk) {
      const part = problems.slice(i, i + options.chunk)
      const prompts = part.map((p) => formatPrompt(p.prompt))
      const greedy = yield* generator(prompts, GenerateOptions.make({ n: 1, temperature: 0, maxTokens: options.maxTokens }))
      const sampled = yield* generator(
        prompts,
        GenerateOptions.make({ n: options.k, temperature: options.temperature, maxTokens: options.maxTokens, seed: options.seed + i })
      )
      for (let j = 0; j < part.length; j++) {
        const p = part[j]!
        const [g] = yield* score(p, (greedy[j] ?? []).map((s) => s.text))
        const samples = yield* score(p, (sampled[j] ?? []).map((s) => s.text))
        if (g === undefined) continue
        records.push({ id: p.id, category: p.subject ?? "?", greedy: g, samples })
      }
    }
    return records
  })

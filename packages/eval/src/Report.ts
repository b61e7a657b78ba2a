/**
 * Per-problem results and the aggregate summary of one benchmark under one
 * protocol. `summarize` is pure: the same graded responses give the same
 * report whether they came from a Policy or from a generations file.
 */
import { EvalSummary, type FinishReason, type Grade, type Problem } from "@oneshot/core"
import { Schema } from "effect"
import {
  avgAtK,
  countCorrect,
  groupAccuracy,
  hasBoxed,
  majAtK,
  mean,
  passAtK,
  reflectionWordCount,
  SIX_BENCHMARKS,
  sixBenchmarkAverage
} from "./Metrics.ts"
import type { Settings } from "./Protocol.ts"

/** One response before grading: its text and what the sampler knows about it. */
export interface ResponseRecord {
  readonly text: string
  /** Length in tokens, when known. */
  readonly tokens?: number | undefined
  /** Why sampling stopped, when known (`length` = truncated at max tokens). */
  readonly finishReason?: FinishReason | undefined
  /** A verdict recorded with the response by another grader (e.g. `score` in Qwen2.5-Math's `math_eval.py` output). */
  readonly recordedCorrect?: boolean | undefined
}

export const SampleResult = Schema.Struct({
  response: Schema.String,
  /** The answer the Verifier extracted, null when there is none. */
  extracted: Schema.NullOr(Schema.String),
  correct: Schema.Boolean,
  /** The Verifier's deciding rule. */
  rule: Schema.String,
  /** Tokens when known, else characters (see the summary's `lengthUnit`). */
  length: Schema.Number,
  truncated: Schema.optional(Schema.Boolean),
  boxed: Schema.Boolean,
  /** Occurrences of rethink | recheck | recalculate. */
  reflections: Schema.Int,
  /** The verdict recorded in the generations file, when it had one. */
  recordedCorrect: Schema.optional(Schema.Boolean)
})
export type SampleResult = typeof SampleResult.Type

export const ProblemResult = Schema.Struct({
  id: Schema.String,
  gold: Schema.String,
  subject: Schema.optional(Schema.String),
  level: Schema.optional(Schema.Number),
  /** avg@k of this problem: the fraction of its samples that are correct. */
  score: Schema.Number,
  correct: Schema.Int,
  samples: Schema.Array(SampleResult),
  passAtK: Schema.Record({ key: Schema.String, value: Schema.Number }),
  majAtK: Schema.Record({ key: Schema.String, value: Schema.Number })
})
export type ProblemResult = typeof ProblemResult.Type

export const SettingsSchema = Schema.Struct({
  temperature: Schema.Number,
  topP: Schema.Number,
  n: Schema.Int,
  maxTokens: Schema.Int,
  seed: Schema.optional(Schema.Int),
  verifierMode: Schema.String,
  metric: Schema.String
})

/** How this grader's verdicts compare with verdicts recorded in the generations file (cf. the paper's Table 15). */
export const Agreement = Schema.Struct({
  /** avg@k by the recorded verdicts. */
  recordedAccuracy: Schema.Number,
  /** Responses on which the two verdicts differ. */
  disagreements: Schema.Int,
  disagreementRate: Schema.Number,
  /** Recorded correct, graded wrong here. */
  recordedOnly: Schema.Int,
  /** Graded correct here, recorded wrong. */
  oursOnly: Schema.Int
})
export type Agreement = typeof Agreement.Type

export class EvalReport extends Schema.Class<EvalReport>("EvalReport")({
  summary: EvalSummary,
  /** Present when every response came with a recorded verdict. */
  agreement: Schema.optional(Agreement),
  settings: SettingsSchema,
  /** Where the responses came from: `policy` or the generations file path. */
  origin: Schema.String,
  problems: Schema.Array(ProblemResult)
}) {}

/** Builds the report of one benchmark from its problems, their responses and the responses' grades (same shape). */
export const summarize = (args: {
  readonly benchmark: string
  readonly protocol: string
  readonly settings: Settings
  readonly origin: string
  readonly problems: ReadonlyArray<Problem>
  readonly responses: ReadonlyArray<ReadonlyArray<ResponseRecord>>
  readonly grades: ReadonlyArray<ReadonlyArray<Grade>>
}): EvalReport => {
  const { grades, problems, responses, settings } = args
  const all = responses.flat()
  const lengthUnit: "tokens" | "chars" = all.length > 0 && all.every((r) => r.tokens !== undefined) ? "tokens" : "chars"
  const truncKnown = all.length > 0 && all.every((r) => r.finishReason !== undefined)
  const samplesPerProblem = responses.length === 0 ? 0 : Math.min(...responses.map((rs) => rs.length))
  // The protocol's k values, plus the number of samples actually present (a file may hold more than the protocol's n).
  const ks = [...new Set([...settings.ks, samplesPerProblem])].filter((k) => k >= 1 && k <= samplesPerProblem).sort((a, b) => a - b)

  const results: Array<ProblemResult> = problems.map((p, i) => {
    const rs = responses[i]!
    const gs = grades[i]!
    const samples: Array<SampleResult> = rs.map((r, j) => {
      const g = gs[j]!
      return {
        response: r.text,
        extracted: g.extracted,
        correct: g.correct,
        rule: g.rule,
        length: lengthUnit === "tokens" ? r.tokens! : r.text.length,
        ...(truncKnown ? { truncated: r.finishReason === "length" } : {}),
        boxed: hasBoxed(r.text),
        reflections: reflectionWordCount(r.text),
        ...(r.recordedCorrect === undefined ? {} : { recordedCorrect: r.recordedCorrect })
      }
    })
    const correct = samples.map((s) => s.correct)
    const votes = gs.map((g) => ({ key: g.extracted === null ? null : (g.normalizedExtracted ?? g.extracted), correct: g.correct }))
    const c = countCorrect(correct)
    const pass: Record<string, number> = {}
    const maj: Record<string, number> = {}
    for (const k of ks) {
      pass[String(k)] = passAtK(correct.length, c, k)
      maj[String(k)] = majAtK(votes, k)
    }
    return {
      id: p.id,
      gold: p.answer,
      ...(p.subject === undefined ? {} : { subject: p.subject }),
      ...(p.level === undefined ? {} : { level: p.level }),
      score: correct.length === 0 ? 0 : avgAtK(correct),
      correct: c,
      samples,
      passAtK: pass,
      majAtK: maj
    }
  })

  const samples = results.flatMap((r) => r.samples)
  const perK = (field: "passAtK" | "majAtK"): Record<string, number> =>
    Object.fromEntries(ks.map((k) => [String(k), mean(results.map((r) => r[field][String(k)]!))]))

  const summary = new EvalSummary({
    benchmark: args.benchmark,
    protocol: args.protocol,
    n: results.length,
    accuracy: mean(results.map((r) => r.score)),
    bySubject: groupAccuracy(results, (r) => r.subject, (r) => r.score),
    byLevel: groupAccuracy(results, (r) => (r.level === undefined ? undefined : String(r.level)), (r) => r.score),
    boxedRatio: mean(samples.map((s) => (s.boxed ? 1 : 0))),
    reflectionRate: mean(samples.map((s) => s.reflections)),
    reflectionCount: samples.filter((s) => s.reflections > 0).length,
    meanResponseLength: mean(samples.map((s) => s.length)),
    lengthUnit,
    ...(truncKnown ? { truncationRate: mean(samples.map((s) => (s.truncated === true ? 1 : 0))) } : {}),
    metric: samplesPerProblem === settings.n ? settings.metric : `avg@${samplesPerProblem}`,
    samplesPerProblem,
    responses: samples.length,
    passAtK: perK("passAtK"),
    majAtK: perK("majAtK")
  })

  const recordedKnown = samples.length > 0 && samples.every((x) => x.recordedCorrect !== undefined)
  const recordedOnly = samples.filter((x) => x.recordedCorrect === true && !x.correct).length
  const oursOnly = samples.filter((x) => x.recordedCorrect === false && x.correct).length
  const agreement: Agreement | undefined = recordedKnown
    ? {
        recordedAccuracy: mean(results.map((r) => mean(r.samples.map((x) => (x.recordedCorrect === true ? 1 : 0))))),
        disagreements: recordedOnly + oursOnly,
        disagreementRate: (recordedOnly + oursOnly) / samples.length,
        recordedOnly,
        oursOnly
      }
    : undefined

  return new EvalReport({
    summary,
    ...(agreement === undefined ? {} : { agreement }),
    settings: {
      temperature: settings.temperature,
      topP: settings.topP,
      n: settings.n,
      maxTokens: settings.maxTokens,
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
      verifierMode: settings.verifierMode,
      metric: settings.metric
    },
    origin: args.origin,
    problems: results
  })
}

/** The paper's 6-benchmark average of a set of summaries (accuracy in [0, 1]), or undefined when one is missing. */
export const averageOfSix = (summaries: ReadonlyArray<EvalSummary>): number | undefined => {
  const scores = Object.fromEntries(summaries.map((s) => [s.benchmark, s.accuracy]))
  return SIX_BENCHMARKS.every((b) => scores[b] !== undefined) ? sixBenchmarkAverage(scores) : undefined
}

const pct = (x: number | undefined): string => (x === undefined ? "-" : (100 * x).toFixed(1))

/** A plain-text table of summaries, one row per benchmark, plus the 6-benchmark average when all six are present. */
export const formatTable = (summaries: ReadonlyArray<EvalSummary>): string => {
  const header = ["benchmark", "protocol", "metric", "n", "acc%", "pass@k%", "maj@k%", "boxed%", "reflect", "len", "trunc%"]
  const rows = summaries.map((s) => {
    const kMax = s.passAtK === undefined ? undefined : Math.max(...Object.keys(s.passAtK).map(Number))
    return [
      s.benchmark,
      s.protocol,
      s.metric ?? "-",
      String(s.n),
      pct(s.accuracy),
      kMax === undefined || !Number.isFinite(kMax) ? "-" : `${pct(s.passAtK![String(kMax)])} (k=${kMax})`,
      kMax === undefined || !Number.isFinite(kMax) ? "-" : pct(s.majAtK?.[String(kMax)]),
      pct(s.boxedRatio),
      s.reflectionCount === undefined ? "-" : String(s.reflectionCount),
      s.meanResponseLength === undefined ? "-" : `${s.meanResponseLength.toFixed(0)}${s.lengthUnit === "chars" ? "c" : "t"}`,
      pct(s.truncationRate)
    ]
  })
  const avg = averageOfSix(summaries)
  if (avg !== undefined) rows.push(["Avg (6)", "", "", "", pct(avg), "", "", "", "", "", ""])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

/** Per-subject / per-level breakdown lines of one summary. */
export const formatGroups = (s: EvalSummary): string => {
  const part = (title: string, g: Readonly<Record<string, { readonly accuracy: number; readonly n: number }>>) => {
    const keys = Object.keys(g)
    return keys.length === 0 ? [] : [`${title}:`, ...keys.map((k) => `  ${k.padEnd(28)} ${pct(g[k]!.accuracy).padStart(5)}  (n=${g[k]!.n})`)]
  }
  return [...part(`${s.benchmark} by subject`, s.bySubject), ...part(`${s.benchmark} by level`, s.byLevel)].join("\n")
}

/**
 * Evaluation protocols as data: a prompt template, sampling settings (with
 * per-benchmark overrides, since the paper samples AIME/AMC 8× at T 0.6 but
 * decodes the others greedily), the grading mode and the pass@k values to report.
 */
import { decodeFailureSummary, InvalidInput, VerifierMode } from "@oneshot/core"
import { Effect, Schema } from "effect"

/** The slots a template may use for the problem statement (all equivalent). */
export const TEMPLATE_SLOT = /\{(?:input|problem|prompt)\}/g

const Template = Schema.String.pipe(
  Schema.filter((t) => /\{(?:input|problem|prompt)\}/.test(t), {
    message: () => "a prompt template containing a {input}, {problem} or {prompt} slot"
  })
)

/** Sampling settings that a benchmark may override. */
export const SamplingOverride = Schema.Struct({
  temperature: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
  topP: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  /** Samples per problem. */
  n: Schema.optional(Schema.Int.pipe(Schema.positive())),
  maxTokens: Schema.optional(Schema.Int.pipe(Schema.positive()))
})
export type SamplingOverride = typeof SamplingOverride.Type

export class Protocol extends Schema.Class<Protocol>("Protocol")({
  name: Schema.String.pipe(Schema.minLength(1)),
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  template: Template,
  /** Default sampling for every benchmark; 0 temperature = greedy. */
  temperature: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 0 }),
  topP: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 1)), { default: () => 1 }),
  n: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 }),
  maxTokens: Schema.Int.pipe(Schema.positive()),
  seed: Schema.optional(Schema.Int),
  stop: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  /** Per-benchmark overrides, keyed by benchmark name. */
  overrides: Schema.optionalWith(Schema.Record({ key: Schema.String, value: SamplingOverride }), { default: () => ({}) }),
  /** Grading mode passed to the Verifier. */
  verifierMode: Schema.optionalWith(VerifierMode, { default: () => "qwen-eval" as const }),
  /** Extra k values for pass@k and maj@k (k = 1 and k = n are always reported; k > n is skipped). */
  ks: Schema.optionalWith(Schema.Array(Schema.Int.pipe(Schema.positive())), { default: () => [] }),
  /** Prompts per generator call (a Policy batches within a call). */
  batchSize: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 64 })
}) {}

/** A protocol resolved for one benchmark. */
export interface Settings {
  readonly temperature: number
  readonly topP: number
  readonly n: number
  readonly maxTokens: number
  readonly seed: number | undefined
  readonly stop: ReadonlyArray<string>
  readonly verifierMode: VerifierMode
  /** The k values to report pass@k / maj@k at, ascending, within [1, n]. */
  readonly ks: ReadonlyArray<number>
  /** `greedy` for one sample at temperature 0, `avg@n` otherwise. */
  readonly metric: string
}

export const settingsFor = (protocol: Protocol, benchmark: string): Settings => {
  const o = Object.hasOwn(protocol.overrides, benchmark) ? protocol.overrides[benchmark]! : {}
  const n = o.n ?? protocol.n
  const temperature = o.temperature ?? protocol.temperature
  const ks = [...new Set([1, ...protocol.ks, n])].filter((k) => k <= n).sort((a, b) => a - b)
  return {
    temperature,
    topP: o.topP ?? protocol.topP,
    n,
    maxTokens: o.maxTokens ?? protocol.maxTokens,
    seed: protocol.seed,
    stop: protocol.stop,
    verifierMode: protocol.verifierMode,
    ks,
    metric: n === 1 && temperature === 0 ? "greedy" : `avg@${n}`
  }
}

/** Puts a problem statement into a template's slot(s). */
export const renderPrompt = (template: string, problem: string): string => template.replace(TEMPLATE_SLOT, () => problem)

/** Decodes a user-defined protocol (e.g. from a JSON file), failing with what was expected. */
export const decodeProtocol = (input: unknown, where: string): Effect.Effect<Protocol, InvalidInput> =>
  Schema.decodeUnknown(Protocol)(input).pipe(
    Effect.mapError(
      (e) =>
        new InvalidInput({
          input: where,
          expected: "a protocol {name, template with {input}, maxTokens, temperature?, topP?, n?, overrides?, verifierMode?, ks?}",
          actual: decodeFailureSummary(e)
        })
    )
  )

/** The Qwen2.5-Math `qwen25-math-cot` chat template (claims.md §1.2). */
export const QWEN25_MATH_COT_TEMPLATE =
  "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n{input}<|im_end|>\n<|im_start|>assistant\n"

/**
 * DeepSeek-R1-Distill chat template with DeepSeek's recommended instruction.
 * The exact wording the authors used is not in their repository (unconfirmed).
 */
export const R1_DISTILL_TEMPLATE =
  "<｜begin▁of▁sentence｜><｜User｜>{input}\nPlease reason step by step, and put your final answer within \\boxed{}.<｜Assistant｜><think>\n"

const AVG8 = { temperature: 0.6, topP: 1, n: 8 } as const

/** The paper's protocol for Qwen models: greedy on MATH500/Minerva/OlympiadBench, avg@8 at T 0.6 on AIME24/AIME25/AMC23, 3072 new tokens. */
export const QwenMathCot = new Protocol({
  name: "qwen25-math-cot",
  description: "Paper §3.1 / App. B.3 (Qwen2.5-Math eval): greedy for MATH500, Minerva, OlympiadBench; avg@8 at T 0.6 for AIME24, AIME25, AMC23; 3072 max tokens; seed 0",
  template: QWEN25_MATH_COT_TEMPLATE,
  temperature: 0,
  topP: 1,
  n: 1,
  maxTokens: 3072,
  seed: 0,
  // Qwen2.5-Eval math_eval.py's stop words (a model directory's EOS id stops generation as well).
  stop: ["</s>", "<|im_end|>", "<|endoftext|>"],
  overrides: { aime24: AVG8, aime25: AVG8, amc23: AVG8 },
  verifierMode: "qwen-eval"
})

const r1 = (name: string, maxTokens: number) =>
  new Protocol({
    name,
    description: `Paper App. B.5 (DeepSeek-R1-Distill-Qwen-1.5B): T 0.6, top-p 0.95; avg@16 for MATH500, Minerva, OlympiadBench; avg@64 for AIME24, AIME25, AMC23; ${maxTokens} max tokens`,
    template: R1_DISTILL_TEMPLATE,
    temperature: 0.6,
    topP: 0.95,
    n: 16,
    maxTokens,
    seed: 0,
    overrides: { aime24: { n: 64 }, aime25: { n: 64 }, amc23: { n: 64 } },
    verifierMode: "qwen-eval"
  })

/** R1-Distill protocol at the paper's 8k evaluation length. */
export const R1Distill8k = r1("r1-distill-8k", 8192)
/** R1-Distill protocol at the paper's 32k evaluation length. */
export const R1Distill32k = r1("r1-distill-32k", 32768)

/** A plain protocol for small models: the bare problem, greedy, one sample. */
export const PlainGreedy = new Protocol({
  name: "plain-greedy",
  description: "The bare problem statement, greedy, 1 sample, 512 max tokens",
  template: "{problem}",
  maxTokens: 512,
  verifierMode: "qwen-eval"
})

export const PAPER_PROTOCOLS: ReadonlyArray<Protocol> = [QwenMathCot, R1Distill8k, R1Distill32k, PlainGreedy]

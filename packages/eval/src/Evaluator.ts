/**
 * The Evaluator: runs a benchmark under a protocol, either by sampling a
 * generator (a Policy) or by grading recorded generations, and reduces both
 * through the same `summarize`, so a response scores the same either way.
 * Grading goes through core's `Verifier` from context, so any Verifier layer works.
 */
import {
  type EvaluateOptions,
  EvalSummary,
  Evaluator,
  type EvaluatorShape,
  type FileError,
  GenerateOptions,
  InvalidInput,
  type Problem,
  type TextGenerator,
  Verifier,
  type VerifierShape
} from "@oneshot/core"
import { Context, Effect, Layer } from "effect"
import type { Benchmark } from "./Benchmark.ts"
import { alignGenerations, type GenerationRecord, type MatchBy, readGenerations } from "./Generations.ts"
import { PAPER_BENCHMARKS } from "./PaperBenchmarks.ts"
import { PAPER_PROTOCOLS, type Protocol, renderPrompt, type Settings, settingsFor } from "./Protocol.ts"
import { averageOfSix, type EvalReport, type ResponseRecord, summarize } from "./Report.ts"

export interface GradeGenerationsOptions {
  /** Evaluate only the problems that have responses instead of failing on missing ones. */
  readonly partial?: boolean
  /** Match lines to problems by id (default) or by their `question` text. */
  readonly matchBy?: MatchBy
  /** Recorded in the report's `origin` (default `generations`). */
  readonly origin?: string
}

export interface EvalHarnessShape extends EvaluatorShape {
  readonly benchmarks: ReadonlyMap<string, Benchmark>
  readonly protocols: ReadonlyMap<string, Protocol>
  /** Resolves a benchmark and protocol name (default: the benchmark's own, else `qwen25-math-cot`). */
  readonly resolve: (
    benchmark: string,
    protocol?: string
  ) => Effect.Effect<{ readonly benchmark: Benchmark; readonly protocol: Protocol; readonly settings: Settings }, InvalidInput>
  /** Samples `generator` on every problem under the protocol and grades the samples: the full report. */
  readonly run: <E, R>(
    generator: TextGenerator<E, R>,
    benchmark: string,
    protocol?: string
  ) => Effect.Effect<EvalReport, E | InvalidInput | FileError, R>
  /** Grades recorded generations (already parsed) of a benchmark. */
  readonly gradeGenerations: (
    records: ReadonlyArray<GenerationRecord>,
    benchmark: string,
    protocol?: string,
    options?: GradeGenerationsOptions
  ) => Effect.Effect<EvalReport, InvalidInput | FileError>
  /** Reads and grades a generations file (format in `Generations.ts`). */
  readonly gradeGenerationsFile: (
    path: string,
    benchmark: string,
    protocol?: string,
    options?: GradeGenerationsOptions
  ) => Effect.Effect<EvalReport, InvalidInput | FileError>
  /** Runs several benchmarks with one generator; `average` is the paper's 6-benchmark mean when all six ran. */
  readonly runSuite: <E, R>(
    generator: TextGenerator<E, R>,
    benchmarks: ReadonlyArray<string>,
    protocol?: string
  ) => Effect.Effect<{ readonly reports: ReadonlyArray<EvalReport>; readonly average: number | undefined }, E | InvalidInput | FileError, R>
}

/** The full evaluation service of this package (a superset of core's `Evaluator`). */
export class EvalHarness extends Context.Tag("@oneshot/eval/EvalHarness")<EvalHarness, EvalHarnessShape>() {}

export interface EvaluatorOptions {
  /** Extra benchmarks (a name already registered is replaced). */
  readonly benchmarks?: ReadonlyArray<Benchmark>
  /** Extra protocols (a name already registered is replaced). */
  readonly protocols?: ReadonlyArray<Protocol>
  /** Leave out the paper's benchmarks and protocols (default false). */
  readonly withoutPaperDefaults?: boolean
  /** Protocol used when neither the call nor the benchmark names one (default `qwen25-math-cot`). */
  readonly defaultProtocol?: string
  /** Called after each generator batch (progress reporting for slow policies). */
  readonly onBatch?: (progress: { readonly benchmark: string; readonly done: number; readonly total: number }) => Effect.Effect<void>
  /** Sample only the first N problems of each benchmark (a quick check of a policy; the summary counts N). */
  readonly limit?: number
}

const gradeAll = (
  verifier: VerifierShape,
  problems: ReadonlyArray<Problem>,
  responses: ReadonlyArray<ReadonlyArray<ResponseRecord>>,
  settings: Settings
) =>
  Effect.gen(function* () {
    const items = problems.flatMap((p, i) => responses[i]!.map((r) => ({ response: r.text, gold: p.answer })))
    const flat = yield* verifier.gradeBatch(items, { mode: settings.verifierMode })
    let at = 0
    return responses.map((rs) => {
      const gs = flat.slice(at, at + rs.length)
      at += rs.length
      return gs
    })
  })

/** Builds the harness over a Verifier and a registry. */
export const makeHarness = (verifier: VerifierShape, options: EvaluatorOptions = {}): EvalHarnessShape => {
  const onBatch = options.onBatch
  const limit = options.limit
  const benchmarks = new Map<string, Benchmark>()
  const protocols = new Map<string, Protocol>()
  if (options.withoutPaperDefaults !== true) {
    for (const b of PAPER_BENCHMARKS) benchmarks.set(b.name, b)
    for (const p of PAPER_PROTOCOLS) protocols.set(p.name, p)
  }
  for (const b of options.benchmarks ?? []) benchmarks.set(b.name, b)
  for (const p of options.protocols ?? []) protocols.set(p.name, p)
  const fallback = options.defaultProtocol ?? "qwen25-math-cot"

  // Loading is memoised per benchmark: the bundled files are read once per harness.
  const loaded = new Map<string, ReadonlyArray<Problem>>()
  const load = (b: Benchmark) =>
    Effect.suspend(() => {
      const hit = loaded.get(b.name)
      return hit !== undefined ? Effect.succeed(hit) : b.load.pipe(Effect.tap((ps) => Effect.sync(() => loaded.set(b.name, ps))))
    })

  const resolve: EvalHarnessShape["resolve"] = (benchmarkName, protocolName) =>
    Effect.gen(function* () {
      const benchmark = benchmarks.get(benchmarkName)
      if (benchmark === undefined) {
        return yield* new InvalidInput({ input: `benchmark ${JSON.stringify(benchmarkName)}`, expected: `one of ${[...benchmarks.keys()].join(", ")}` })
      }
      const name = protocolName ?? benchmark.defaultProtocol ?? fallback
      const protocol = protocols.get(name)
      if (protocol === undefined) {
        return yield* new InvalidInput({ input: `protocol ${JSON.stringify(name)}`, expected: `one of ${[...protocols.keys()].join(", ")}` })
      }
      return { benchmark, protocol, settings: settingsFor(protocol, benchmark.name) }
    })

  const run: EvalHarnessShape["run"] = (generator, benchmarkName, protocolName) =>
    Effect.gen(function* () {
      const { benchmark, protocol, settings } = yield* resolve(benchmarkName, protocolName)
      const problems = (yield* load(benchmark)).slice(0, limit)
      const options = new GenerateOptions({
        n: settings.n,
        temperature: settings.temperature,
        topP: settings.topP,
        maxTokens: settings.maxTokens,
        stop: settings.stop,
        ...(settings.seed === undefined ? {} : { seed: settings.seed })
      })
      const responses: Array<ReadonlyArray<ResponseRecord>> = []
      for (let start = 0; start < problems.length; start += protocol.batchSize) {
        const chunk = problems.slice(start, start + protocol.batchSize)
        const out = yield* generator(chunk.map((p) => renderPrompt(protocol.template, p.prompt)), options)
        if (out.length !== chunk.length) {
          return yield* new InvalidInput({ input: `generator output for ${benchmark.name}`, expected: `${chunk.length} sample lists (one per prompt)`, actual: `${out.length}` })
        }
        for (let i = 0; i < chunk.length; i++) {
          const samples = out[i]!
          if (samples.length !== settings.n) {
            return yield* new InvalidInput({ input: `generator output for ${chunk[i]!.id}`, expected: `${settings.n} samples`, actual: `${samples.length}` })
          }
          responses.push(samples.map((s) => ({ text: s.text, tokens: s.tokenIds.length, finishReason: s.finishReason })))
        }
        if (onBatch !== undefined) yield* onBatch({ benchmark: benchmark.name, done: responses.length, total: problems.length })
      }
      const grades = yield* gradeAll(verifier, problems, responses, settings)
      return summarize({ benchmark: benchmark.name, protocol: protocol.name, settings, origin: "policy", problems, responses, grades })
    })

  const gradeGenerations: EvalHarnessShape["gradeGenerations"] = (records, benchmarkName, protocolName, opts = {}) =>
    Effect.gen(function* () {
      const { benchmark, protocol, settings } = yield* resolve(benchmarkName, protocolName)
      const all = yield* load(benchmark)
      const { problems, responses } = yield* alignGenerations(benchmark.name, all, records, {
        partial: opts.partial === true,
        matchBy: opts.matchBy ?? "id"
      })
      const grades = yield* gradeAll(verifier, problems, responses, settings)
      return summarize({
        benchmark: benchmark.name,
        protocol: protocol.name,
        settings,
        origin: opts.origin ?? "generations",
        problems,
        responses,
        grades
      })
    })

  const gradeGenerationsFile: EvalHarnessShape["gradeGenerationsFile"] = (path, benchmarkName, protocolName, opts = {}) =>
    readGenerations(path).pipe(
      Effect.flatMap((records) => gradeGenerations(records, benchmarkName, protocolName, { origin: path, ...opts }))
    )

  const runSuite: EvalHarnessShape["runSuite"] = (generator, names, protocolName) =>
    Effect.gen(function* () {
      const reports: Array<EvalReport> = []
      for (const name of names) reports.push(yield* run(generator, name, protocolName))
      return { reports, average: averageOfSix(reports.map((r) => r.summary)) }
    })

  const evaluate = <E, R>(
    generator: TextGenerator<E, R>,
    benchmark: string,
    protocol?: string,
    options: EvaluateOptions = {}
  ): Effect.Effect<EvalSummary, E | InvalidInput | FileError, R> =>
    run(generator, benchmark, protocol).pipe(
      Effect.map((r) => (options.perProblem === true ? new EvalSummary({ ...r.summary, problemScores: r.problems.map((p) => p.score) }) : r.summary))
    )

  return { benchmarks, protocols, resolve, run, gradeGenerations, gradeGenerationsFile, runSuite, evaluate }
}

/** Layers providing both core's `Evaluator` (for the trainer) and this package's `EvalHarness`. Require a `Verifier`. */
export const EvaluatorLive = {
  /** With extra benchmarks and protocols (e.g. the synthetic world's splits and plain protocol). */
  make: (options: EvaluatorOptions = {}): Layer.Layer<EvalHarness | Evaluator, never, Verifier> => {
    const harness = Layer.effect(EvalHarness, Effect.map(Verifier, (v) => makeHarness(v, options)))
    return Layer.effect(Evaluator, EvalHarness).pipe(Layer.provideMerge(harness))
  },
  /** The paper's benchmarks and protocols only. */
  get layer(): Layer.Layer<EvalHarness | Evaluator, never, Verifier> {
    return EvaluatorLive.make()
  }
}

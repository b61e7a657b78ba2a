/**
 * What `rlvr eval` does, as a library function: resolve benchmarks and the
 * protocol (named, or read from a JSON file), grade generations files or
 * sample a generator, and write the reports as JSON (atomically). The CLI
 * command only parses flags and provides layers.
 */
import { decodeFailureSummary, EvalSummary, FileError, InvalidInput, type TextGenerator, Verifier, type VerifierMode } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { readFile, rename, writeFile } from "node:fs/promises"
import { type EvalHarnessShape, type EvaluatorOptions, makeHarness } from "./Evaluator.ts"
import type { MatchBy } from "./Generations.ts"
import { SIX_BENCHMARKS } from "./Metrics.ts"
import { decodeProtocol, Protocol } from "./Protocol.ts"
import { EvalReport, formatGroups, formatTable } from "./Report.ts"

export interface EvalRunArgs {
  /** Benchmark names; `all` stands for the paper's six. */
  readonly benchmarks: ReadonlyArray<string>
  /** Generations files, one per benchmark in the same order (empty when sampling a generator). */
  readonly generations: ReadonlyArray<string>
  readonly protocol?: string | undefined
  /** A JSON protocol to register (and use when `protocol` is not given). */
  readonly protocolFile?: string | undefined
  readonly verifierMode?: VerifierMode | undefined
  readonly partial?: boolean | undefined
  readonly matchBy?: MatchBy | undefined
  /** Extra benchmarks and protocols to register (e.g. the synthetic world's). */
  readonly registry?: EvaluatorOptions | undefined
  /** Named groups of benchmarks usable as a `--benchmark` name and averaged when all ran (`all` = the paper's six). */
  readonly suites?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
}

export const EvalRunOutput = Schema.Struct({
  reports: Schema.Array(EvalReport),
  /** The paper's 6-benchmark average accuracy, when all six were evaluated. */
  average: Schema.optional(Schema.Number),
  /** The unweighted mean accuracy of each other requested suite whose benchmarks all ran. */
  suiteAverages: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Number }))
})
export type EvalRunOutput = typeof EvalRunOutput.Type

const readJson = (path: string): Effect.Effect<unknown, FileError | InvalidInput> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) => new FileError({ path, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({ try: () => JSON.parse(text) as unknown, catch: (e) => new InvalidInput({ input: path, expected: "a JSON document", actual: String(e), cause: e }) })
    )
  )

const splitNames = (names: ReadonlyArray<string>): ReadonlyArray<string> =>
  names.flatMap((n) => n.split(",")).map((n) => n.trim()).filter((n) => n !== "")

/**
 * Runs an evaluation: grades `args.generations` (paired with `args.benchmarks`)
 * or, when a generator is given, samples it on each benchmark.
 */
export const evalRun = <E = never, R = never>(
  args: EvalRunArgs,
  generator?: TextGenerator<E, R>
): Effect.Effect<EvalRunOutput, E | InvalidInput | FileError, R | Verifier> =>
  Effect.gen(function* () {
    const verifier = yield* Verifier
    const extra: Array<Protocol> = []
    let protocolName = args.protocol
    if (args.protocolFile !== undefined) {
      const p = yield* decodeProtocol(yield* readJson(args.protocolFile), args.protocolFile)
      extra.push(p)
      protocolName ??= p.name
    }
    const registry = args.registry ?? {}
    const base: EvaluatorOptions = { ...registry, protocols: [...(registry.protocols ?? []), ...extra] }
    let harness: EvalHarnessShape = makeHarness(verifier, base)
    if (args.verifierMode !== undefined) {
      const mode = args.verifierMode
      harness = makeHarness(verifier, { ...base, protocols: [...harness.protocols.values()].map((p) => new Protocol({ ...p, verifierMode: mode })) })
    }
    const suites: Record<string, ReadonlyArray<string>> = { all: SIX_BENCHMARKS, ...args.suites }
    const requested = splitNames(args.benchmarks)
    const benchmarks = requested.flatMap((n) => suites[n] ?? [n])
    const withAverages = (reports: ReadonlyArray<EvalReport>): EvalRunOutput => {
      const acc = new Map(reports.map((r) => [r.summary.benchmark, r.summary.accuracy]))
      const average = averageOf(reports)
      const others = requested
        .filter((n) => n !== "all" && suites[n] !== undefined && suites[n].length > 0 && suites[n].every((b) => acc.has(b)))
        .map((n) => [n, suites[n]!.reduce((s, b) => s + acc.get(b)!, 0) / suites[n]!.length] as const)
      return {
        reports,
        ...(average === undefined ? {} : { average }),
        ...(others.length === 0 ? {} : { suiteAverages: Object.fromEntries(others) })
      }
    }
    if (benchmarks.length === 0) return yield* new InvalidInput({ input: "--benchmark", expected: "at least one benchmark name (or all)" })
    const reports: Array<EvalReport> = []
    if (generator === undefined) {
      if (args.generations.length !== benchmarks.length) {
        return yield* new InvalidInput({
          input: "--generations",
          expected: `one generations file per benchmark (${benchmarks.join(", ")})`,
          actual: `${args.generations.length} file(s)`
        })
      }
      for (let i = 0; i < benchmarks.length; i++) {
        reports.push(yield* harness.gradeGenerationsFile(args.generations[i]!, benchmarks[i]!, protocolName, {
          partial: args.partial === true,
          matchBy: args.matchBy ?? "id"
        }))
      }
      return withAverages(reports)
    }
    const { reports: rs } = yield* harness.runSuite(generator, benchmarks, protocolName)
    return withAverages(rs)
  })

const averageOf = (reports: ReadonlyArray<EvalReport>): number | undefined => {
  const by = new Map(reports.map((r) => [r.summary.benchmark, r.summary.accuracy]))
  return SIX_BENCHMARKS.every((b) => by.has(b)) ? SIX_BENCHMARKS.reduce((s, b) => s + by.get(b)!, 0) / SIX_BENCHMARKS.length : undefined
}

/** The printed table (and, with `details`, per-subject and per-level accuracy). */
export const formatOutput = (out: EvalRunOutput, details = false): string =>
  [
    formatTable(out.reports.map((r) => r.summary)),
    ...Object.entries(out.suiteAverages ?? {}).map(([n, a]) => `${n} average: ${(100 * a).toFixed(1)}%`),
    ...out.reports.flatMap((r) =>
      r.agreement === undefined
        ? []
        : [
            `${r.summary.benchmark}: recorded verdicts ${(100 * r.agreement.recordedAccuracy).toFixed(1)}% vs ${(100 * r.summary.accuracy).toFixed(1)}% here; ` +
              `they disagree on ${r.agreement.disagreements} of ${r.summary.responses ?? 0} responses (${(100 * r.agreement.disagreementRate).toFixed(1)}%: ` +
              `${r.agreement.recordedOnly} correct only as recorded, ${r.agreement.oursOnly} only here)`
          ]
    ),
    ...(details ? out.reports.map((r) => formatGroups(r.summary)).filter((s) => s !== "") : [])
  ].join("\n\n")

/** The registered benchmarks and protocols (for `rlvr eval --list`). */
export const listRegistry = (
  registry: EvaluatorOptions = {},
  suites: Readonly<Record<string, ReadonlyArray<string>>> = {}
): Effect.Effect<string, never, Verifier> =>
  Effect.map(Verifier, (verifier) => {
    const h = makeHarness(verifier, registry)
    const allSuites: Record<string, ReadonlyArray<string>> = { all: SIX_BENCHMARKS, ...suites }
    return [
      "benchmarks:",
      ...[...h.benchmarks.values()].map((b) => `  ${b.name.padEnd(16)} ${b.size === undefined ? "" : `${b.size} problems, `}${b.description}`),
      "suites:",
      ...Object.entries(allSuites).map(([n, bs]) => `  ${n.padEnd(16)} ${bs.join(", ")}`),
      "protocols:",
      ...[...h.protocols.values()].map((p) => `  ${p.name.padEnd(22)} ${p.description}`)
    ].join("\n")
  })

/** Reads a JSON file written by `rlvr eval --out` (full form), failing with the path and what was expected. */
export const readEvalOutput = (path: string): Effect.Effect<EvalRunOutput, FileError | InvalidInput> =>
  readJson(path).pipe(
    Effect.flatMap((json) =>
      Schema.decodeUnknown(EvalRunOutput)(json).pipe(
        Effect.mapError(
          (e) =>
            new InvalidInput({
              input: path,
              expected: "an rlvr eval output {reports: EvalReport[], average?, suiteAverages?} (not --summary-only)",
              actual: decodeFailureSummary(e)
            })
        )
      )
    )
  )

/** Writes JSON atomically (temp file + rename), so a reader never sees half a file. */
export const writeJsonAtomic = (path: string, value: unknown): Effect.Effect<void, FileError> =>
  Effect.tryPromise({
    try: async () => {
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
      await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`)
      await rename(tmp, path)
    },
    catch: (e) => new FileError({ path, operation: "write", reason: e instanceof Error ? e.message : String(e), cause: e })
  })

/**
 * The JSON form of an output (schema-encoded). With `summaryOnly`, the reports'
 * per-problem results are dropped: `{ summaries, average?, suiteAverages? }`.
 */
export const encodeOutput = (out: EvalRunOutput, options: { readonly summaryOnly?: boolean } = {}): unknown => {
  if (options.summaryOnly !== true) return Schema.encodeSync(EvalRunOutput)(out)
  const { reports, ...rest } = out
  return { summaries: reports.map((r) => Schema.encodeSync(EvalSummary)(r.summary)), ...rest }
}

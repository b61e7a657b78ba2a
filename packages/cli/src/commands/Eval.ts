/**
 * `rlvr eval`: evaluate recorded generations (or a policy checkpoint) on the
 * paper's benchmarks under a protocol; prints a table and writes JSON. The
 * logic is `evalRun` in `@oneshot/eval`.
 */
import { Command, Options } from "@effect/cli"
import { InvalidInput, VerifierMode } from "@oneshot/core"
import type { EvalRunArgs } from "@oneshot/eval"
import { Console, Effect, Layer, Option } from "effect"
import { outputPath, positiveInteger } from "../Flags.ts"

/** The packages behind the command, loaded when it runs (tfjs and the CAS take seconds to load; `--help` needs neither). */
const load = Effect.promise(() =>
  Promise.all([import("@oneshot/eval"), import("@oneshot/policy"), import("@oneshot/world/Benchmarks")])
)

const generations = Options.file("generations").pipe(
  Options.withDescription("JSONL of recorded responses, one line per problem: {\"id\", \"responses\": [...]} (repeat, paired with --benchmark)"),
  Options.repeated
)
const policy = Options.directory("policy").pipe(Options.withDescription("a policy checkpoint directory to sample from"), Options.optional)
const limit = positiveInteger("limit").pipe(Options.withDescription("with --policy: sample only the first N problems of each benchmark"), Options.optional)
const benchmark = Options.text("benchmark").pipe(
  Options.withDescription(
    "math500 | aime24 | aime25 | amc23 | minerva_math | olympiadbench | all (the six) | a synthetic-world split | world (its test splits); repeat or comma-separate"
  ),
  Options.repeated
)
const protocol = Options.text("protocol").pipe(
  Options.withDescription("qwen25-math-cot (default) | r1-distill-8k | r1-distill-32k | plain-greedy | a --protocol-file name"),
  Options.optional
)
const protocolFile = Options.file("protocol-file").pipe(Options.withDescription("a user-defined protocol as JSON"), Options.optional)
const verifierMode = Options.choice("verifier-mode", VerifierMode.literals).pipe(
  Options.withDescription("override the protocol's grading mode"),
  Options.optional
)
const out = outputPath("out", "file").pipe(Options.withDescription("write the full reports (per problem and aggregate) as JSON"), Options.optional)
const partial = Options.boolean("partial").pipe(Options.withDescription("evaluate only the problems present in the generations file"))
const matchBy = Options.choice("match-by", ["id", "question"] as const).pipe(
  Options.withDescription("match generations lines to problems by id / row index (default) or by their exact \"question\" text (for test sets repeated k×, e.g. aime24x8)"),
  Options.withDefault("id" as const)
)
const backend = Options.text("backend").pipe(
  Options.withDescription("tfjs backend for --policy: wasm | cpu | webgpu | tensorflow (default: ONESHOT_BACKEND or wasm)"),
  Options.optional
)
const summaryOnly = Options.boolean("summary-only").pipe(
  Options.withDescription("with --out: write only the aggregate summaries, not every response")
)
const list = Options.boolean("list").pipe(Options.withDescription("list the registered benchmarks, suites and protocols, and exit"))
const details = Options.boolean("details").pipe(Options.withDescription("also print accuracy per subject and per level"))

export const command = Command.make(
  "eval",
  { generations, policy, limit, benchmark, protocol, protocolFile, verifierMode, out, partial, matchBy, backend, details, list, summaryOnly },
  (o) =>
    Effect.gen(function* () {
      const [{ encodeOutput, evalRun, formatOutput, listRegistry, writeJsonAtomic }, { Backend, Policy, PolicyLive }, { WORLD_PROTOCOLS, WORLD_TEST_BENCHMARKS, worldBenchmarks }] = yield* load
      const suites = { world: WORLD_TEST_BENCHMARKS }
      if (o.list) return yield* Console.log(yield* listRegistry({ benchmarks: worldBenchmarks, protocols: WORLD_PROTOCOLS }, suites))
      const args: EvalRunArgs = {
        benchmarks: o.benchmark,
        generations: o.generations,
        protocol: Option.getOrUndefined(o.protocol),
        protocolFile: Option.getOrUndefined(o.protocolFile),
        verifierMode: Option.getOrUndefined(o.verifierMode),
        partial: o.partial,
        matchBy: o.matchBy,
        // The synthetic world's splits and protocols are registered too; `--benchmark world` runs its test splits.
        suites,
        registry: {
          ...(Option.isSome(o.limit) ? { limit: o.limit.value } : {}),
          benchmarks: worldBenchmarks,
          protocols: WORLD_PROTOCOLS,
          onBatch: (p) => Effect.sync(() => process.stderr.write(`${p.benchmark}: ${p.done}/${p.total}\n`))
        }
      }
      const result = Option.isNone(o.policy)
        ? yield* evalRun(args)
        : o.generations.length > 0
          ? yield* new InvalidInput({ input: "--policy with --generations", expected: "one source of responses: a policy or generations files" })
          : yield* Effect.gen(function* () {
              const policy = yield* Policy
              return yield* evalRun(args, policy.generate)
            }).pipe(
              Effect.provide(
                PolicyLive.load(o.policy.value).pipe(
                  Layer.provide(Option.isSome(o.backend) ? Backend.layer(o.backend.value) : Backend.fromEnv)
                )
              )
            )
      yield* Console.log(formatOutput(result, o.details))
      if (Option.isSome(o.out)) {
        yield* writeJsonAtomic(o.out.value, encodeOutput(result, { summaryOnly: o.summaryOnly }))
        yield* Console.error(`wrote ${o.out.value}`)
      }
    }).pipe(Effect.provide(Layer.unwrapEffect(Effect.map(Effect.promise(() => import("@oneshot/verifier")), (v) => v.VerifierLive))))
).pipe(Command.withDescription("Evaluate recorded generations or a policy on the paper's benchmarks under a protocol"))

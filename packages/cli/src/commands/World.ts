/**
 * `rlvr world generate|stats|corpus|eval|select-pi1`: the synthetic math world (logic in `@oneshot/world`).
 */
import { Command, Options } from "@effect/cli"
import { corpusDocument } from "@oneshot/world/Corpus"
import { DATA_DIR, readSplit, writeFileAtomic, writeSplits } from "@oneshot/world/Files"
import { PRETRAIN_PRESETS } from "@oneshot/world/Pretrain"
import { generateAllSplits, SPLITS, TEST_SPLITS } from "@oneshot/world/Splits"
import { corpusSummary, formatSplitStats } from "@oneshot/world/Stats"
import { Backend, backendFromEnv, PolicyLive } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { BASE_MODEL_DIR } from "@oneshot/world/BaseModel"
import { writeJsonAtomic } from "@oneshot/eval"
import { formatScores, scoreWorld } from "@oneshot/world/WorldEval"
import { selectPi1, writePi1 } from "@oneshot/world/SelectPi1"
import { Console, Effect, Layer, Option } from "effect"

const dir = Options.directory("out").pipe(
  Options.withDescription("where to write the split JSONL files and SPLITS.json (default: packages/world/data)"),
  Options.withDefault(DATA_DIR)
)

const generate = Command.make("generate", { dir }, ({ dir }) =>
  Effect.gen(function* () {
    const files = yield* writeSplits(dir)
    for (const f of files) yield* Console.log(`${f.split.padEnd(16)} ${String(f.rows).padStart(5)} rows  sha256 ${f.sha256}  ${f.file}`)
  })
).pipe(Command.withDescription("Generate every split from its fixed seed (byte-for-byte reproducible) and write JSONL + SPLITS.json"))

const docs = Options.integer("documents").pipe(Options.withDescription("corpus documents to summarise"), Options.withDefault(5000))

const stats = Command.make("stats", { docs }, ({ docs }) =>
  Effect.gen(function* () {
    for (const s of SPLITS) yield* Console.log(formatSplitStats(s.name, yield* readSplit(s.name)))
    const preset = PRETRAIN_PRESETS.base
    const { reserved } = generateAllSplits()
    yield* Console.log(corpusSummary(preset.corpusSeed, docs, preset.flawRates, reserved))
  })
).pipe(Command.withDescription("Counts per category × level for each split, and the pretraining corpus's flaw rates"))

const n = Options.integer("n").pipe(Options.withDescription("number of documents"), Options.withDefault(20))
const out = Options.file("out").pipe(Options.withDescription("write the documents as JSONL here instead of printing them"), Options.optional)

const corpus = Command.make("corpus", { n, out }, ({ n, out }) =>
  Effect.gen(function* () {
    const preset = PRETRAIN_PRESETS.base
    const { reserved } = generateAllSplits()
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify(corpusDocument(preset.corpusSeed, i, preset.flawRates, reserved)))
    if (out._tag === "Some") {
      yield* writeFileAtomic(out.value, lines.join("\n") + "\n")
      yield* Console.log(`wrote ${n} documents to ${out.value}`)
    } else {
      for (let i = 0; i < n; i++) yield* Console.log(corpusDocument(preset.corpusSeed, i, preset.flawRates, reserved).text + "\n")
    }
  })
).pipe(Command.withDescription("Print (or write as JSONL) the first documents of the base preset's pretraining corpus"))

const policy = Options.directory("policy").pipe(
  Options.withDescription("policy checkpoint directory (default: the committed base model, packages/world/models/base)"),
  Options.withDefault(BASE_MODEL_DIR)
)
const benchmark = Options.text("benchmark").pipe(
  Options.withDescription(`world benchmarks to score (default: the test sets ${TEST_SPLITS.join(", ")}); repeat or comma-separate`),
  Options.repeated
)
const evalOut = Options.file("out").pipe(Options.withDescription("write the full reports as JSON"), Options.optional)

const evaluate = Command.make("eval", { policy, benchmark, out: evalOut }, (o) =>
  Effect.scoped(
    Effect.gen(function* () {
      const names = o.benchmark.flatMap((b) => b.split(",")).map((b) => b.trim()).filter((b) => b !== "")
      const p = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(o.policy), (x) => x.dispose)
      const scores = yield* scoreWorld(p.generate, names.length > 0 ? names : TEST_SPLITS)
      yield* Console.log(formatScores(scores))
      if (Option.isSome(o.out)) {
        yield* writeJsonAtomic(o.out.value, { average: scores.average, strict: scores.strict, lenient: scores.lenient })
        yield* Console.log(`wrote ${o.out.value}`)
      }
    })
  ).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))
).pipe(Command.withDescription("Score a policy (default: the base model) greedily on the world's test sets, boxed-only and lenient grading"))

const pi1 = Command.make("select-pi1", { policy }, (o) =>
  Effect.scoped(
    Effect.gen(function* () {
      const p = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(o.policy), (x) => x.dispose)
      const s = yield* selectPi1(p.generate, yield* readSplit("world-train"))
      yield* writePi1(s, o.policy)
      yield* Console.log(`${s.choice.id}: ${s.choice.method}`)
    })
  ).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))
).pipe(Command.withDescription("Choose the 1-shot example by (stand-in) historical variance and write pi1.json next to the policy"))

export const command = Command.make("world").pipe(
  Command.withDescription("The synthetic math world: generate splits, show statistics, inspect the pretraining corpus"),
  Command.withSubcommands([generate, stats, corpus, evaluate, pi1])
)

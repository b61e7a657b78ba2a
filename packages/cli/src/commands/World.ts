/**
 * `rlvr world generate|stats|corpus|eval|select-pi1`: the synthetic math world (logic in `@oneshot/world`).
 * Commands write into `--out` (a directory under runs/ by default); the
 * committed splits and π1 change only with `--publish`.
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option } from "effect"
import * as path from "node:path"
import { outputPath, positiveInteger } from "../Flags.ts"

/** The world's modules, loaded when a subcommand runs (tfjs and the verifier take seconds; `--help` needs neither). */
const files = Effect.promise(() => import("@oneshot/world/Files"))
const policyAndVerifier = Effect.promise(() =>
  Promise.all([import("@oneshot/policy"), import("@oneshot/verifier"), import("@oneshot/world/BaseModel")])
)
/** Backend (tfjs, from ONESHOT_BACKEND) and the verifier, as one layer. */
const modelLayer = Layer.unwrapEffect(
  Effect.map(policyAndVerifier, ([{ Backend, backendFromEnv }, { VerifierLive }]) => Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive))
)

const generateOut = outputPath("out", "directory").pipe(
  Options.withDescription("where to write the split JSONL files and SPLITS.json (default runs/world-splits)"),
  Options.withDefault(path.join("runs", "world-splits"))
)
const publishSplits = Options.boolean("publish").pipe(Options.withDescription("write into packages/world/data (the committed splits) instead of --out"))

const generate = Command.make("generate", { out: generateOut, publish: publishSplits }, (o) =>
  Effect.gen(function* () {
    const { DATA_DIR, writeSplits } = yield* files
    const written = yield* writeSplits(o.publish ? DATA_DIR : o.out)
    for (const f of written) yield* Console.log(`${f.split.padEnd(16)} ${String(f.rows).padStart(5)} rows  sha256 ${f.sha256}  ${f.file}`)
  })
).pipe(Command.withDescription("Generate every split from its fixed seed (byte-for-byte reproducible) and write JSONL + SPLITS.json"))

const docs = positiveInteger("documents").pipe(Options.withDescription("corpus documents to summarise"), Options.withDefault(5000))

const stats = Command.make("stats", { docs }, ({ docs }) =>
  Effect.gen(function* () {
    const [{ readSplit }, { PRETRAIN_PRESETS }, { generateAllSplits, SPLITS }, { corpusSummary, formatSplitStats }] = yield* Effect.promise(() =>
      Promise.all([import("@oneshot/world/Files"), import("@oneshot/world/Pretrain"), import("@oneshot/world/Splits"), import("@oneshot/world/Stats")])
    )
    for (const s of SPLITS) yield* Console.log(formatSplitStats(s.name, yield* readSplit(s.name)))
    const preset = PRETRAIN_PRESETS.base
    const { reserved } = generateAllSplits()
    yield* Console.log(corpusSummary(preset.corpusSeed, docs, preset.flawRates, reserved))
  })
).pipe(Command.withDescription("Counts per category × level for each split, and the pretraining corpus's flaw rates"))

const n = positiveInteger("n").pipe(Options.withDescription("number of documents"), Options.withDefault(20))
const corpusOut = outputPath("out", "file").pipe(Options.withDescription("write the documents as JSONL here instead of printing them"), Options.optional)

const corpus = Command.make("corpus", { n, out: corpusOut }, ({ n, out }) =>
  Effect.gen(function* () {
    const [{ writeFileAtomic }, { PRETRAIN_PRESETS }, { generateAllSplits }, { corpusDocument }] = yield* Effect.promise(() =>
      Promise.all([import("@oneshot/world/Files"), import("@oneshot/world/Pretrain"), import("@oneshot/world/Splits"), import("@oneshot/world/Corpus")])
    )
    const preset = PRETRAIN_PRESETS.base
    const { reserved } = generateAllSplits()
    const docsOf = Array.from({ length: n }, (_, i) => corpusDocument(preset.corpusSeed, i, preset.flawRates, reserved))
    if (Option.isSome(out)) {
      yield* writeFileAtomic(out.value, docsOf.map((d) => JSON.stringify(d)).join("\n") + "\n")
      yield* Console.error(`wrote ${n} documents to ${out.value}`)
    } else {
      for (const d of docsOf) yield* Console.log(d.text + "\n")
    }
  })
).pipe(Command.withDescription("Print (or write as JSONL) the first documents of the base preset's pretraining corpus"))

const policy = Options.directory("policy").pipe(
  Options.withDescription("policy checkpoint directory (default: the committed base model, packages/world/models/base)"),
  Options.optional
)
const benchmark = Options.text("benchmark").pipe(
  Options.withDescription("world benchmarks to score (default: the test sets); repeat or comma-separate"),
  Options.repeated
)
const evalOut = outputPath("out", "file").pipe(Options.withDescription("write the full reports as JSON"), Options.optional)

const evaluate = Command.make("eval", { policy, benchmark, out: evalOut }, (o) =>
  Effect.scoped(
    Effect.gen(function* () {
      const [[{ PolicyLive }, , { BASE_MODEL_DIR }], { writeJsonAtomic }, { formatScores, scoreWorld }, { TEST_SPLITS }] = yield* Effect.all([
        policyAndVerifier,
        Effect.promise(() => import("@oneshot/eval")),
        Effect.promise(() => import("@oneshot/world/WorldEval")),
        Effect.promise(() => import("@oneshot/world/Splits"))
      ])
      const names = o.benchmark.flatMap((b) => b.split(",")).map((b) => b.trim()).filter((b) => b !== "")
      const p = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(Option.getOrElse(o.policy, () => BASE_MODEL_DIR)), (x) => x.dispose)
      const scores = yield* scoreWorld(p.generate, names.length > 0 ? names : TEST_SPLITS)
      yield* Console.log(formatScores(scores))
      if (Option.isSome(o.out)) {
        yield* writeJsonAtomic(o.out.value, { average: scores.average, strict: scores.strict, lenient: scores.lenient })
        yield* Console.error(`wrote ${o.out.value}`)
      }
    })
  ).pipe(Effect.provide(modelLayer))
).pipe(Command.withDescription("Score a policy (default: the base model) greedily on the world's test sets, boxed-only and lenient grading"))

const pi1Out = outputPath("out", "directory").pipe(
  Options.withDescription("where to write pi1.json and pi1-history.json (default runs/select-pi1)"),
  Options.withDefault(path.join("runs", "select-pi1"))
)
const publishPi1 = Options.boolean("publish").pipe(
  Options.withDescription("write beside the policy (for the default, the committed packages/world/models/base/pi1.json) instead of --out")
)

const pi1 = Command.make("select-pi1", { policy, out: pi1Out, publish: publishPi1 }, (o) =>
  Effect.scoped(
    Effect.gen(function* () {
      const [[{ PolicyLive }, , { BASE_MODEL_DIR }], { readSplit }, { selectPi1, writePi1 }] = yield* Effect.all([
        policyAndVerifier,
        files,
        Effect.promise(() => import("@oneshot/world/SelectPi1"))
      ])
      const policyDir = Option.getOrElse(o.policy, () => BASE_MODEL_DIR)
      const p = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(policyDir), (x) => x.dispose)
      const s = yield* selectPi1(p.generate, yield* readSplit("world-train"))
      const written = yield* writePi1(s, o.publish ? policyDir : o.out)
      yield* Console.log(`${s.choice.id}: ${s.choice.method}`)
      yield* Console.error(`wrote ${written.join(", ")}`)
    })
  ).pipe(Effect.provide(modelLayer))
).pipe(
  Command.withDescription(
    "Choose a 1-shot example by the quick stand-in for historical variance (the base model's own sample accuracy) and write pi1.json; the committed π1 comes from the recorded data-selection run"
  )
)

export const command = Command.make("world").pipe(
  Command.withDescription("The synthetic math world: generate splits, show statistics, inspect the pretraining corpus, score and select"),
  Command.withSubcommands([generate, stats, corpus, evaluate, pi1])
)

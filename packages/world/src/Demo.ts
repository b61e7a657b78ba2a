/**
 * The embedded 1-shot RLVR demo (`rlvr train` with no arguments): from the
 * current base model (v2 when published), GRPO on ONE training example of the
 * world's pool — π1, with the powered runs' settings (the sweep's choice) for
 * their first 20 steps — then the same evaluation on all of world-math500
 * again; prints accuracy and boxed ratio before and after, side by side. CPU
 * (wasm) by default, minutes.
 */
import { type Problem, Verifier } from "@oneshot/core"
import { type EvalHarnessShape, type EvalReport, fromProblems, makeHarness } from "@oneshot/eval"
import { Backend, backendFromEnv, kernelChoice, PolicyLive, useKernels } from "@oneshot/policy"
import { decodeConfig } from "@oneshot/trainer/Config"
import { latestCheckpoint } from "@oneshot/trainer/Checkpoint"
import { policySourceFor } from "@oneshot/trainer/PolicySource"
import { train } from "@oneshot/trainer/Trainer"
import { VerifierLive } from "@oneshot/verifier"
import { Console, Effect, Layer, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { currentBaseDir } from "./BaseModel.ts"
import { WORLD_MAX_TOKENS, WORLD_PROTOCOLS, worldBenchmarks } from "./Benchmarks.ts"
import { DATA_DIR, readSplit } from "./Files.ts"
import { formatPrompt, WORLD_PROTOCOL } from "./Template.ts"
import { DEFAULT_SIZING } from "./Experiments.ts"
import { recordedExamples } from "./TrainPresets.ts"

/**
 * The training example. Chosen, as the paper chose π1, by historical
 * variance: a model directory may name its own (`pi1.json`, as v1 does);
 * otherwise the recorded selection's π1 (`experiments/selection.json`), the
 * one the powered runs train on.
 */
export const Pi1Choice = Schema.Struct({
  id: Schema.String,
  method: Schema.String,
  variance: Schema.optional(Schema.Number)
})
export type Pi1Choice = typeof Pi1Choice.Type

/** Used when `models/base/pi1.json` is absent. */
export const DEFAULT_PI1: Pi1Choice = { id: "world-train/0000", method: "default: first training example (no selection recorded)" }

export const readPi1 = (dir: string = currentBaseDir()): Pi1Choice => {
  const file = path.join(dir, "pi1.json")
  if (!fs.existsSync(file)) return DEFAULT_PI1
  return Schema.decodeUnknownSync(Schema.parseJson(Pi1Choice))(fs.readFileSync(file, "utf8"))
}

export interface DemoOptions {
  readonly steps?: number
  /** Prompts per step (all copies of the one example) and rollouts per prompt. */
  readonly batchSize?: number
  readonly rollouts?: number
  readonly lr?: number
  /** Problems per category × level cell of the MATH500-like set used for before/after (0 = all 500). */
  readonly perCell?: number
  readonly runDir?: string
  readonly baseModel?: string
  readonly quiet?: boolean
  readonly seed?: number
}

/**
 * The powered protocol's settings (packages/repro/runs/README.md: 8 prompts ×
 * 8 rollouts, lr 5e-5 chosen by the sweep on the validation split), for 20
 * of its 200 steps; all 500 world-math500 problems before and after, so a
 * change of ≈ 6 points is outside evaluation noise.
 */
export const DEMO_DEFAULTS = {
  steps: 20,
  batchSize: 8,
  rollouts: 8,
  lr: 5e-5,
  perCell: 0,
  seed: 0
} as const

/** The demo's π1: the model directory's own choice, else the recorded selection's. */
const demoPi1 = (baseDir: string) =>
  fs.existsSync(path.join(baseDir, "pi1.json"))
    ? Effect.succeed(readPi1(baseDir))
    : Effect.map(recordedExamples(), (ex): Pi1Choice => ({ id: ex.pi1, method: "rank 1 by historical variance, experiments/selection.json (the powered runs' π1)" }))

/** The demo's test set: the first `perCell` problems of each category × level cell of world-math500. */
export const demoTestSet = (all: ReadonlyArray<Problem>, perCell: number): ReadonlyArray<Problem> => {
  if (perCell <= 0) return all
  const seen = new Map<string, number>()
  return all.filter((p) => {
    const k = `${p.subject}/${p.level}`
    const n = seen.get(k) ?? 0
    seen.set(k, n + 1)
    return n < perCell
  })
}

export interface DemoResult {
  readonly pi1: Pi1Choice
  /** The model directory it started from. */
  readonly baseModel: string
  readonly before: EvalReport
  readonly after: EvalReport
  readonly runDir: string
  readonly seconds: number
}

/** A paired before/after change in accuracy over the same problems, in points, with its 95% interval. */
export interface PairedChange {
  readonly points: number
  readonly ci95: readonly [number, number]
  readonly n: number
}

/**
 * The change in per-problem score from `before` to `after`, paired by problem
 * id (a problem in only one report is left out): the mean difference and a
 * normal 95% interval from the differences' spread. Paired, because the same
 * problems are graded twice, so their difficulty cancels.
 */
export const pairedChange = (
  before: ReadonlyArray<{ readonly id: string; readonly score: number }>,
  after: ReadonlyArray<{ readonly id: string; readonly score: number }>
): PairedChange => {
  const b = new Map(before.map((p) => [p.id, p.score]))
  const d = after.flatMap((p) => (b.has(p.id) ? [p.score - b.get(p.id)!] : []))
  const n = d.length
  if (n === 0) return { points: 0, ci95: [0, 0], n }
  const mean = d.reduce((x, y) => x + y, 0) / n
  const variance = n < 2 ? 0 : d.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (n - 1)
  const half = 1.96 * Math.sqrt(variance / n)
  return { points: 100 * mean, ci95: [100 * (mean - half), 100 * (mean + half)], n }
}

const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(1)}`

/** One line on the accuracy change: its interval and whether it is beyond evaluation noise. */
export const changeLine = (c: PairedChange): string =>
  `  change in accuracy: ${signed(c.points)} points, 95% CI [${signed(c.ci95[0])}, ${signed(c.ci95[1])}] (paired, ${c.n} problems): ${
    c.ci95[0] > 0 ? "a gain beyond evaluation noise" : c.ci95[1] < 0 ? "a loss beyond evaluation noise" : "within evaluation noise"
  }`

const pct = (x: number | undefined): string => (x === undefined ? "   -  " : `${(100 * x).toFixed(1).padStart(5)}%`)

/** The before/after table. */
export const formatDemo = (r: DemoResult): string => {
  const b = r.before.summary
  const a = r.after.summary
  const row = (name: string, x: number | undefined, y: number | undefined) => `  ${name.padEnd(22)}${pct(x).padStart(10)}${pct(y).padStart(10)}`
  const num = (name: string, x: number | undefined, y: number | undefined) =>
    `  ${name.padEnd(22)}${(x ?? Number.NaN).toFixed(3).padStart(10)}${(y ?? Number.NaN).toFixed(3).padStart(10)}`
  return [
    `1-shot RLVR from ${path.basename(r.baseModel)} on ${r.pi1.id} (${r.pi1.method}), ${b.n} test problems of ${b.benchmark.replace(/-demo$/, "")}, ${r.seconds.toFixed(0)} s`,
    `  ${"".padEnd(22)}${"before".padStart(10)}${"after".padStart(10)}`,
    row("accuracy (greedy)", b.accuracy, a.accuracy),
    row("boxed ratio", b.boxedRatio, a.boxedRatio),
    num("reflection words/resp", b.reflectionRate, a.reflectionRate),
    num("mean response length", b.meanResponseLength, a.meanResponseLength),
    changeLine(pairedChange(r.before.problems, r.after.problems)),
    `  run log: ${path.join(r.runDir, "runlog.jsonl")}`
  ].join("\n")
}

/**
 * Runs the demo. Requires a Backend and a Verifier (see `demoMain` for a
 * self-contained version).
 */
export const demo = (options: DemoOptions = {}) =>
  withSimdKernels(Effect.gen(function* () {
    const o = { ...DEMO_DEFAULTS, ...options }
    const t0 = Date.now()
    const baseDir = options.baseModel ?? currentBaseDir()
    const pi1 = yield* demoPi1(baseDir)
    const runDir = options.runDir ?? path.join("runs", `demo-1shot-${Date.now()}`)
    const verifier = yield* Verifier
    const all = yield* readSplit("world-math500")
    const test = demoTestSet(all, o.perCell)
    const benchName = o.perCell > 0 ? "world-math500-demo" : "world-math500"
    const harness: EvalHarnessShape = makeHarness(verifier, {
      benchmarks: [...worldBenchmarks, fromProblems(benchName, test, { defaultProtocol: WORLD_PROTOCOL })],
      protocols: WORLD_PROTOCOLS,
      withoutPaperDefaults: true,
      defaultProtocol: WORLD_PROTOCOL
    })
    const evaluate = (dir: string, label: string) =>
      Effect.scoped(
        Effect.gen(function* () {
          if (options.quiet !== true) yield* Console.error(`evaluating ${label} on ${test.length} problems…`)
          const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(dir), (p) => p.dispose)
          return yield* harness.run(policy.generate, benchName, WORLD_PROTOCOL)
        })
      )
    const before = yield* evaluate(baseDir, "the base model")
    const config = yield* decodeConfig(
      {
        experiment: "demo-1shot",
        tags: ["world", "1-shot", "demo"],
        seed: o.seed,
        model: { path: baseDir },
        data: { train: path.join(DATA_DIR, "world-train.jsonl"), ids: [pi1.id], duplicateTo: o.batchSize, promptTemplate: formatPrompt("{prompt}") },
        algorithm: { advEstimator: "grpo" },
        actor: {
          pgCoef: 1,
          entropyCoef: 0.001,
          klCoef: 0.001,
          // The experiments' micro-batch (gradients accumulated exactly), so 64 rollouts fit the wasm heap.
          microBatchSize: DEFAULT_SIZING.microBatchSize,
          optimizer: { lr: o.lr, weightDecay: 0.01, gradClip: 1, schedule: { _tag: "constant" } }
        },
        rollout: { n: o.rollouts, temperature: 0.6, maxTokens: WORLD_MAX_TOKENS },
        reward: { mode: "deepscaler" },
        eval: { every: 0 },
        trainer: { steps: o.steps, batchSize: o.batchSize, checkpointEvery: o.steps, generationsEvery: 5, generationsLogged: 2, runDir }
      },
      "demo config"
    )
    // The trainer's own source: it checks the memory plan before the first step (a config that
    // cannot fit the wasm heap is refused up front, not in the middle of a backward pass).
    const source = policySourceFor(config)
    // Executed as the powered runs are (one worker thread, skip + pack: runs/README.md).
    yield* train(config, source, { quiet: options.quiet === true, workers: 1, skipRedundant: true, pack: true })
    const ck = yield* latestCheckpoint(runDir)
    const after = yield* evaluate(ck?.policyDir ?? baseDir, "the trained model")
    return { pi1, baseModel: baseDir, before, after, runDir, seconds: (Date.now() - t0) / 1000 } satisfies DemoResult
  }))

/**
 * Runs `effect` with this thread's policies on the "simd" kernels, as the
 * powered runs' evaluations are (their replicas choose them), restoring the
 * previous choice after.
 */
const withSimdKernels = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const before = kernelChoice()
      useKernels("simd")
      return before
    }),
    () => effect,
    (before) => Effect.sync(() => useKernels(before))
  )

/** The demo with its own layers (Backend from `ONESHOT_BACKEND` or wasm, the live Verifier); prints the table. */
export const demoMain = (options: DemoOptions = {}) =>
  demo(options).pipe(
    Effect.tap((r) => Console.log(formatDemo(r))),
    Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive))
  )

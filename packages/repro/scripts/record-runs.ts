/**
 * Records this project's runs of the paper's experiments in the synthetic
 * world: for each experiment (@oneshot/world/Experiments) it trains from the
 * world's base model with the trainer's GRPO/PPO, evaluating every few steps
 * on a fixed stratified subset of world-math500 through the eval harness,
 * in `/tmp/oneshot-runs/<role>` (checkpoints stay there), and copies the run
 * log to `packages/repro/runs/world-cpu/<role>.jsonl` (atomic: temp + rename).
 *
 *   npx tsx packages/repro/scripts/record-runs.ts --only 1shot-pi1,full-set [--steps 24] [--batch 4]
 *     [--rollouts 8] [--eval-every 4] [--per-cell 2] [--shifted] [--base DIR] [--pi1 ID --pi13 ID]
 *     [--out packages/repro/runs/world-cpu] [--work /tmp/oneshot-runs] [--list] [--dry-run]
 *     [--until 2026-11-26T05:40:00Z] (start no experiment after this time) [--progress]
 *     [--select [--select-per-cell 4] [--select-epochs 6]]
 *
 * `--select` records the data-selection run (`selection-full-set`, unless it
 * is already in the output directory and `--select-rerun` is absent:
 * full-set GRPO on a stratified slice of world-train, every example once per
 * epoch), ranks the slice by the historical variance of its per-example
 * training accuracy (core's `rankByHistoricalVariance`, the authors'
 * `data_selection.py`) and writes π1, π2, π13 and a never-solved example
 * (the π1207 analogue) to packages/world/experiments/selection.json, which every later run
 * reads.
 *
 * Experiments run sequentially in one process; to use both cores start two
 * processes with disjoint `--only` lists. The backend is ONESHOT_BACKEND
 * (wasm by default); the trainer writes backend and device into the header.
 */
import { type Problem, rankByHistoricalVariance } from "@oneshot/core"
import { Backend, backendFromEnv, PolicyLive } from "@oneshot/policy"
import { decodeConfig } from "@oneshot/trainer/Config"
import { policySourceFor } from "@oneshot/trainer/PolicySource"
import { train } from "@oneshot/trainer/Trainer"
import { VerifierLive } from "@oneshot/verifier"
import { readSplit } from "@oneshot/world/Files"
import { selectPi1, stratifiedSubset } from "@oneshot/world/SelectPi1"
import { worldEvaluatorLayer } from "@oneshot/world/WorldEvaluator"
import { Console, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { accuracyHistory, accuracyHistoryJson, readRunLog } from "@oneshot/trainer/Trainer"
import { DEFAULT_SIZING, EXPERIMENTS_DIR, type Examples, experimentConfig, experimentNames, SELECTION_FILE, selectionConfig, type Sizing } from "@oneshot/world/Experiments"
import { fileURLToPath } from "node:url"

/** Repository root (this file is packages/repro/scripts/record-runs.ts). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

const argv = process.argv.slice(2)

/** Every flag this script takes; anything else is refused (an unknown flag must not start a long recording). */
const KNOWN_FLAGS = new Set([
  "only", "steps", "batch", "rollouts", "eval-every", "per-cell", "shifted", "base", "pi1", "pi13",
  "out", "work", "list", "dry-run", "until", "progress", "help", "lr", "max-tokens", "micro-batch", "seed",
  "select", "select-per-cell", "select-epochs", "select-rerun"
])
for (const a of argv) {
  if (a.startsWith("--") && !KNOWN_FLAGS.has(a.slice(2))) {
    console.error(`record-runs: unknown flag ${a}; expected one of ${[...KNOWN_FLAGS].map((f) => `--${f}`).join(", ")}`)
    process.exit(2)
  }
}
if (argv.includes("--help")) {
  console.log(
    "npx tsx packages/repro/scripts/record-runs.ts --only ROLE[,ROLE…] [--steps N] [--batch N] [--rollouts N] [--eval-every N]\n" +
      "  [--per-cell N] [--lr X] [--max-tokens N] [--micro-batch N] [--seed N] [--shifted] [--base DIR] [--pi1 ID --pi13 ID] [--out DIR] [--work DIR] [--until ISO-TIME] [--progress]\n" +
      "  [--select [--select-per-cell 4] [--select-epochs 6] [--select-rerun]] (rank the data-selection run's history; record it first if absent or with --select-rerun)\n" +
      "  [--list] [--dry-run]   (see the comment at the top of this file)"
  )
  process.exit(0)
}
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}
const has = (name: string): boolean => argv.includes(`--${name}`)
const num = (name: string, dflt: number): number => {
  const v = flag(name)
  if (v === undefined) return dflt
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: expected a non-negative number, got ${JSON.stringify(v)}`)
  return n
}

/** The base model: the published one, else the newest pretraining checkpoint (for smoke runs). */
const findBase = (): string => {
  const given = flag("base")
  if (given !== undefined) return path.resolve(given)
  const published = path.join(ROOT, "packages", "world", "models", "base")
  if (fs.existsSync(path.join(published, "model.safetensors"))) return published
  throw new Error(`no base model at ${published}; pass --base DIR (a checkpoint dir with config.json, tokenizer.json, model.safetensors)`)
}


/**
 * A wrong label the model can reach, as the paper's "4" for π1 (12.8): an integer
 * off by one, or a fraction whose numerator slipped by one (then reduced, as the
 * world's solutions reduce: 8/21 → 9/21 → 3/7).
 */
const wrongLabel = (answer: string): string => {
  const n = Number(answer)
  if (Number.isInteger(n)) return String(n + 1)
  const m = /^(-?)\\frac\{(\d+)\}\{(\d+)\}$/.exec(answer)
  if (m === null) return "0"
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  const num = Number(m[2]) + 1
  const den = Number(m[3])
  const g = gcd(num, den)
  return den / g === 1 ? `${m[1]}${num / g}` : `${m[1]}\\frac{${num / g}}{${den / g}}`
}

/**
 * π1 and π13: ranked by historical variance (core's ranking) of the world's
 * stand-in history — the base model's 8-sample accuracy at T = 0.6 on a
 * stratified subset of world-train (`models/base/pi1-history.json` when the
 * world published it, else computed here with the world's `selectPi1` and
 * cached in packages/world/experiments/selection.json). No full-set RLVR history exists yet.
 */
const chooseExamples = (baseDir: string, pool: ReadonlyArray<Problem>) =>
  Effect.gen(function* () {
    const answerOf = (id: string): string => pool.find((p) => p.id === id)?.answer ?? "0"
    const p1 = flag("pi1")
    const p13 = flag("pi13")
    if (p1 !== undefined && p13 !== undefined) return { pi1: p1, pi13: p13, pi1WrongLabel: wrongLabel(answerOf(p1)), method: "given on the command line" } satisfies Examples
    if (fs.existsSync(SELECTION_FILE)) return JSON.parse(fs.readFileSync(SELECTION_FILE, "utf8")) as Examples
    const published = path.join(baseDir, "pi1-history.json")
    let history: ReadonlyArray<readonly [string, ReadonlyArray<number>]>
    let source: string
    if (fs.existsSync(published)) {
      history = Object.entries(JSON.parse(fs.readFileSync(published, "utf8")) as Record<string, ReadonlyArray<number>>)
      source = `the world's published stand-in history (${path.relative(ROOT, published)})`
    } else {
      yield* Console.error("no pi1-history.json beside the base model: computing the stand-in history (base model, 8 samples, T=0.6)…")
      const sel = yield* Effect.scoped(
        Effect.gen(function* () {
          const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(baseDir), (p) => p.dispose)
          return yield* selectPi1(policy.generate, pool)
        })
      )
      history = sel.history
      source = "a stand-in history computed by record-runs.ts with the world's selectPi1 (base model, 8 samples at T=0.6, 2 problems per cell of world-train)"
    }
    const ranked = rankByHistoricalVariance(history)
    const r1 = ranked[0]
    const r13 = ranked[12] ?? ranked[ranked.length - 1]
    if (r1 === undefined || r13 === undefined) return yield* Effect.die(new Error("empty selection history"))
    const ex: Examples = {
      pi1: r1.id,
      pi13: r13.id,
      pi1WrongLabel: wrongLabel(answerOf(r1.id)),
      method: `ranks 1 and ${ranked.indexOf(r13) + 1} of ${ranked.length} by historical variance (core rankByHistoricalVariance) of ${source}; no full-set RLVR history of this world was recorded before these runs`
    }
    fs.writeFileSync(SELECTION_FILE + ".tmp", JSON.stringify({ ...ex, base: path.relative(ROOT, baseDir), ranked: ranked.slice(0, 20) }, null, 2) + "\n")
    fs.renameSync(SELECTION_FILE + ".tmp", SELECTION_FILE)
    return ex
  })

/** Copies a finished run's log to `<outDir>/<name>.jsonl` atomically. */
const publishRun = (runDir: string, outDir: string, name: string): string => {
  const target = path.join(outDir, `${name}.jsonl`)
  fs.copyFileSync(path.join(runDir, "runlog.jsonl"), target + ".tmp")
  fs.renameSync(target + ".tmp", target)
  return target
}

/**
 * The data-selection run and its ranking (see the header comment). Writes
 * packages/world/experiments/selection.json and selection-history.json.
 */
const runSelection = (sizing: Sizing, baseDir: string, pool: ReadonlyArray<Problem>, outDir: string, workDir: string) =>
  Effect.gen(function* () {
    const perCell = num("select-per-cell", 4)
    const epochs = num("select-epochs", 6)
    const slice = stratifiedSubset(pool, perCell)
    let target = path.join(outDir, "selection-full-set.jsonl")
    if (fs.existsSync(target) && !has("select-rerun")) {
      yield* Console.error(`selection-full-set: ranking the recorded ${path.relative(ROOT, target)} (--select-rerun records it again)`)
    } else {
      const runDir = path.join(workDir, "selection-full-set")
      fs.rmSync(runDir, { recursive: true, force: true })
      const config = yield* decodeConfig(
        JSON.parse(JSON.stringify(selectionConfig(slice.map((p) => p.id), epochs, sizing, baseDir, runDir))) as unknown,
        "experiment selection-full-set"
      )
      const t0 = Date.now()
      yield* Console.error(`[${new Date().toISOString()}] selection-full-set: ${slice.length} examples × ${epochs} epochs (${config.trainer.steps} steps of ${config.trainer.batchSize}) → ${runDir}`)
      yield* train(config, policySourceFor(config), { quiet: !has("progress") })
      fs.mkdirSync(outDir, { recursive: true })
      target = publishRun(runDir, outDir, "selection-full-set")
      yield* Console.error(`[${new Date().toISOString()}] selection-full-set: done in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${path.relative(ROOT, target)}`)
    }
    const lines = yield* readRunLog(target)
    const history = accuracyHistory(lines)
    // Eligible: solved at least once in the first epoch (i.e. by the base model). The paper's π1 is
    // solved by its base model in ~6% of samples, and 1024 rollouts a step find it; with 32 rollouts
    // a step, an example the base model never solves gives no reward at all (the raw rank 1 here,
    // world-train/0010, gave reward 0 in 18 of its first 19 1-shot steps).
    const eligible = history.filter(([, xs]) => (xs[0] ?? 0) > 0)
    const rawFirst = rankByHistoricalVariance(history)[0]
    const ranked = rankByHistoricalVariance(eligible)
    const at = (k: number) => ranked[Math.min(k, ranked.length) - 1]!.id
    const neverSolved = history.filter(([, xs]) => xs.every((x) => x === 0)).map(([id]) => id)
    const answerOf = (id: string): string => pool.find((p) => p.id === id)?.answer ?? "0"
    const ex: Examples = {
      pi1: at(1),
      pi2: at(2),
      pi13: at(13),
      ...(neverSolved[0] === undefined ? {} : { pi1207: neverSolved[0] }),
      pi1WrongLabel: wrongLabel(answerOf(at(1))),
      method:
        `ranks 1, 2 and 13 by historical variance (core rankByHistoricalVariance) of the per-example training accuracy ` +
        `of the selection-full-set run (GRPO, ${slice.length} world-train examples, ${perCell} per subject × level cell, ${epochs} epochs, 8 rollouts each), ` +
        `among the ${eligible.length} examples solved at least once in its first epoch (raw rank 1 ${rawFirst?.id ?? "-"} was not); ` +
        `π1207 analogue = the first of the ${neverSolved.length} examples it never solved`
    }
    const historyFile = path.join(EXPERIMENTS_DIR, "selection-history.json")
    fs.writeFileSync(historyFile + ".tmp", accuracyHistoryJson(history) + "\n")
    fs.renameSync(historyFile + ".tmp", historyFile)
    fs.writeFileSync(SELECTION_FILE + ".tmp", JSON.stringify({ ...ex, base: path.relative(ROOT, baseDir), ranked: ranked.slice(0, 20) }, null, 2) + "\n")
    fs.renameSync(SELECTION_FILE + ".tmp", SELECTION_FILE)
    yield* Console.error(`selection: π1 ${ex.pi1}, π2 ${ex.pi2}, π13 ${ex.pi13}, π1207 analogue ${ex.pi1207 ?? "none"} → ${path.relative(ROOT, SELECTION_FILE)}`)
  })

const program = Effect.gen(function* () {
  const sizing: Sizing = {
    ...DEFAULT_SIZING,
    steps: num("steps", DEFAULT_SIZING.steps),
    batchSize: num("batch", DEFAULT_SIZING.batchSize),
    rollouts: num("rollouts", DEFAULT_SIZING.rollouts),
    maxTokens: num("max-tokens", DEFAULT_SIZING.maxTokens),
    lr: num("lr", DEFAULT_SIZING.lr),
    evalEvery: num("eval-every", DEFAULT_SIZING.evalEvery),
    microBatchSize: num("micro-batch", DEFAULT_SIZING.microBatchSize),
    seed: num("seed", DEFAULT_SIZING.seed),
    evalBenchmarks: has("shifted") ? ["world-math500-sub", "world-hard-sub"] : ["world-math500-sub"]
  }
  const perCell = num("per-cell", 2)
  const outDir = path.resolve(flag("out") ?? path.join(ROOT, "packages", "repro", "runs", "world-cpu"))
  const workDir = path.resolve(flag("work") ?? "/tmp/oneshot-runs")
  const baseDir = findBase()
  const pool = yield* readSplit("world-train")
  const evaluator = worldEvaluatorLayer(perCell)
  if (has("select") && !has("list") && !has("dry-run")) yield* runSelection(sizing, baseDir, pool, outDir, workDir).pipe(Effect.provide(evaluator))
  const examples = yield* chooseExamples(baseDir, pool)
  const names = experimentNames(examples)
  if (has("list")) {
    yield* Console.log(`${names.join("\n")}\n(π1 = ${examples.pi1}, π13 = ${examples.pi13}: ${examples.method})`)
    return
  }
  const only = flag("only")?.split(",").filter((s) => s.length > 0) ?? names
  for (const n of only) if (!names.includes(n)) throw new Error(`--only: unknown experiment ${JSON.stringify(n)}; expected some of ${names.join(", ")}`)
  yield* Console.error(`base ${baseDir}; π1 ${examples.pi1}, π13 ${examples.pi13}; eval on ${sizing.evalBenchmarks.join(" + ")} (${perCell} per subject × level cell) every ${sizing.evalEvery} steps`)
  fs.mkdirSync(outDir, { recursive: true })
  const until = flag("until")
  const deadline = until === undefined ? undefined : Date.parse(until)
  if (deadline !== undefined && !Number.isFinite(deadline)) throw new Error(`--until: expected an ISO date-time (e.g. 2026-11-26T05:40:00Z), got ${JSON.stringify(until)}`)
  for (const name of only) {
    if (deadline !== undefined && Date.now() > deadline) {
      yield* Console.error(`[${new Date().toISOString()}] past --until ${until}: not starting ${name}`)
      continue
    }
    const runDir = path.join(workDir, name)
    fs.rmSync(runDir, { recursive: true, force: true })
    const raw = JSON.parse(JSON.stringify(experimentConfig(name, sizing, examples, baseDir, runDir))) as unknown
    const config = yield* decodeConfig(raw, `experiment ${name}`)
    if (has("dry-run")) {
      yield* Console.log(JSON.stringify(config, null, 2))
      continue
    }
    const t0 = Date.now()
    yield* Console.error(`[${new Date().toISOString()}] ${name}: ${sizing.steps} steps → ${runDir}`)
    yield* train(config, policySourceFor(config), { quiet: !has("progress") }).pipe(Effect.provide(evaluator))
    const target = publishRun(runDir, outDir, name)
    yield* Console.error(`[${new Date().toISOString()}] ${name}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${path.relative(ROOT, target)}`)
  }
})

Effect.runPromise(program.pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})

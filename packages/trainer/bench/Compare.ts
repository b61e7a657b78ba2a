/**
 * `npm run bench -w @oneshot/trainer -- --compare`: the RL step today
 * (in-process policy, no skips: the single-core baseline) against the new
 * path (worker-thread replicas, the redundant old-log-prob pass skipped,
 * length-bucketed micro-batches), in one invocation, on
 * - the organism's 1-shot GRPO config (the world base model, π1 × 4 prompts
 *   × 8 rollouts, ≤ 240 tokens, KL and entropy on, micro-batches of 16), and
 * - a 128-rollout config (16 world-train prompts × 8).
 * Each case runs `--steps` steps (default 3); the first is a warm-up and is
 * not counted. Prints rollouts/s, s/step (with min–max), CPU s/step (all
 * threads), per-stage times, then the PyTorch step ratio when
 * `/usr/bin/python3 -c "import torch"` works, and as the last line
 * `speedup: X.XX× rollouts/s vs the single-core baseline` (organism config).
 * Options: --steps N, --workers N (default: the number of cores), --no-torch, --organism-only.
 */
import type { RunLogLine } from "@oneshot/core"
import { VerifierLive } from "@oneshot/verifier"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { decodeConfig } from "../src/Config.ts"
import { policySourceFor } from "../src/PolicySource.ts"
import type { RunSink } from "../src/RunSink.ts"
import { readRunLog, train, type TrainOptions } from "../src/Trainer.ts"
import { workerReplicas } from "../src/WorkerReplicas.ts"

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, "..", "..", "..")
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const steps = Number(arg("steps") ?? 3)
const workers = Number(arg("workers") ?? cpus().length)

/** The organism's experiment config (packages/repro/experiments/Experiments.ts, base + 1shot-pi1), eval off. */
const organism = (runDir: string, prompts: number, pool: boolean) => ({
  experiment: pool ? "full-set" : "1shot-pi1",
  seed: 0,
  model: { path: join(root, "packages/world/models/base") },
  data: {
    train: join(root, "packages/world/data/world-train.jsonl"),
    ...(pool ? {} : { ids: ["world-train/0114"], duplicateTo: prompts }),
    promptTemplate: "Q: {prompt}\nA: "
  },
  algorithm: { advEstimator: "grpo" },
  actor: { pgCoef: 1, entropyCoef: 0.001, klCoef: 0.001, microBatchSize: 16, optimizer: { lr: 2e-4, weightDecay: 0.01, gradClip: 1, schedule: { _tag: "constant" } } },
  rollout: { n: 8, temperature: 0.6, maxTokens: 240 },
  reward: { mode: "deepscaler" },
  trainer: { steps, batchSize: prompts, checkpointEvery: 1000, keepCheckpoints: 1, generationsEvery: 0, runDir }
})

interface Measured {
  readonly label: string
  readonly rollouts: number
  readonly stepS: ReadonlyArray<number>
  readonly cpuS: number
  readonly stages: Record<string, number>
  readonly responseLength: number
}

const STAGES = ["gen", "reward", "old_log_prob", "ref", "adv", "update"] as const

const measure = (label: string, raw: unknown, options: TrainOptions) =>
  Effect.gen(function* () {
    const config = yield* decodeConfig(raw)
    // CPU time (all threads of the process) at each step line: the counted steps' CPU excludes start-up and the warm-up step.
    const cpuAtStep: Array<number> = []
    const cpuClock: RunSink = {
      write: (line) =>
        Effect.sync(() => {
          if (line._tag !== "step" || line.step === 0) return
          const c = process.cpuUsage()
          cpuAtStep.push((c.user + c.system) / 1e6)
        })
    }
    yield* train(config, policySourceFor(config), { quiet: true, ...options, sinks: [cpuClock] })
    const lines: ReadonlyArray<RunLogLine> = yield* readRunLog(join(config.trainer.runDir, "runlog.jsonl"))
    const all = lines.flatMap((l) => (l._tag === "step" && l.step > 0 ? [l.metrics] : []))
    const counted = all.slice(1)
    const mean = (k: string) => counted.reduce((s, m) => s + (m[k] ?? 0), 0) / Math.max(1, counted.length)
    const totalStep = all.reduce((s, m) => s + (m["timing_s/step"] ?? 0), 0)
    const m: Measured = {
      label,
      rollouts: config.trainer.batchSize * config.rollout.n,
      stepS: counted.map((x) => x["timing_s/step"] ?? 0),
      cpuS: (cpuAtStep.at(-1)! - cpuAtStep[0]!) / Math.max(1, cpuAtStep.length - 1),
      stages: Object.fromEntries(STAGES.map((s) => [s, mean(`timing_s/${s}`)])),
      responseLength: mean("response_length/mean")
    }
    const sps = mean("timing_s/step")
    console.log(
      `${label.padEnd(44)} ${(m.rollouts / sps).toFixed(2).padStart(6)} rollouts/s  ${sps.toFixed(2)} s/step (${Math.min(...m.stepS).toFixed(2)}–${Math.max(...m.stepS).toFixed(2)})  ` +
        `CPU ${m.cpuS.toFixed(2)} s/step  len ${m.responseLength.toFixed(0)}  ` +
        STAGES.map((s) => `${s} ${m.stages[s]!.toFixed(2)}`).join("  ") +
        `  (wall incl. start-up ${totalStep.toFixed(1)} s)`
    )
    return { ...m, sps }
  })

const torchRatio = (updateS: number, rows: number, width: number): string => {
  if (process.argv.includes("--no-torch")) return "PyTorch: skipped (--no-torch)"
  const probe = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" })
  if (probe.status !== 0) return "PyTorch: not available (/usr/bin/python3 -c 'import torch' failed)"
  const r = spawnSync("/usr/bin/python3", [join(here, "torch_step.py"), String(rows), String(width), "3", join(root, "packages/world/models/base/config.json")], {
    encoding: "utf8",
    timeout: 90_000
  })
  if (r.status !== 0) return `PyTorch: no result (${r.error?.message ?? r.stderr.trim().split("\n").at(-1)})`
  const t = JSON.parse(r.stdout.trim()) as { s_per_step: number; torch: string; threads: number }
  return `PyTorch ${t.torch} eager CPU (${t.threads} threads), same model shape, ${rows}×${width} update step: ${t.s_per_step.toFixed(2)} s; ours (update stage, new path) ${updateS.toFixed(2)} s: ratio ${(t.s_per_step / updateS).toFixed(2)}× (>1: ours faster)`
}

const program = Effect.gen(function* () {
  const dir = mkdtempSync(join(tmpdir(), "oneshot-compare-"))
  const load = () => loadavg().map((x) => x.toFixed(2)).join(" ")
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load ${load()} (1/5/15 min), node ${process.version}, wasm; ${steps} steps per case, the first not counted`)
  const baseline = {} as const
  const fast: TrainOptions = { replicas: workerReplicas(workers), skipRedundant: true, pack: true }
  if (process.argv.includes("--ablate")) {
    yield* measure("organism, 1 core + skip + pack", organism(join(dir, "a1"), 4, false), { skipRedundant: true, pack: true })
    yield* measure("organism, 1 worker thread + skip + pack", organism(join(dir, "a2"), 4, false), { ...fast, replicas: workerReplicas(1) })
  }
  const o1 = yield* measure("organism 1-shot GRPO 4×8, today (1 core)", organism(join(dir, "o1"), 4, false), baseline)
  const o2 = yield* measure(`organism 1-shot GRPO 4×8, new (${workers} workers)`, organism(join(dir, "o2"), 4, false), fast)
  if (!process.argv.includes("--organism-only")) {
    const b1 = yield* measure("128 rollouts 16×8, today (1 core)", organism(join(dir, "b1"), 16, true), baseline)
    const b2 = yield* measure(`128 rollouts 16×8, new (${workers} workers)`, organism(join(dir, "b2"), 16, true), fast)
    console.log(`128-rollout config: ${(b1.sps / b2.sps).toFixed(2)}× rollouts/s vs its single-core baseline; CPU time per step ${(b1.cpuS / b2.cpuS).toFixed(2)}× less`)
  }
  console.log(`organism config: CPU time per step ${(o1.cpuS / o2.cpuS).toFixed(2)}× less (the skips and packing; workers add cores, not CPU time)`)
  console.log(torchRatio(o2.stages["update"]!, o2.rollouts, Math.round(o2.responseLength) + 40))
  console.log(`load after: ${load()}`)
  console.log(`speedup: ${(o1.sps / o2.sps).toFixed(2)}× rollouts/s vs the single-core baseline`)
})

Effect.runPromise(program.pipe(Effect.provide(VerifierLive))).catch((e) => {
  console.error(String(e))
  process.exit(1)
})

/**
 * Step-time benchmark of the trainer on this machine: the demo task (GRPO
 * and PPO, 1-layer transformer) and the π1 preset with the `tiny` model
 * (4 layers, d=128) on real DSR-sub prompts (~400 prompt tokens), wasm.
 * Run: `npm run bench -w @oneshot/trainer`. Prints one JSON line per case.
 * With `-- --compare`: today's single-core step against the new path (bench/Compare.ts).
 */
import { VerifierLive } from "@oneshot/verifier"
import { Effect } from "effect"
import { mkdtempSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { loadConfig } from "../src/Presets.ts"
import { policySourceFor } from "../src/PolicySource.ts"
import { readRunLog, train } from "../src/Trainer.ts"

const cases: ReadonlyArray<readonly [string, string, ReadonlyArray<string>]> = [
  ["demo GRPO (1 layer d=32, 5 prompts × 8, 1 token)", "demo-next-digit", ["trainer.steps=20"]],
  ["demo PPO (same, GAE + value head)", "demo-next-digit-ppo", ["trainer.steps=20"]],
  [
    "π1 GRPO, tiny model (4 layers d=128), 4 prompts × 8, ≤32 tokens, micro-batches of 8",
    "1shot-pi1",
    ['model.init={"preset":"tiny","seed":0}', "trainer.batchSize=4", "rollout.maxTokens=32", "trainer.steps=3", "eval.every=0", "actor.microBatchSize=8"]
  ]
]

const program = Effect.gen(function* () {
  for (const [label, preset, sets] of cases) {
    const runDir = join(mkdtempSync(join(tmpdir(), "oneshot-bench-")), "run")
    const config = yield* loadConfig({ preset, sets: [...sets, `trainer.runDir=${runDir}`] })
    const t0 = performance.now()
    yield* train(config, policySourceFor(config), { quiet: true })
    const wall = (performance.now() - t0) / 1000
    const steps = (yield* readRunLog(join(runDir, "runlog.jsonl"))).flatMap((l) => (l._tag === "step" && l.step > 0 ? [l.metrics] : []))
    const mean = (k: string) => steps.reduce((s, m) => s + (m[k] ?? 0), 0) / steps.length
    console.log(
      JSON.stringify({
        case: label,
        device: `cpu (${cpus().length} cores), ${process.env["ONESHOT_BACKEND"] ?? "wasm"}`,
        steps: steps.length,
        wall_s: +wall.toFixed(2),
        "timing_s/step": +mean("timing_s/step").toFixed(3),
        "timing_s/gen": +mean("timing_s/gen").toFixed(3),
        "timing_s/update": +mean("timing_s/update").toFixed(3),
        "critic/score/mean first→last": [steps[0]?.["critic/score/mean"], steps.at(-1)?.["critic/score/mean"]]
      })
    )
  }
})

if (process.argv.includes("--compare")) {
  await import("./Compare.ts")
} else {
  Effect.runPromise(program.pipe(Effect.provide(VerifierLive))).catch((e) => {
    console.error(e)
    process.exit(1)
  })
}

/**
 * Records the powered runs (packages/repro/runs/README.md, "The powered-run
 * protocol"; configs in @oneshot/world/Powered): for each role and seed, a
 * run under the sweep's choice (`sweeps/world/choice.json`, which must
 * be complete), published to `<out>/<role>-seed<k>.jsonl`. Resumes: a
 * published run that reached its last step is skipped, a killed one continues
 * from its checkpoint in `--work`. To use both cores, start two processes
 * with disjoint `--only` lists (or `--seeds`).
 *
 *   npx tsx packages/repro/scripts/record-powered.ts [--only ROLE,…] [--seeds 0,1,2] [--base DIR]
 *     [--choice FILE] [--out packages/repro/runs/world-powered] [--work /tmp/oneshot-powered]
 *     [--until ISO-TIME] [--progress] [--list]
 */
import { decodeFailureSummary } from "@oneshot/core"
import { Backend, backendFromEnv } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { readSplit } from "@oneshot/world/Files"
import { fullSetIds, namedExamples } from "@oneshot/world/FullSet"
import { POWERED_ROLES, POWERED_SEEDS, POWERED_STEPS, poweredConfig, poweredRunName, SweepChoice } from "@oneshot/world/Powered"
import { recordedExamples } from "@oneshot/world/TrainPresets"
import { splitTrainingPool } from "@oneshot/world/Validation"
import { worldEvaluatorLayer } from "@oneshot/world/WorldEvaluator"
import { Console, Effect, Layer, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { deadlineOf, defaultBase, executionOf, isComplete, parseFlags, recordRun } from "./Recording.ts"

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
const flags = parseFlags(
  "record-powered",
  process.argv.slice(2),
  ["only", "seeds", "base", "choice", "out", "work", "until", "workers", "progress", "list"],
  "npx tsx packages/repro/scripts/record-powered.ts [--only ROLE,…] [--seeds 0,1,2] [--base DIR] [--choice FILE] [--out DIR] [--work DIR] [--until ISO-TIME] [--workers N] [--progress] [--list]"
)
const { flag, has } = flags

const program = Effect.gen(function* () {
  const only = flag("only")?.split(",").filter((s) => s !== "") ?? POWERED_ROLES
  for (const r of only) if (!POWERED_ROLES.includes(r)) throw new Error(`--only: unknown role ${JSON.stringify(r)}; expected some of ${POWERED_ROLES.join(", ")}`)
  const seeds = flag("seeds")?.split(",").map(Number) ?? POWERED_SEEDS
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds: expected non-negative integers like 0,1,2, got ${JSON.stringify(flag("seeds"))}`)
  const outDir = path.resolve(flag("out") ?? path.join(ROOT, "packages", "repro", "runs", "world-powered"))
  if (has("list")) {
    for (const role of only) for (const seed of seeds) yield* Console.log(`${poweredRunName(role, seed)}\t${fs.existsSync(path.join(outDir, `${poweredRunName(role, seed)}.jsonl`)) ? "published" : "to record"}`)
    return
  }
  const choiceFile = path.resolve(flag("choice") ?? path.join(ROOT, "packages", "repro", "sweeps", "world", "choice.json"))
  const choice = yield* Schema.decodeUnknown(Schema.parseJson(SweepChoice))(fs.existsSync(choiceFile) ? fs.readFileSync(choiceFile, "utf8") : "{}").pipe(
    Effect.mapError((e) => new Error(`${choiceFile}: expected the sweep's complete choice (run packages/repro/scripts/sweep.ts first): ${decodeFailureSummary(e)}`, { cause: e }))
  )
  const base = path.resolve(flag("base") ?? defaultBase())
  const workDir = path.resolve(flag("work") ?? "/tmp/oneshot-powered")
  const deadline = deadlineOf(flag("until"))
  const examples = yield* recordedExamples()
  const poolIds = fullSetIds(splitTrainingPool(yield* readSplit("world-train")).pool.map((p) => p.id), namedExamples(examples))
  yield* Console.error(`base ${path.relative(ROOT, base)}; choice ${JSON.stringify(choice.chosen)}; ${only.length} roles × seeds ${seeds.join(",")} → ${path.relative(ROOT, outDir)}`)
  for (const role of only) {
    for (const seed of seeds) {
      const name = poweredRunName(role, seed)
      const published = path.join(outDir, `${name}.jsonl`)
      if (yield* isComplete(published, POWERED_STEPS)) continue
      if (deadline !== undefined && Date.now() > deadline) {
        yield* Console.error(`[${new Date().toISOString()}] past --until: not starting ${name}`)
        return
      }
      yield* recordRun(name, poweredConfig(role, seed, choice.chosen, examples, base, path.join(workDir, name), poolIds), published, { ...executionOf(flags), quiet: !has("progress") })
    }
  }
})

Effect.runPromise(program.pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive, worldEvaluatorLayer().pipe(Layer.provide(VerifierLive)))))).catch(
  (e: unknown) => {
    console.error(`record-powered: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
)

/**
 * `npm run styles -w @oneshot/world -- --policy DIR`: measures a world policy's
 * latent skill on world-math500 (issue 15's targets for base model v2):
 * greedy accuracy and boxed ratio; at T = 0.6 with 8 samples, pass@8 vs mean@8
 * per category; the style of each response, accuracy per style and the style
 * mix per category; then the targets, met or not.
 *
 * Options: --policy DIR (default: the committed base model), --per-cell N
 * (first N problems of each category × level cell; default all 500), --k 8,
 * --temperature 0.6, --seed 1, --out FILE (the report and records as JSON).
 * Exit 0 after a measurement (targets met or not), 2 on bad arguments.
 */
import { Backend, backendFromEnv, PolicyLive } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { Console, Effect, Layer } from "effect"
import * as path from "node:path"
import { parseArgs } from "node:util"
import { BASE_MODEL_DIR } from "../src/BaseModel.ts"
import { readSplit, writeFileAtomic } from "../src/Files.ts"
import { checkTargets, formatStyleReport, MEASURE_DEFAULTS, measureStyles, perCellSubset, summarizeStyles } from "../src/StyleEval.ts"

const positiveInt = (name: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name}: expected a positive integer, got ${JSON.stringify(v)}`)
    process.exit(2)
  }
  return n
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        policy: { type: "string" },
        "per-cell": { type: "string" },
        k: { type: "string" },
        temperature: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" }
      }
    })
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    return process.exit(2)
  }
})()

const temperature = values.temperature === undefined ? MEASURE_DEFAULTS.temperature : Number(values.temperature)
if (!(temperature > 0)) {
  console.error(`--temperature: expected a positive number, got ${JSON.stringify(values.temperature)}`)
  process.exit(2)
}
const options = {
  ...MEASURE_DEFAULTS,
  k: positiveInt("k", values.k, MEASURE_DEFAULTS.k),
  seed: positiveInt("seed", values.seed, MEASURE_DEFAULTS.seed),
  temperature
}
const perCell = values["per-cell"] === undefined ? undefined : positiveInt("per-cell", values["per-cell"], 1)
const policyDir = values.policy ?? BASE_MODEL_DIR

const program = Effect.scoped(
  Effect.gen(function* () {
    const problems = perCellSubset(yield* readSplit("world-math500"), perCell)
    const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(policyDir), (p) => p.dispose)
    const t0 = performance.now()
    const records = yield* measureStyles(policy.generate, problems, options)
    const report = summarizeStyles(records)
    yield* Console.error(`${path.relative(process.cwd(), policyDir) || policyDir}: ${problems.length} world-math500 problems, k=${options.k}, T=${options.temperature}, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    yield* Console.log(formatStyleReport(report))
    if (values.out !== undefined) {
      yield* writeFileAtomic(values.out, JSON.stringify({ policy: policyDir, options, perCell: perCell ?? null, report, targets: checkTargets(report), records }, null, 1) + "\n")
      yield* Console.error(`wrote ${values.out}`)
    }
  })
).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))

Effect.runPromise(program).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})

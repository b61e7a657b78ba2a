/**
 * The powered runs' sweep (packages/repro/runs/README.md, "The powered-run
 * protocol"; rounds and decision rule in @oneshot/world/Sweep): trains each
 * candidate of a round on `1shot-pi1`, scores it on the validation split,
 * keeps the round's winner, and goes on to the next round. Resumes: a run
 * whose log is already in `--out` with every scored step is not run again,
 * and a killed run continues from its last checkpoint in `--work`.
 *
 *   npx tsx packages/repro/scripts/sweep.ts [--base DIR] [--out packages/repro/sweeps/world]
 *     [--work /tmp/oneshot-sweep] [--until ISO-TIME] [--progress] [--dry-run]
 *
 * Writes `<out>/<run>.jsonl` per run and `<out>/choice.json` (scores per
 * round, the chosen point) after each round. The sweep's runs are tuning, not
 * evidence: they live outside `runs/`, so `npm run repro` does not read them.
 */
import { Backend, backendFromEnv } from "@oneshot/policy"
import { readRunLog } from "@oneshot/trainer/Trainer"
import { VerifierLive } from "@oneshot/verifier"
import { roundWinner, SWEEP_ROUNDS, SWEEP_START, sweepConfig, type SweepPoint, sweepRunName, sweepScore } from "@oneshot/world/Sweep"
import { recordedExamples } from "@oneshot/world/TrainPresets"
import { VALIDATION_BENCHMARK } from "@oneshot/world/Validation"
import { worldEvaluatorLayer } from "@oneshot/world/WorldEvaluator"
import { Console, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { deadlineOf, defaultBase, executionOf, parseFlags, recordRun } from "./Recording.ts"

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
const flags = parseFlags(
  "sweep",
  process.argv.slice(2),
  ["base", "out", "work", "until", "workers", "progress", "dry-run"],
  "npx tsx packages/repro/scripts/sweep.ts [--base DIR] [--out DIR] [--work DIR] [--until ISO-TIME] [--workers N] [--progress] [--dry-run]"
)
const { flag, has } = flags


/** Validation accuracy per step from a run log (eval lines on world-val). */
const validationCurve = (file: string) =>
  Effect.map(readRunLog(file), (lines) => {
    const out = new Map<number, number>()
    for (const l of lines) if (l._tag === "eval" && l.summary.benchmark === VALIDATION_BENCHMARK) out.set(l.step, l.summary.accuracy)
    return out
  })

const program = Effect.gen(function* () {
  const base = path.resolve(flag("base") ?? defaultBase())
  const outDir = path.resolve(flag("out") ?? path.join(ROOT, "packages", "repro", "sweeps", "world"))
  const workDir = path.resolve(flag("work") ?? "/tmp/oneshot-sweep")
  const until = flag("until")
  const deadline = deadlineOf(until)
  const examples = yield* recordedExamples()
  fs.mkdirSync(outDir, { recursive: true })

  /** The score of point `p`: from its published log, else by training it (unless past the deadline). */
  const scoreOf = (p: SweepPoint) =>
    Effect.gen(function* () {
      const name = sweepRunName(p)
      const published = path.join(outDir, `${name}.jsonl`)
      if (fs.existsSync(published)) {
        const s = sweepScore(yield* validationCurve(published))
        if (s !== undefined) return s
      }
      if (has("dry-run")) {
        yield* Console.log(`${name}: would run (${JSON.stringify(p)})`)
        return undefined
      }
      if (deadline !== undefined && Date.now() > deadline) {
        yield* Console.error(`[${new Date().toISOString()}] past --until ${until}: not starting ${name}`)
        return undefined
      }
      yield* recordRun(name, sweepConfig(p, examples, base, path.join(workDir, name)), published, { ...executionOf(flags), quiet: !has("progress") })
      const s = sweepScore(yield* validationCurve(published))
      yield* Console.error(`${name}: score ${s?.toFixed(4) ?? "-"}`)
      return s
    })

  let point = SWEEP_START
  const rounds: Array<{ round: string; scores: Array<{ value: number; run: string; score: number | null }>; winner: number | null }> = []
  for (const round of SWEEP_ROUNDS) {
    const scores: Array<{ value: number; run: string; score: number | null }> = []
    for (const v of round.values) {
      const p = round.set(point, v)
      scores.push({ value: v, run: sweepRunName(p), score: (yield* scoreOf(p)) ?? null })
    }
    const complete = scores.every((s) => s.score !== null)
    const winner = complete ? roundWinner(scores.map((s) => [s.value, s.score!] as const)) : null
    rounds.push({ round: round.name, scores, winner })
    const choice = { base: path.relative(ROOT, base), rounds, chosen: complete ? round.set(point, winner!) : null, complete: false }
    if (!has("dry-run")) {
      fs.writeFileSync(path.join(outDir, "choice.json.tmp"), JSON.stringify(choice, null, 2) + "\n")
      fs.renameSync(path.join(outDir, "choice.json.tmp"), path.join(outDir, "choice.json"))
    }
    if (winner === null) {
      yield* Console.error(`round ${round.name}: not every candidate is scored yet; stopping (run again to continue)`)
      return
    }
    point = round.set(point, winner)
    yield* Console.error(`round ${round.name}: ${scores.map((s) => `${s.value}→${s.score?.toFixed(4)}`).join(", ")}; chosen ${winner}`)
  }
  if (!has("dry-run")) {
    const file = path.join(outDir, "choice.json")
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ base: path.relative(ROOT, base), rounds, chosen: point, complete: true }, null, 2) + "\n")
    fs.renameSync(`${file}.tmp`, file)
  }
  yield* Console.log(JSON.stringify(point))
})

Effect.runPromise(program.pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive, worldEvaluatorLayer().pipe(Layer.provide(VerifierLive)))))).catch(
  (e: unknown) => {
    console.error(`sweep: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  }
)

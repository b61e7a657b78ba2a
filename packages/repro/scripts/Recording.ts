/**
 * What the recording scripts (sweep.ts, record-powered.ts) share: their flag
 * parsing (an unknown flag must not start hours of recording), and recording
 * one run so that nothing is lost — trained in a work directory with
 * checkpoints, resumed after a kill, its log published atomically.
 */
import { decodeConfig } from "@oneshot/trainer/Config"
import { policySourceFor } from "@oneshot/trainer/PolicySource"
import type { Json } from "@oneshot/trainer/Presets"
import { readRunLog, train, type TrainOptions } from "@oneshot/trainer/Trainer"
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { currentBaseDir } from "@oneshot/world/BaseModel"

export interface Flags {
  readonly flag: (name: string) => string | undefined
  readonly has: (name: string) => boolean
}

/** Parses `--name value` / `--name` flags; exits 2 on an unknown one, 0 after printing `usage` for --help. */
export const parseFlags = (script: string, argv: ReadonlyArray<string>, known: ReadonlyArray<string>, usage: string): Flags => {
  const all = new Set([...known, "help"])
  for (const a of argv) {
    if (a.startsWith("--") && !all.has(a.slice(2))) {
      console.error(`${script}: unknown flag ${a}; expected one of ${[...all].map((f) => `--${f}`).join(", ")}`)
      process.exit(2)
    }
  }
  if (argv.includes("--help")) {
    console.log(usage)
    process.exit(0)
  }
  return {
    flag: (name) => {
      const i = argv.indexOf(`--${name}`)
      return i >= 0 ? argv[i + 1] : undefined
    },
    has: (name) => argv.includes(`--${name}`)
  }
}

/**
 * How the recorders compute a run: skipping the redundant old-log-prob pass
 * and packing micro-batches always (the same numbers, up to float rounding),
 * and with `--workers N` policy replicas in N worker threads (the sampled
 * tokens then depend on N, which the run header records). A run resumed with
 * other settings than it started with says so in its second header.
 */
export const executionOf = (flags: Flags): TrainOptions => {
  const w = flags.flag("workers")
  if (w !== undefined && !(Number.isInteger(Number(w)) && Number(w) >= 1)) throw new Error(`--workers: expected an integer ≥ 1, got ${JSON.stringify(w)}`)
  return { skipRedundant: true, pack: true, ...(w === undefined ? {} : { workers: Number(w) }) }
}

/** The base model of the powered runs and their sweep (world `currentBaseDir`: v2 when published). */
export const defaultBase = (): string => currentBaseDir()

/** `--until ISO-TIME` as epoch milliseconds (undefined when absent); throws on a malformed time. */
export const deadlineOf = (until: string | undefined): number | undefined => {
  if (until === undefined) return undefined
  const t = Date.parse(until)
  if (!Number.isFinite(t)) throw new Error(`--until: expected an ISO date-time (e.g. 2026-12-03T09:00:00Z), got ${JSON.stringify(until)}`)
  return t
}

/** Whether a published run log reached step `steps`. */
export const isComplete = (file: string, steps: number) =>
  fs.existsSync(file) ? Effect.map(readRunLog(file), (lines) => lines.some((l) => l._tag === "step" && l.step === steps)) : Effect.succeed(false)

/**
 * Trains `raw` (a trainer config whose `trainer.runDir` is the work
 * directory), resuming from the run's last checkpoint if one is there, then
 * copies its log to `published` (temp + rename).
 */
export const recordRun = (label: string, raw: Json, published: string, options: TrainOptions = {}) =>
  Effect.gen(function* () {
    const config = yield* decodeConfig(JSON.parse(JSON.stringify(raw)) as unknown, label)
    const t0 = Date.now()
    yield* Console.error(`[${new Date().toISOString()}] ${label}: ${config.trainer.steps} steps × ${config.trainer.batchSize * config.rollout.n} rollouts → ${config.trainer.runDir}`)
    yield* train(config, policySourceFor(config), { ...options, resume: true })
    fs.mkdirSync(path.dirname(published), { recursive: true })
    fs.copyFileSync(path.join(config.trainer.runDir, "runlog.jsonl"), `${published}.tmp`)
    fs.renameSync(`${published}.tmp`, published)
    yield* Console.error(`[${new Date().toISOString()}] ${label}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${published}`)
  })

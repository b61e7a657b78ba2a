/**
 * How a run starts: a fresh run in an empty directory, or a resume from the
 * latest checkpoint with the same config (only its length and bookkeeping
 * may change); the run's environment for its header. Separate from the step
 * loop, so the resume policy reads in one place.
 */
import { FileError, InvalidInput, type RunEnvironment } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Clock, Effect, Option } from "effect"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { latestCheckpoint, type LoadedCheckpoint } from "./Checkpoint.ts"
import { encodeConfig, type TrainConfig } from "./Config.ts"
import { rewindRunLog, runLogSize } from "./RunLogFile.ts"

/** A file-name tag from the clock (orphaned run-log tails, run ids). */
export const clockTag = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms).toISOString().replace(/[:.]/g, "-"))

/** Fields a resumed run may change: how long, how often it saves/evaluates/logs, where it computes. */
const RESUMABLE_CHANGES = [/^trainer\.(steps|checkpointEvery|keepCheckpoints|generationsEvery|generationsLogged)$/, /^eval\./, /^model\.backend$/, /^tags/]

/** Dotted paths where two JSON values differ. */
export const jsonDiff = (a: unknown, b: unknown, path = ""): Array<string> => {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    return [...keys].flatMap((k) => jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === "" ? k : `${path}.${k}`))
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path]
}

/** A resume must not change what the run computes (data, algorithm, seeds…); it may change its length and bookkeeping. */
export const checkResumeConfig = (logPath: string, config: TrainConfig): Effect.Effect<void, InvalidInput | FileError> =>
  Effect.gen(function* () {
    const first = yield* Effect.try({
      try: () => readFileSync(logPath, "utf8").split("\n", 1)[0] ?? "",
      catch: (e) => new FileError({ path: logPath, operation: "read", reason: String(e), cause: e })
    })
    let previous: unknown
    try {
      previous = (JSON.parse(first) as { config?: unknown }).config
    } catch {
      return
    }
    const changed = jsonDiff(previous, encodeConfig(config)).filter((p) => !RESUMABLE_CHANGES.some((r) => r.test(p)))
    if (changed.length > 0) {
      return yield* new InvalidInput({
        input: `--resume of ${logPath}`,
        expected: "the run's own config (only trainer.steps, checkpoint/log/eval frequencies, model.backend and tags may change)",
        actual: `changed ${changed.join(", ")}`
      })
    }
  })

export const environment = (gitCommit: Option.Option<string>): RunEnvironment => {
  const backend = tf.getBackend()
  return {
    backend,
    device: backend === "webgpu" || backend === "tensorflow" || backend === "webgl" ? `gpu (${backend})` : `cpu (${cpus().length} cores)`,
    node: process.version,
    tfjs: tf.version.tfjs,
    ...(Option.isSome(gitCommit) ? { gitCommit: gitCommit.value } : {})
  }
}

/**
 * Prepares `config.trainer.runDir` and returns the checkpoint to continue
 * from (with `resume`), or undefined for a fresh start. Refuses a directory
 * that already holds a run unless resuming; a resume of a run killed before
 * its first checkpoint starts over, keeping the old lines aside.
 */
export const openRun = (config: TrainConfig, logPath: string, resume: boolean): Effect.Effect<LoadedCheckpoint | undefined, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const runDir = config.trainer.runDir
    yield* Effect.try({ try: () => mkdirSync(runDir, { recursive: true }), catch: (e) => new FileError({ path: runDir, operation: "create", reason: String(e), cause: e }) })
    const ckpt = resume ? yield* latestCheckpoint(runDir) : undefined
    if (ckpt === undefined && runLogSize(logPath) > 0) {
      if (!resume || existsSync(join(runDir, "checkpoints", "latest.json"))) {
        return yield* new InvalidInput({
          input: `trainer.runDir ${runDir}`,
          expected: "an empty run directory (or --resume to continue the run in it)",
          actual: "it already holds a run log"
        })
      }
      yield* rewindRunLog(logPath, 0, `restart-${yield* clockTag}`)
    }
    if (ckpt !== undefined) yield* checkResumeConfig(logPath, config)
    return ckpt
  })

/**
 * Trainer checkpoints: `<runDir>/checkpoints/step_<N>/` holds the policy
 * (`policy/`, via `Policy.save`), the optimizer states, and `state.json`
 * (completed steps, data position, RNG seed/streams, run-log size). A
 * checkpoint is written to a temporary directory and renamed into place, then
 * `latest.json` is replaced atomically, so a kill -9 at any moment leaves the
 * previous checkpoint intact.
 */
import { FileError, InvalidInput } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { OptimizerState } from "./Optimizer.ts"

export const TrainerState = Schema.Struct({
  /** Steps completed (the next step to run is `step + 1`, 1-based as logged). */
  step: Schema.Int,
  /** Rows consumed so far (`step · batchSize`); the batch order is a pure function of (seed, step). */
  dataPosition: Schema.Int,
  /** Random state: every draw is a function of (seed, stream, step), so the seed is the whole state. */
  rng: Schema.Struct({ seed: Schema.Int, algorithm: Schema.String }),
  /** Run-log size in bytes when this checkpoint was written. */
  runLogBytes: Schema.Int,
  runId: Schema.String,
  actor: OptimizerState,
  critic: Schema.optional(OptimizerState)
})
export type TrainerState = typeof TrainerState.Type

export const checkpointsDir = (runDir: string): string => join(runDir, "checkpoints")
export const checkpointDir = (runDir: string, step: number): string => join(checkpointsDir(runDir), `step_${String(step).padStart(6, "0")}`)

const fileError = (path: string, operation: string) => (e: unknown) =>
  new FileError({ path, operation, reason: e instanceof Error ? e.message : String(e) })

/** Writes a file atomically (temp + rename). */
export const writeAtomic = (path: string, text: string): Effect.Effect<void, FileError> =>
  Effect.try({
    try: () => {
      writeFileSync(`${path}.tmp`, text)
      renameSync(`${path}.tmp`, path)
    },
    catch: fileError(path, "write")
  })

/**
 * Writes a checkpoint: `savePolicy(dir)` must write the policy into `dir`.
 * Returns the checkpoint directory.
 */
export const writeCheckpoint = <E>(
  runDir: string,
  state: TrainerState,
  savePolicy: (dir: string) => Effect.Effect<void, E>
): Effect.Effect<string, E | FileError> =>
  Effect.gen(function* () {
    const final = checkpointDir(runDir, state.step)
    const tmp = `${final}.tmp`
    yield* Effect.try({
      try: () => {
        rmSync(tmp, { recursive: true, force: true })
        mkdirSync(tmp, { recursive: true })
      },
      catch: fileError(tmp, "create")
    })
    yield* savePolicy(join(tmp, "policy"))
    yield* Effect.try({ try: () => writeFileSync(join(tmp, "state.json"), JSON.stringify(Schema.encodeSync(TrainerState)(state))), catch: fileError(tmp, "write state to") })
    yield* Effect.try({
      try: () => {
        rmSync(final, { recursive: true, force: true })
        renameSync(tmp, final)
      },
      catch: fileError(final, "move into place")
    })
    yield* writeAtomic(join(checkpointsDir(runDir), "latest.json"), JSON.stringify({ step: state.step, dir: final }))
    return final
  })

export interface LoadedCheckpoint {
  readonly dir: string
  readonly policyDir: string
  readonly state: TrainerState
}

/** The latest complete checkpoint of a run, or undefined when there is none. */
export const latestCheckpoint = (runDir: string): Effect.Effect<LoadedCheckpoint | undefined, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const latest = join(checkpointsDir(runDir), "latest.json")
    if (!existsSync(latest)) return undefined
    const pointer = yield* Effect.try({
      try: () => JSON.parse(readFileSync(latest, "utf8")) as { step: number; dir: string },
      catch: fileError(latest, "read")
    })
    const statePath = join(pointer.dir, "state.json")
    const state = yield* Effect.try({
      try: () => Schema.decodeUnknownSync(TrainerState)(JSON.parse(readFileSync(statePath, "utf8"))),
      catch: (e) => new InvalidInput({ input: statePath, expected: "a trainer state", actual: String(e).slice(0, 160) })
    })
    return { dir: pointer.dir, policyDir: join(pointer.dir, "policy"), state }
  })

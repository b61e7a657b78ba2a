/**
 * Trainer checkpoints: `<runDir>/checkpoints/step_<N>/` holds the policy
 * (`policy/`, via `Policy.save`), the optimizer moments (`*-optimizer.bin`, float32), and `state.json`
 * (completed steps, data position, RNG seed/streams, run-log size). A
 * checkpoint is written to a temporary directory and renamed into place, then
 * `latest.json` is replaced atomically, so a kill -9 at any moment leaves the
 * previous checkpoint intact.
 */
import { decodeFailureSummary, FileError, InvalidInput } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { OptimizerState } from "./Optimizer.ts"

/** Optimizer state on disk: step and shapes in `state.json`, moments as float32 in `<name>.bin` (m of every variable, then v). */
const OptimizerMeta = Schema.Struct({ step: Schema.Int, shapes: Schema.Array(Schema.Array(Schema.Int)), file: Schema.String })

const StoredState = Schema.Struct({
  step: Schema.Int,
  dataPosition: Schema.Int,
  rng: Schema.Struct({ seed: Schema.Int, algorithm: Schema.String }),
  runLogBytes: Schema.Int,
  runId: Schema.String,
  actor: OptimizerMeta,
  critic: Schema.optional(OptimizerMeta)
})

const toBinary = (o: OptimizerState): Buffer => {
  const f = new Float32Array([...o.m, ...o.v].reduce((n, a) => n + a.length, 0))
  let at = 0
  for (const a of [...o.m, ...o.v]) {
    f.set(a, at)
    at += a.length
  }
  return Buffer.from(f.buffer)
}

const fromBinary = (meta: typeof OptimizerMeta.Type, buf: Buffer, path: string): OptimizerState => {
  const f = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
  const sizes = meta.shapes.map((s) => s.reduce((a, b) => a * b, 1))
  const total = sizes.reduce((a, b) => a + b, 0)
  if (f.length !== 2 * total) throw new Error(`${path}: expected ${2 * total} float32 values, found ${f.length}`)
  let at = 0
  const take = () =>
    sizes.map((n) => {
      const out = Array.from(f.subarray(at, at + n))
      at += n
      return out
    })
  const m = take()
  const v = take()
  return { step: meta.step, shapes: meta.shapes, m, v }
}

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
  savePolicy: (dir: string) => Effect.Effect<void, E>,
  /** Keep only the newest `keep` checkpoints (0 = keep all). */
  keep = 0
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
    yield* Effect.try({
      try: () => {
        const stored: typeof StoredState.Type = {
          ...state,
          actor: { step: state.actor.step, shapes: state.actor.shapes, file: "actor-optimizer.bin" },
          critic: state.critic === undefined ? undefined : { step: state.critic.step, shapes: state.critic.shapes, file: "critic-optimizer.bin" }
        }
        writeFileSync(join(tmp, "actor-optimizer.bin"), toBinary(state.actor))
        if (state.critic !== undefined) writeFileSync(join(tmp, "critic-optimizer.bin"), toBinary(state.critic))
        writeFileSync(join(tmp, "state.json"), JSON.stringify(Schema.encodeSync(StoredState)(stored)))
      },
      catch: fileError(tmp, "write state to")
    })
    yield* Effect.try({
      try: () => {
        rmSync(final, { recursive: true, force: true })
        renameSync(tmp, final)
      },
      catch: fileError(final, "move into place")
    })
    yield* writeAtomic(join(checkpointsDir(runDir), "latest.json"), JSON.stringify({ step: state.step, dir: final }))
    if (keep > 0) {
      yield* Effect.try({
        try: () => {
          const old = readdirSync(checkpointsDir(runDir))
            .filter((d) => /^step_\d+$/.test(d))
            .sort()
          for (const d of old.slice(0, Math.max(0, old.length - keep))) rmSync(join(checkpointsDir(runDir), d), { recursive: true, force: true })
        },
        catch: fileError(checkpointsDir(runDir), "prune")
      })
    }
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
      try: (): TrainerState => {
        const stored = Schema.decodeUnknownSync(StoredState)(JSON.parse(readFileSync(statePath, "utf8")))
        const load = (meta: typeof OptimizerMeta.Type) => fromBinary(meta, readFileSync(join(pointer.dir, meta.file)), join(pointer.dir, meta.file))
        const { critic, ...rest } = stored
        return { ...rest, actor: load(stored.actor), ...(critic === undefined ? {} : { critic: load(critic) }) }
      },
      catch: (e) => new InvalidInput({ input: statePath, expected: "a trainer state with its optimizer files", actual: decodeFailureSummary(e), cause: e })
    })
    return { dir: pointer.dir, policyDir: join(pointer.dir, "policy"), state }
  })

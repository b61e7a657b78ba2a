/**
 * The world's experiments as `rlvr train` presets: `world-<experiment>`
 * (`world-1shot-pi1`, `world-full-set`, …) is the config the recorder used
 * for the recorded run of that role, from the committed base model, with
 * the recorded data selection (`experiments/selection.json`) and the
 * recorded sizing (`RECORDED_SIZING`), writing into `runs/world-<experiment>`. Distinct names
 * from the trainer's paper presets (`1shot-pi1` trains on DSR-sub).
 */
import { FileError, InvalidInput } from "@oneshot/core"
import type { Json } from "@oneshot/trainer/Presets"
import { Effect, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { BASE_MODEL_DIR } from "./BaseModel.ts"
import { type Examples, experimentConfig, experimentNames, RECORDED_SIZING, SELECTION_FILE } from "./Experiments.ts"

export const WORLD_PRESET_PREFIX = "world-"

const ExamplesFile = Schema.parseJson(
  Schema.Struct({
    pi1: Schema.String,
    pi13: Schema.String,
    pi2: Schema.optional(Schema.String),
    pi1207: Schema.optional(Schema.String),
    pi1WrongLabel: Schema.String,
    method: Schema.String
  })
)

/** The recorded data selection (π1, π2, π13, the π1207 analogue, π1's wrong label). */
export const recordedExamples = (file: string = SELECTION_FILE): Effect.Effect<Examples, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => fs.readFileSync(file, "utf8"),
      catch: (e) => new FileError({ path: file, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
    })
    return yield* Schema.decodeUnknown(ExamplesFile)(text).pipe(
      Effect.mapError((e) => new InvalidInput({ input: file, expected: "a data selection: {pi1, pi13, pi1WrongLabel, method, …}", actual: e.message.split("\n")[0], cause: e }))
    )
  })

/** The preset names, `world-<experiment>`, in the recorder's priority order. */
export const worldPresetNames = (examples: Examples): ReadonlyArray<string> => experimentNames(examples).map((n) => `${WORLD_PRESET_PREFIX}${n}`)

/** Whether `name` is a world preset's name (by its prefix; `worldPresetJson` says whether it exists). */
export const isWorldPreset = (name: string): boolean => name.startsWith(WORLD_PRESET_PREFIX)

/** The raw config of preset `name` (decode with the trainer's `decodeConfig` or compose with overrides). */
export const worldPresetJson = (name: string, examples: Examples): Effect.Effect<Json, InvalidInput> => {
  const experiment = name.slice(WORLD_PRESET_PREFIX.length)
  const json = isWorldPreset(name) ? experimentConfig(experiment, RECORDED_SIZING, examples, BASE_MODEL_DIR, path.join("runs", name)) : undefined
  return json === undefined
    ? Effect.fail(new InvalidInput({ input: `--preset ${name}`, expected: `one of ${worldPresetNames(examples).join(", ")}` }))
    : Effect.succeed(json)
}

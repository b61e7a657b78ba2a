/**
 * The authors' recorded accuracy history (`data/acc_step_500.json`): per DSR-sub
 * example, the fraction of its 8 rollouts that were correct each time it was
 * in a batch, over 500 steps of full-set training. Parsed in file order so the
 * historical-variance ranking breaks ties as the authors' Python does.
 */
import { FileError, InvalidInput, parseAccuracyHistory } from "@oneshot/core"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export type AccuracyHistory = ReadonlyArray<readonly [id: string, accuracies: ReadonlyArray<number>]>

export const HISTORY_PATH = fileURLToPath(new URL("../data/acc_step_500.json", import.meta.url))

export const loadHistory = (path: string = HISTORY_PATH): Effect.Effect<AccuracyHistory, InvalidInput | FileError> =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (e) => new FileError({ path, operation: "read", reason: String(e), cause: e })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => parseAccuracyHistory(text),
        catch: (e) => new InvalidInput({ input: path, expected: "an accuracy history {id: number[]}", actual: String(e), cause: e })
      })
    )
  )

/**
 * The record stage's output: where a run's lines go. The run log
 * (`runLogSink`, append-only JSONL) is always one sink; a second one
 * (TensorBoard, W&B…) implements `RunSink` and is passed in
 * `TrainOptions.sinks`. Every sink receives every line, in order, after the
 * run log has it.
 */
import type { FileError, RunLogLine } from "@oneshot/core"
import { Effect } from "effect"
import { appendRunLog } from "./RunLogFile.ts"

export interface RunSink {
  /** Receives one line (header, step, accuracy, generations, eval). */
  readonly write: (line: RunLogLine) => Effect.Effect<void, FileError>
  /** Called once when the run stops (flush, close). */
  readonly close?: Effect.Effect<void>
}

/** The run log file: the sink resume and the repro suite read. */
export const runLogSink = (path: string): RunSink => ({ write: (line) => appendRunLog(path, line) })

/** All sinks as one, writing in order. */
export const fanOut = (sinks: ReadonlyArray<RunSink>): RunSink => ({
  write: (line) => Effect.forEach(sinks, (s) => s.write(line), { discard: true }),
  close: Effect.forEach(sinks, (s) => s.close ?? Effect.void, { discard: true })
})

/**
 * The run log: one JSON object per line, append-only. The trainer writes it;
 * the repro suite reads it (together with imported verl / W&B runs).
 *
 * Line kinds:
 * - `header`: once at the start (and again after each resume, with `resumedFrom`).
 * - `step`: per-step metrics under verl's names (`critic/score/mean`, `actor/entropy`, …).
 * - `eval`: an evaluation summary at a step.
 * - `accuracy`: per-example training accuracy at a step (the authors' `acc_step_N.json` history, incrementally).
 * - `generations`: a few sampled responses at a step.
 */
import { Schema } from "effect"
import { EvalSummary } from "./Evaluation.ts"

export const RunEnvironment = Schema.Struct({
  backend: Schema.String,
  /** e.g. `cpu (2 cores)`, `NVIDIA H200 (webgpu)`. A CPU run is never labelled a GPU run. */
  device: Schema.String,
  node: Schema.optional(Schema.String),
  tfjs: Schema.optional(Schema.String),
  gitCommit: Schema.optional(Schema.String),
  /**
   * How the tensor work was run when not the default (one in-process policy,
   * every pass): policy replicas in worker threads, skipped redundant passes,
   * packed micro-batches. Sampled tokens depend on the worker count, so a
   * run is reproduced with the same one.
   */
  execution: Schema.optional(
    Schema.Struct({ workers: Schema.Int.pipe(Schema.positive()), skipRedundant: Schema.Boolean, pack: Schema.Boolean })
  )
})
export type RunEnvironment = typeof RunEnvironment.Type

export const HeaderLine = Schema.TaggedStruct("header", {
  runId: Schema.String,
  createdAt: Schema.String,
  config: Schema.Unknown,
  env: RunEnvironment,
  resumedFrom: Schema.optional(Schema.Int)
})

export const StepLine = Schema.TaggedStruct("step", {
  step: Schema.Int,
  metrics: Schema.Record({ key: Schema.String, value: Schema.Number })
})

export const EvalLine = Schema.TaggedStruct("eval", {
  step: Schema.Int,
  summary: EvalSummary
})

export const AccuracyLine = Schema.TaggedStruct("accuracy", {
  step: Schema.Int,
  /** example id → fraction of its rollouts that were correct at this step. */
  perExample: Schema.Record({ key: Schema.String, value: Schema.Number })
})

export const GenerationsLine = Schema.TaggedStruct("generations", {
  step: Schema.Int,
  samples: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      response: Schema.String,
      reward: Schema.Number
    })
  )
})

export const RunLogLine = Schema.Union(HeaderLine, StepLine, EvalLine, AccuracyLine, GenerationsLine)
export type RunLogLine = typeof RunLogLine.Type

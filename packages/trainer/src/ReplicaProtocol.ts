/**
 * Messages between the trainer and its worker-thread policy replicas. Plain
 * data only (structured clone); weights and gradients travel as Float32Arrays
 * in the order of `trainableVariables` / `valueHeadVariables`, which is the
 * same in every replica of one model.
 */
import type { ActorJob, ActorLossSpec, CriticJob, CriticLossSpec, ScoreJob, ScoreResult } from "./Replicas.ts"

/** What a worker needs to build its replica: the run's config (encoded) and whether to keep a reference snapshot. */
export interface ReplicaInit {
  readonly config: unknown
  readonly withReference: boolean
}

export interface PlainGenerateOptions {
  readonly n: number
  readonly temperature: number
  readonly topP: number
  readonly maxTokens: number
  readonly stop: ReadonlyArray<string>
  readonly seed?: number | undefined
}

export interface PlainSample {
  readonly text: string
  readonly tokenIds: ReadonlyArray<number>
  readonly logprobs: ReadonlyArray<number>
  readonly finishReason: "eos" | "length" | "stop"
}

export type ReplicaRequest =
  | { readonly id: number; readonly op: "generateIds"; readonly prompts: ReadonlyArray<ReadonlyArray<number>>; readonly options: PlainGenerateOptions }
  | { readonly id: number; readonly op: "generate"; readonly prompts: ReadonlyArray<string>; readonly options: PlainGenerateOptions }
  | { readonly id: number; readonly op: "score"; readonly model: "policy" | "reference"; readonly jobs: ReadonlyArray<ScoreJob> }
  | { readonly id: number; readonly op: "actorGradients"; readonly jobs: ReadonlyArray<ActorJob>; readonly spec: ActorLossSpec }
  | { readonly id: number; readonly op: "criticGradients"; readonly jobs: ReadonlyArray<CriticJob>; readonly spec: CriticLossSpec }
  | { readonly id: number; readonly op: "setWeights"; readonly trainable: ReadonlyArray<Float32Array>; readonly valueHead: ReadonlyArray<Float32Array> }

/** Gradients in variable order (null: no gradient for that variable), with the weighted loss and parts. */
export interface PlainGradients {
  readonly grads: ReadonlyArray<Float32Array | null>
  readonly loss: number
  readonly parts: Record<string, number>
}

export type ReplicaValue = ReadonlyArray<ReadonlyArray<PlainSample>> | ReadonlyArray<ScoreResult> | PlainGradients | null

export type ReplicaResponse =
  | { readonly id: number; readonly ok: true; readonly value: ReplicaValue }
  | { readonly id: number; readonly ok: false; readonly error: string }
  | { readonly id: -1; readonly ok: true; readonly value: "ready" }
  | { readonly id: -1; readonly ok: false; readonly error: string }

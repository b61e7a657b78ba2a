/**
 * The Policy service: the model the trainer optimises and the evaluator
 * samples from. Sampling and logging go through Effects; the loss path goes
 * through `scoreTensors`, a plain synchronous function, so it can sit inside
 * `tf.variableGrads(() => loss)` and gradients flow into `trainableVariables`.
 */
import type * as tf from "@tensorflow/tfjs"
import type { GenerateOptions, Sample, TextGenerator } from "@oneshot/core"
import { Context, type Effect } from "effect"
import { type BackendError, type CheckpointError, PolicyError } from "./Errors.ts"
import type { ModelConfig } from "./ModelConfig.ts"
import type { TokenizerShape } from "./Tokenizer.ts"

export * from "./Errors.ts"
export * from "./ModelConfig.ts"
export * from "./Tokenizer.ts"

/**
 * Prompt+response token ids, right-padded to a common length T, with a mask of
 * the response tokens that are scored. Position t's log-prob is
 * `log p(tokens[t] | tokens[<t])`; position 0 has no prediction (0 in outputs).
 */
export interface TokenBatch {
  /** [B][T] ids; pad with `tokenizer.padId`. */
  readonly tokens: ReadonlyArray<ReadonlyArray<number>>
  /** [B][T] 1 on scored response tokens, 0 on prompt and padding. */
  readonly responseMask: ReadonlyArray<ReadonlyArray<number>>
}

export interface ScoreOptions {
  /** Also compute the value head's estimates (PPO critic). */
  readonly withValues?: boolean
  /**
   * Score softmax(logits / temperature), as verl does for the actor and the
   * reference with the rollout temperature. Default 1; must be positive.
   */
  readonly temperature?: number
}

/** The temperature of a score call; throws a `PolicyError` for a non-positive or non-finite one, as `scoreTensors` does for a bad batch. */
export const scoreTemperature = (options?: ScoreOptions): number => {
  const t = options?.temperature ?? 1
  if (!(t > 0) || !Number.isFinite(t)) {
    throw new PolicyError({ input: "ScoreOptions.temperature", expected: "a positive finite number", actual: String(t) })
  }
  return t
}

/**
 * Tensors for the losses, all [B, T] and aligned with `tokens`:
 * `logprobs[b][t] = log p(tokens[b][t] | tokens[b][<t])` (temperature 1),
 * `entropies[b][t]` = entropy of the distribution that predicts position t,
 * `values[b][t]` = value of the state before token t (from the hidden state at t-1).
 * Column 0 is 0. The caller owns (and disposes) them, or calls this inside tf.tidy / variableGrads.
 */
export interface ScoreTensors {
  readonly logprobs: tf.Tensor2D
  readonly entropies: tf.Tensor2D
  readonly values?: tf.Tensor2D
}

/** Plain arrays, for logs and tests: [B][T] like `ScoreTensors`. */
export interface ScoreArrays {
  readonly logprobs: Array<Array<number>>
  readonly entropies: Array<Array<number>>
  readonly values?: Array<Array<number>>
}

/** A model that scores token batches (the policy itself, or a frozen snapshot of it). */
export interface Scorer {
  readonly config: ModelConfig
  readonly tokenizer: TokenizerShape
  /** Synchronous and differentiable; throws a PolicyError on a malformed batch. */
  readonly scoreTensors: (batch: TokenBatch, options?: ScoreOptions) => ScoreTensors
  readonly score: (batch: TokenBatch, options?: ScoreOptions) => Effect.Effect<ScoreArrays, PolicyError>
}

/** A frozen copy of the weights (reference policy for the KL term). Dispose it when done. */
export interface PolicySnapshot extends Scorer {
  readonly dispose: Effect.Effect<void>
}

export interface PolicyShape extends Scorer {
  /** Exactly core's `TextGenerator`: prompts → `options.n` samples each. Prompts are encoded by `tokenizer.promptIds` (char: BOS first; hf: special tokens recognised, no BOS unless the tokenizer adds one). */
  readonly generate: TextGenerator<PolicyError>
  /** Token-level generation from already-encoded prompts (include BOS yourself if you want it). */
  readonly generateIds: (
    promptIds: ReadonlyArray<ReadonlyArray<number>>,
    options: GenerateOptions
  ) => Effect.Effect<ReadonlyArray<ReadonlyArray<Sample>>, PolicyError>
  /** The transformer's weights, what the optimiser updates. */
  readonly trainableVariables: ReadonlyArray<tf.Variable>
  /** The scalar value head's weights (PPO critic), separate from the transformer's. */
  readonly valueHeadVariables: ReadonlyArray<tf.Variable>
  /** A frozen copy of the current weights, with the same `scoreTensors`. */
  readonly snapshot: () => Effect.Effect<PolicySnapshot>
  /** Writes `config.json`, `tokenizer.json` and `model.safetensors` (+ value head) atomically. */
  readonly save: (dir: string) => Effect.Effect<void, CheckpointError>
  /** Frees the weights. After this the policy must not be used. */
  readonly dispose: Effect.Effect<void>
}

export class Policy extends Context.Tag("@oneshot/policy/Policy")<Policy, PolicyShape>() {}

/** The construction errors of a live policy. */
export type PolicyInitError = PolicyError | CheckpointError | BackendError

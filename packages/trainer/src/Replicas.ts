/**
 * Where a step's tensor work runs: the policy (and the frozen reference) on
 * one or more replicas. The trainer's stages only talk to this interface, so
 * the same loop drives the in-process policy (`localReplicas`, the
 * historical single-core path) and worker-thread replicas (`WorkerReplicas`).
 * Every job is plain data (token rows, per-token arrays, weights), so it can
 * cross a thread boundary.
 */
import type { GenerateOptions, Sample, TextGenerator } from "@oneshot/core"
import type { PolicyError, PolicyShape, PolicySnapshot, Scorer, TokenBatch } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { type ActorLossConfig, actorLossTensor, valueLossTensor } from "./ActorLoss.ts"
import type { LossAggregation } from "./LossAggregation.ts"

/** One forward pass (no gradient) over rows of width T. */
export interface ScoreJob {
  readonly batch: TokenBatch
  readonly withValues: boolean
  /** Scoring temperature; `undefined` scores at 1 (the critic's pass). */
  readonly temperature?: number
}

export interface ScoreResult {
  readonly logprobs: Array<Array<number>>
  readonly values?: Array<Array<number>>
}

/** One actor micro-batch: rows and the per-position inputs of the loss, all of width T. */
export interface ActorJob {
  readonly batch: TokenBatch
  /** Absent: on-policy with one update, the old log-probs are the current ones (ratio exactly 1), taken from this pass. */
  readonly oldLogprobs?: Array<Array<number>>
  readonly refLogprobs?: Array<Array<number>>
  readonly advantages: Array<Array<number>>
  /** Share of the mini-batch's loss (tokens or responses), so the micro-batch gradients sum to the mini-batch's. */
  readonly weight: number
}

export interface CriticJob {
  readonly batch: TokenBatch
  readonly oldValues: Array<Array<number>>
  readonly returns: Array<Array<number>>
  readonly weight: number
}

export interface ActorLossSpec {
  readonly loss: ActorLossConfig
  readonly temperature: number
}

export interface CriticLossSpec {
  readonly clipRangeValue: number
  readonly aggregation: LossAggregation
}

/** Σ weight·∇loss over micro-batches, with the weighted loss and metric parts. The caller disposes `grads`. */
export interface Gradients {
  readonly grads: tf.NamedTensorMap
  readonly loss: number
  readonly parts: Record<string, number>
}

export interface Replicas {
  /** Replicas computing in parallel (1: in process). */
  readonly size: number
  /** `options.n` samples per prompt (token ids, BOS included by the caller). */
  readonly generateIds: (prompts: ReadonlyArray<ReadonlyArray<number>>, options: GenerateOptions) => Effect.Effect<ReadonlyArray<ReadonlyArray<Sample>>, PolicyError>
  /** Text generation for the evaluator. */
  readonly generate: TextGenerator<PolicyError>
  readonly score: (model: "policy" | "reference", jobs: ReadonlyArray<ScoreJob>) => Effect.Effect<ReadonlyArray<ScoreResult>, PolicyError>
  readonly actorGradients: (jobs: ReadonlyArray<ActorJob>, spec: ActorLossSpec) => Effect.Effect<Gradients, PolicyError>
  readonly criticGradients: (jobs: ReadonlyArray<CriticJob>, spec: CriticLossSpec) => Effect.Effect<Gradients, PolicyError>
  /** After an optimizer step of the main policy: every replica takes its weights. */
  readonly sync: Effect.Effect<void, PolicyError>
}

const rows = (m: ReadonlyArray<ReadonlyArray<number>>, T: number): tf.Tensor2D => tf.tensor2d(m.map((r) => [...r]), [m.length, T])
const widthOf = (b: TokenBatch): number => b.tokens[0]?.length ?? 0

/** Forward passes without gradients, as plain rows. */
export const scoreLocally = (scorer: Pick<Scorer, "scoreTensors">, jobs: ReadonlyArray<ScoreJob>): Array<ScoreResult> =>
  jobs.map((j) =>
    tf.tidy(() => {
      const s = scorer.scoreTensors(j.batch, { withValues: j.withValues, ...(j.temperature === undefined ? {} : { temperature: j.temperature }) })
      return { logprobs: s.logprobs.arraySync(), ...(s.values === undefined ? {} : { values: s.values.arraySync() }) }
    })
  )

/**
 * Gradient accumulation over micro-batches: Σ_c w_c ∇loss_c, with weights
 * summing to 1 over a mini-batch so the result is the gradient of the whole
 * mini-batch's loss (exactly, for every aggregation mode). Only one
 * micro-batch's activations live at a time. If a micro-batch's loss or
 * backward throws, the partial sums are freed before the error propagates:
 * a caller that retries (or a long-lived server) must not leak a model's
 * worth of gradient tensors per failure.
 */
export const accumulate = <J extends { readonly weight: number }>(
  jobs: ReadonlyArray<J>,
  variables: ReadonlyArray<tf.Variable>,
  f: (job: J) => { readonly loss: tf.Scalar; readonly parts: Record<string, tf.Scalar> }
): Gradients => {
  const sums: tf.NamedTensorMap = {}
  const parts: Record<string, number> = {}
  let loss = 0
  let kept: Record<string, tf.Scalar> = {}
  try {
    for (const job of jobs) {
      // In a tidy: variableGrads throws after computing the loss when no variable reaches it, and that value would leak.
      const { grads, value } = tf.tidy(() =>
        tf.variableGrads(() => {
          const r = f(job)
          kept = Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, tf.keep(v)]))
          return tf.mul(r.loss, job.weight) as tf.Scalar
        }, [...variables])
      )
      loss += value.dataSync()[0]!
      for (const [k, v] of Object.entries(kept)) parts[k] = (parts[k] ?? 0) + job.weight * v.dataSync()[0]!
      for (const [name, g] of Object.entries(grads)) {
        const prev = sums[name]
        sums[name] = prev === undefined ? g : tf.keep(tf.add(prev, g))
        if (prev !== undefined) tf.dispose([prev, g])
      }
      tf.dispose([value, ...Object.values(kept)])
      kept = {}
    }
  } catch (e) {
    tf.dispose([...Object.values(sums), ...Object.values(kept)])
    throw e
  }
  return { grads: sums, loss, parts }
}

/** The actor loss's gradients on one replica's policy. */
export const actorGradientsLocally = (policy: Pick<PolicyShape, "scoreTensors" | "trainableVariables">, jobs: ReadonlyArray<ActorJob>, spec: ActorLossSpec): Gradients =>
  accumulate(jobs, policy.trainableVariables, (job) => {
    const T = widthOf(job.batch)
    const s = policy.scoreTensors(job.batch, { temperature: spec.temperature })
    // On-policy skip: a copy of this pass's log-probs, outside the tape (a constant, like the old pass's).
    const old = job.oldLogprobs === undefined ? tf.tensor2d(s.logprobs.dataSync(), s.logprobs.shape) : rows(job.oldLogprobs, T)
    const out = actorLossTensor(
      {
        logprobs: s.logprobs,
        entropies: s.entropies,
        oldLogprobs: old,
        refLogprobs: job.refLogprobs === undefined ? undefined : rows(job.refLogprobs, T),
        advantages: rows(job.advantages, T),
        mask: rows(job.batch.responseMask, T)
      },
      spec.loss
    )
    return {
      loss: out.loss,
      parts: {
        "actor/pg_loss": out.pgLoss,
        "actor/entropy": out.entropy,
        "actor/kl_loss": out.klLoss,
        "actor/pg_clipfrac": out.clipfrac,
        "actor/pg_clipfrac_lower": out.clipfracLower,
        "actor/ppo_kl": out.ppoKl
      }
    }
  })

/** The value loss's gradients (value head only) on one replica's policy. */
export const criticGradientsLocally = (policy: Pick<PolicyShape, "scoreTensors" | "valueHeadVariables">, jobs: ReadonlyArray<CriticJob>, spec: CriticLossSpec): Gradients =>
  accumulate(jobs, policy.valueHeadVariables, (job) => {
    const T = widthOf(job.batch)
    const s = policy.scoreTensors(job.batch, { withValues: true })
    const vl = valueLossTensor(s.values!, rows(job.oldValues, T), rows(job.returns, T), rows(job.batch.responseMask, T), spec.clipRangeValue, spec.aggregation)
    return { loss: vl.loss, parts: { "critic/vf_clipfrac": vl.clipfrac } }
  })

/** Everything on the in-process policy: one replica, nothing to synchronise. */
export const localReplicas = (policy: PolicyShape, reference: PolicySnapshot | undefined): Replicas => ({
  size: 1,
  generateIds: policy.generateIds,
  generate: policy.generate,
  score: (model, jobs) =>
    Effect.suspend(() => {
      const scorer = model === "policy" ? policy : reference
      return scorer === undefined ? Effect.die(new Error("Replicas.score: no reference policy (no KL term is on)")) : Effect.sync(() => scoreLocally(scorer, jobs))
    }),
  actorGradients: (jobs, spec) => Effect.sync(() => actorGradientsLocally(policy, jobs, spec)),
  criticGradients: (jobs, spec) => Effect.sync(() => criticGradientsLocally(policy, jobs, spec)),
  sync: Effect.void
})

/**
 * The RLVR trainer (GRPO / Dr. GRPO / RLOO / PPO) as an Effect program: a
 * short loop over stages, each a module with one job.
 *
 * 1. rollout (`RolloutStage.rollouts`): the step's prompts, `rollout.n` samples each;
 * 2. reward (`RolloutStage.rewards`): 0/1 rewards from the Verifier;
 * 3. scoring (`ScoringStage`): old and reference log-probs, only when needed;
 * 4. advantage (`AdvantageStage`, estimators from the `AdvantageEstimators` registry);
 * 5. update (`UpdateStage`): `ppoEpochs` × mini-batches of optimizer steps;
 * 6. step metrics (`StepMetrics`), then the record (`RunSink`s: the run log, …) and checkpoint.
 *
 * The tensor work runs on `Replicas`: the in-process policy, or policy
 * replicas in worker threads (`TrainOptions.workers`).
 *
 * Determinism: every random draw is a function of (seed, step), and the
 * update and record of a step are uninterruptible, so resuming from a
 * checkpoint (after Ctrl-C, which checkpoints, or kill -9, which does not)
 * reproduces the uninterrupted run line for line, timings aside. Evaluation
 * is interruptible: Ctrl-C during it records the step without it.
 */
import { Evaluator, type FileError, InvalidInput, Verifier } from "@oneshot/core"
import { type CheckpointError, Policy, type PolicyError, type PolicyShape, type PolicySnapshot } from "@oneshot/policy"
import { Clock, Context, Effect, Exit, Layer, Option, Ref, type Scope } from "effect"
import { join } from "node:path"
import { advantageEstimator } from "./AdvantageEstimators.ts"
import { advantages } from "./AdvantageStage.ts"
import { evalStage } from "./EvalStage.ts"
import { type TrainerState, writeCheckpoint } from "./Checkpoint.ts"
import { encodeConfig, isEvalStep, type TrainConfig } from "./Config.ts"
import { GitCommit, gitCommitLive } from "./GitCommit.ts"
import { type AdamW, adamW, Optimizer } from "./Optimizer.ts"
import { makeProgress } from "./Progress.ts"
import { localReplicas, type Replicas } from "./Replicas.ts"
import { rewards, rollouts } from "./RolloutStage.ts"
import { rewindRunLog, runLogSize } from "./RunLogFile.ts"
import { clockTag, environment, openRun } from "./RunStart.ts"
import { fanOut, type RunSink, runLogSink } from "./RunSink.ts"
import { needsReference, scoring } from "./ScoringStage.ts"
import { batchMetrics, loggedGenerations, perExampleAccuracy, rewardKlPenalty } from "./StepMetrics.ts"
import { secondsSince, timed } from "./Timing.ts"
import { loadTrainingRows, stepsPerEpoch } from "./TrainData.ts"
import { update } from "./UpdateStage.ts"
import { workerReplicas } from "./WorkerReplicas.ts"

/** Where the policy comes from: the initial one (`undefined`) or the one saved in a checkpoint directory. */
export type PolicySource<E, R> = (checkpointPolicyDir: string | undefined) => Layer.Layer<Policy, E, R>

export interface TrainOptions {
  /** Continue from the latest checkpoint of `trainer.runDir` (a fresh start when there is none). */
  readonly resume?: boolean
  /** No progress output. */
  readonly quiet?: boolean
  /** Stop after this many steps in this invocation (checkpointing), e.g. to train in slices. */
  readonly maxSteps?: number
  /**
   * Skip work whose result is known: the old-log-prob pass when it equals the
   * update's own forward pass (one epoch, one mini-batch, on-policy; logged as
   * `actor/old_log_prob_skipped`). Same numbers, one forward pass fewer.
   */
  readonly skipRedundant?: boolean
  /** Length-bucketed micro-batches, so padding is not computed (same gradients up to float rounding). */
  readonly pack?: boolean
  /** Extra sinks for the run's lines (e.g. TensorBoard), after the run log. */
  readonly sinks?: ReadonlyArray<RunSink>
  /** Replicas for the tensor work (default: the in-process policy). `workerReplicas` builds worker-thread ones. */
  readonly replicas?: ReplicaFactory
  /**
   * Policy replicas in this many worker threads (`workerReplicas(workers)`),
   * when `replicas` is not given; recorded in the run header, since sampled
   * tokens depend on the worker count.
   */
  readonly workers?: number
}

/** Builds the replicas of a run from its main policy and reference (inside the run's scope). */
export type ReplicaFactory = (main: {
  readonly config: TrainConfig
  readonly policy: PolicyShape
  readonly reference: PolicySnapshot | undefined
}) => Effect.Effect<Replicas, PolicyError | InvalidInput, Scope.Scope>

export interface TrainResult {
  readonly runDir: string
  readonly runLog: string
  /** Steps completed in total (across resumes). */
  readonly step: number
  readonly finished: boolean
  readonly lastMetrics: Readonly<Record<string, number>>
}

export const runLogPath = (runDir: string): string => join(runDir, "runlog.jsonl")

/** The header's `execution` entry: present only when the run is not computed the default way. */
const executionOf = (o: TrainOptions): { readonly execution?: { readonly workers: number; readonly skipRedundant: boolean; readonly pack: boolean } } =>
  o.workers === undefined && o.skipRedundant !== true && o.pack !== true
    ? {}
    : { execution: { workers: o.workers ?? 1, skipRedundant: o.skipRedundant === true, pack: o.pack === true } }

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length)

/** Builds a Policy from a layer inside the current scope. */
const buildPolicy = <E, R>(layer: Layer.Layer<Policy, E, R>) => Effect.map(Layer.build(layer), (ctx) => Context.get(ctx, Policy))

/**
 * Trains per `config`. Requires a Verifier; evaluates through an Evaluator
 * when one is in the context and `eval.every > 0`; uses the Optimizer and
 * GitCommit services when provided (AdamW and `git rev-parse` otherwise).
 */
export const train = <E, R>(
  config: TrainConfig,
  policySource: PolicySource<E, R>,
  options: TrainOptions = {}
): Effect.Effect<TrainResult, E | FileError | InvalidInput | PolicyError | CheckpointError, Verifier | R> =>
  Effect.scoped(
    Effect.gen(function* () {
      const runDir = config.trainer.runDir
      const logPath = runLogPath(runDir)
      const ckpt = yield* openRun(config, logPath, options.resume === true)

      const policy: PolicyShape = yield* buildPolicy(policySource(ckpt?.policyDir))
      const verifier = yield* Verifier
      const evaluator = yield* Effect.serviceOption(Evaluator)
      const optimizer = Option.getOrElse(yield* Effect.serviceOption(Optimizer), () => adamW)
      const git = Option.getOrElse(yield* Effect.serviceOption(GitCommit), () => gitCommitLive)
      const estimator = yield* Effect.try({
        try: () => advantageEstimator(config.algorithm.advEstimator),
        catch: (e) => new InvalidInput({ input: "algorithm.advEstimator", expected: "a registered advantage estimator", actual: (e as Error).message, cause: e })
      })
      const useValues = estimator.needsValues

      // The reference policy is the initial one, also after a resume.
      let reference: PolicySnapshot | undefined
      if (needsReference(config)) {
        const initial = ckpt === undefined ? policy : yield* buildPolicy(policySource(undefined))
        reference = yield* Effect.acquireRelease(initial.snapshot(), (s) => s.dispose)
      }

      const actorOpt: AdamW = optimizer.make(policy.trainableVariables, config.actor.optimizer)
      const criticOpt: AdamW | undefined = useValues ? optimizer.make(policy.valueHeadVariables, config.critic.optimizer) : undefined
      yield* Effect.addFinalizer(() => Effect.sync(() => [actorOpt, criticOpt].forEach((o) => o?.dispose())))
      if (ckpt !== undefined) {
        yield* Effect.try({
          try: () => {
            actorOpt.importState(ckpt.state.actor)
            if (criticOpt !== undefined && ckpt.state.critic !== undefined) criticOpt.importState(ckpt.state.critic)
          },
          catch: (e) => new InvalidInput({ input: `${ckpt.dir}/state.json`, expected: "optimizer states matching the policy", actual: String(e), cause: e })
        })
      }
      const factory = options.replicas ?? (options.workers === undefined ? undefined : workerReplicas(options.workers))
      const replicas: Replicas = factory === undefined ? localReplicas(policy, reference) : yield* factory({ config, policy, reference })

      const rows = yield* loadTrainingRows(config.data)
      const B = config.trainer.batchSize
      yield* stepsPerEpoch(rows.length, B)
      const epochSteps = Math.floor(rows.length / B)

      // Run log: rewind to the checkpoint (orphaning recomputed steps), then a header.
      const startStep = ckpt?.state.step ?? 0
      const runId = ckpt?.state.runId ?? `${config.experiment}-${yield* clockTag}`
      if (ckpt !== undefined) yield* rewindRunLog(logPath, ckpt.state.runLogBytes, `step${startStep}-${yield* clockTag}`)
      const sink = fanOut([runLogSink(logPath), ...(options.sinks ?? [])])
      yield* Effect.addFinalizer(() => sink.close ?? Effect.void)
      yield* sink.write({
        _tag: "header",
        runId,
        createdAt: new Date(yield* Clock.currentTimeMillis).toISOString(),
        config: encodeConfig(config),
        env: { ...environment(yield* git.head), ...executionOf(options) },
        ...(ckpt === undefined ? {} : { resumedFrom: startStep })
      })

      const completed = yield* Ref.make(startStep)
      const checkpointed = yield* Ref.make(startStep)
      const progress = makeProgress({ quiet: options.quiet === true }, yield* Effect.clock)

      const saveCheckpoint = (step: number) =>
        Effect.gen(function* () {
          const state: TrainerState = {
            step,
            dataPosition: step * B,
            rng: { seed: config.seed, algorithm: "mulberry32(hash(seed, stream, step))" },
            runLogBytes: runLogSize(logPath),
            runId,
            actor: actorOpt.exportState(),
            ...(criticOpt === undefined ? {} : { critic: criticOpt.exportState() })
          }
          yield* writeCheckpoint(runDir, state, policy.save, config.trainer.keepCheckpoints)
          yield* Ref.set(checkpointed, step)
        })

      const evaluate = evalStage(config.eval, evaluator, replicas.generate, sink)

      const options_ = { skipRedundant: options.skipRedundant === true, pack: options.pack === true }

      /** Rollout and reward: interruptible, change nothing. */
      const rolloutStage = (step: number) =>
        Effect.gen(function* () {
          const [batch, genS] = yield* timed(rollouts(config, rows, policy.tokenizer, replicas, step))
          const [scores, rewS] = yield* timed(rewards(config, verifier, batch))
          return { batch, scores, timing: { "timing_s/gen": genS, "timing_s/reward": rewS } }
        })

      /** Scoring, advantages, updates and step metrics: changes the weights, so uninterruptible. */
      const updateStage = (step: number, r: Effect.Effect.Success<ReturnType<typeof rolloutStage>>) =>
        Effect.gen(function* () {
          const { batch, scores } = r
          const scored = yield* scoring(config, batch, replicas, policy.tokenizer.padId, useValues, options_)
          const [adv, advS] = yield* timed(Effect.sync(() => advantages(config, batch, scores, scored)))
          const updated = yield* update({ config, replicas, actorOpt, criticOpt, padId: policy.tokenizer.padId, pack: options_.pack }, batch, scored, adv, step)
          const metrics: Record<string, number> = { ...r.timing, ...scored.timings, ...adv.metrics, "timing_s/adv": advS, ...updated }
          Object.assign(metrics, batchMetrics(batch, scores, adv, step, epochSteps))
          if (config.algorithm.klRewardCoef > 0) metrics["actor/reward_kl_penalty"] = rewardKlPenalty(scores, adv.seqRewards)
          return metrics
        })

      let lastMetrics: Record<string, number> = {}
      /** Latest in-training evaluation accuracy (mean over benchmarks), shown by the progress bar. */
      let lastEval: number | undefined
      const noteEval = (metrics: Readonly<Record<string, number>>) => {
        const evals = Object.entries(metrics).filter(([k]) => k.startsWith("val/test_score/"))
        if (evals.length > 0) lastEval = mean(evals.map(([, v]) => v))
      }

      /** The step's lines, its progress line (so Ctrl-C's "stopped after step N" matches the last one shown) and, every k steps, a checkpoint. */
      const record = (step: number, r: Effect.Effect.Success<ReturnType<typeof rolloutStage>>, metrics: Record<string, number>, tStep: bigint) =>
        Effect.gen(function* () {
          metrics["timing_s/step"] = yield* secondsSince(tStep)
          yield* sink.write({ _tag: "step", step, metrics })
          yield* sink.write({ _tag: "accuracy", step, perExample: perExampleAccuracy(r.batch, r.scores) })
          if (config.trainer.generationsEvery > 0 && step % config.trainer.generationsEvery === 0 && config.trainer.generationsLogged > 0) {
            yield* sink.write({ _tag: "generations", step, samples: loggedGenerations(r.batch, r.scores, config.trainer.generationsLogged) })
          }
          yield* Ref.set(completed, step)
          lastMetrics = metrics
          noteEval(metrics)
          progress.update(step, { reward: metrics["critic/score/mean"] ?? 0, accuracy: lastEval })
          if (step % config.trainer.checkpointEvery === 0 || step === config.trainer.steps) yield* saveCheckpoint(step)
          return metrics
        })

      /** One step: rollout (interruptible), update (not), evaluation (interruptible: Ctrl-C records the step without it), record (not). */
      const runStep = (step: number) =>
        Effect.gen(function* () {
          const tStep = yield* Clock.currentTimeNanos
          const r = yield* rolloutStage(step)
          return yield* Effect.uninterruptibleMask((restore) =>
            Effect.gen(function* () {
              const metrics = yield* updateStage(step, r)
              const evalExit = isEvalStep(config.eval, step) ? yield* Effect.exit(restore(evaluate(step))) : Exit.succeed({})
              if (Exit.isSuccess(evalExit)) Object.assign(metrics, evalExit.value)
              const out = yield* record(step, r, metrics, tStep)
              if (Exit.isFailure(evalExit)) return yield* evalExit
              return out
            })
          )
        })

      const last = config.trainer.steps
      const stopAt = options.maxSteps === undefined ? last : Math.min(last, startStep + options.maxSteps)
      const loop = Effect.gen(function* () {
        if (startStep === 0 && config.eval.beforeTrain && (config.eval.every > 0 || (config.eval.at ?? []).length > 0)) {
          const m = yield* evaluate(0)
          if (Object.keys(m).length > 0) yield* sink.write({ _tag: "step", step: 0, metrics: m })
          noteEval(m)
        }
        progress.start(last, startStep)
        for (let step = startStep + 1; step <= stopAt; step++) {
          yield* runStep(step)
        }
        if ((yield* Ref.get(checkpointed)) < stopAt) yield* saveCheckpoint(stopAt)
      }).pipe(
        // Ctrl-C (fiber interruption): checkpoint the last completed step, then stop.
        Effect.onInterrupt(() =>
          Effect.gen(function* () {
            const done = yield* Ref.get(completed)
            if (done > (yield* Ref.get(checkpointed))) yield* Effect.orDie(saveCheckpoint(done))
          })
        ),
        Effect.ensuring(Effect.sync(() => progress.stop()))
      )
      yield* loop
      const step = yield* Ref.get(completed)
      return { runDir, runLog: logPath, step, finished: step >= last, lastMetrics }
    })
  )

/** The run log's lines decoded, for tests and tools. */
export { readRunLog } from "./RunLogFile.ts"

/**
 * The per-example accuracy history of a run log, in the authors'
 * `acc_step_N.json` shape: `[id, [acc at each appearance…]]` in first-seen
 * order (entries, not an object, because JS objects reorder integer-like keys
 * and the order breaks ties in the ranking).
 */
export const accuracyHistory = (
  lines: ReadonlyArray<{ readonly _tag: string; readonly step?: number; readonly perExample?: Readonly<Record<string, number>> }>,
  upToStep = Number.POSITIVE_INFINITY
): Array<readonly [string, Array<number>]> => {
  const out = new Map<string, Array<number>>()
  for (const l of lines) {
    if (l._tag !== "accuracy" || l.perExample === undefined || (l.step ?? 0) > upToStep) continue
    for (const [id, a] of Object.entries(l.perExample)) {
      const xs = out.get(id)
      if (xs === undefined) out.set(id, [a])
      else xs.push(a)
    }
  }
  return [...out.entries()]
}

/** `acc_step_N.json` text (keys in first-seen order). */
export const accuracyHistoryJson = (history: ReadonlyArray<readonly [string, ReadonlyArray<number>]>): string =>
  `{${history.map(([id, xs]) => `${JSON.stringify(id)}: ${JSON.stringify(xs)}`).join(", ")}}`

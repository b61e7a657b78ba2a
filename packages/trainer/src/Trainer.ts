/**
 * The RLVR trainer (GRPO / Dr. GRPO / RLOO / PPO) as an Effect program. Each step:
 *
 * 1. the next batch of prompts (shuffled per epoch, `drop_last`);
 * 2. `rollout.n` responses per prompt from the Policy at `rollout.temperature`;
 * 3. 0/1 rewards from the Verifier (`deepscaler` or `format` mode);
 * 4. old log-probs (and values), reference log-probs for KL, advantages;
 * 5. `ppoEpochs` × mini-batches of AdamW updates of the actor loss
 *    (c_pg·pg − c_ent·entropy + c_kl·kl), and of the value head for PPO;
 * 6. one `step` line (verl metric names), one `accuracy` line (the authors'
 *    acc_step history), sometimes `generations` and `eval` lines;
 * 7. a checkpoint every k steps.
 *
 * Determinism: every random draw is a function of (seed, step), and the
 * update part of a step is uninterruptible, so resuming from a checkpoint
 * (after Ctrl-C, which checkpoints, or kill -9, which does not) reproduces
 * the uninterrupted run line for line, timings aside.
 */
import { Evaluator, FileError, GenerateOptions, InvalidInput, type Problem, type RunEnvironment, Verifier } from "@oneshot/core"
import { type CheckpointError, Policy, type PolicyError, type PolicyShape, type PolicySnapshot, type TokenBatch } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Context, Effect, Layer, Option, Ref } from "effect"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { actorLossTensor, valueLossTensor } from "./ActorLoss.ts"
import { gae, grpoAdvantages, outcomeTokenRewards, rlooAdvantages, whiten } from "./Advantages.ts"
import { latestCheckpoint, type TrainerState, writeCheckpoint } from "./Checkpoint.ts"
import { encodeConfig, type TrainConfig } from "./Config.ts"
import { klPenalty } from "./Kl.ts"
import { type AdamW, makeAdamW } from "./Optimizer.ts"
import { makeProgress } from "./Progress.ts"
import { hashInts, permutation, Stream } from "./Rng.ts"
import { appendRunLog, rewindRunLog, runLogSize } from "./RunLogFile.ts"
import { batchIndices, loadTrainingRows, stepsPerEpoch } from "./TrainData.ts"

/** Where the policy comes from: the initial one (`undefined`) or the one saved in a checkpoint directory. */
export type PolicySource<E, R> = (checkpointPolicyDir: string | undefined) => Layer.Layer<Policy, E, R>

export interface TrainOptions {
  /** Continue from the latest checkpoint of `trainer.runDir` (a fresh start when there is none). */
  readonly resume?: boolean
  /** No progress output. */
  readonly quiet?: boolean
  /** Stop after this many steps in this invocation (checkpointing), e.g. to train in slices. */
  readonly maxSteps?: number
}

export interface TrainResult {
  readonly runDir: string
  readonly runLog: string
  /** Steps completed in total (across resumes). */
  readonly step: number
  readonly finished: boolean
  readonly lastMetrics: Readonly<Record<string, number>>
}

export const runLogPath = (runDir: string): string => join(runDir, "runlog.jsonl")

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length)
const seconds = (t0: number): number => (performance.now() - t0) / 1000

/** One rollout: a response to a row of the batch. */
interface Rollout {
  readonly row: number
  readonly problem: Problem
  readonly prompt: ReadonlyArray<number>
  readonly response: ReadonlyArray<number>
  readonly text: string
  readonly truncated: boolean
}

/** Pads prompt+response into the Policy's TokenBatch (response tokens masked in). */
const tokenBatch = (rollouts: ReadonlyArray<Rollout>, padId: number): TokenBatch & { readonly T: number } => {
  const T = Math.max(2, ...rollouts.map((r) => r.prompt.length + r.response.length))
  const tokens = rollouts.map((r) => {
    const row = [...r.prompt, ...r.response]
    while (row.length < T) row.push(padId)
    return row
  })
  const responseMask = rollouts.map((r) => {
    const m = new Array<number>(T).fill(0)
    for (let t = r.prompt.length; t < r.prompt.length + r.response.length; t++) m[t] = 1
    return m
  })
  return { tokens, responseMask, T }
}

/** The response part [P, P+L) of a [T] row. */
const responsePart = (row: ReadonlyArray<number>, r: Rollout): Array<number> => row.slice(r.prompt.length, r.prompt.length + r.response.length)

/** Places per-response token values back into [T] rows (0 elsewhere). */
const placeRows = (rollouts: ReadonlyArray<Rollout>, values: ReadonlyArray<ReadonlyArray<number>>, T: number): Array<Array<number>> =>
  rollouts.map((r, k) => {
    const row = new Array<number>(T).fill(0)
    values[k]!.forEach((v, j) => (row[r.prompt.length + j] = v))
    return row
  })

/** Fields a resumed run may change: how long, how often it saves/evaluates/logs, where it computes. */
const RESUMABLE_CHANGES = [/^trainer\.(steps|checkpointEvery|keepCheckpoints|generationsEvery|generationsLogged)$/, /^eval\./, /^model\.backend$/, /^tags/]

/** Dotted paths where two JSON values differ. */
export const jsonDiff = (a: unknown, b: unknown, path = ""): Array<string> => {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    return [...keys].flatMap((k) => jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === "" ? k : `${path}.${k}`))
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path]
}

/** A resume must not change what the run computes (data, algorithm, seeds…); it may change its length and bookkeeping. */
const checkResumeConfig = (logPath: string, config: TrainConfig): Effect.Effect<void, InvalidInput | FileError> =>
  Effect.gen(function* () {
    const first = yield* Effect.try({
      try: () => readFileSync(logPath, "utf8").split("\n", 1)[0] ?? "",
      catch: (e) => new FileError({ path: logPath, operation: "read", reason: String(e) })
    })
    let previous: unknown
    try {
      previous = (JSON.parse(first) as { config?: unknown }).config
    } catch {
      return
    }
    const changed = jsonDiff(previous, encodeConfig(config)).filter((p) => !RESUMABLE_CHANGES.some((r) => r.test(p)))
    if (changed.length > 0) {
      return yield* new InvalidInput({
        input: `--resume of ${logPath}`,
        expected: "the run's own config (only trainer.steps, checkpoint/log/eval frequencies, model.backend and tags may change)",
        actual: `changed ${changed.join(", ")}`
      })
    }
  })

/** Consecutive chunks of at most `size` indices. */
const chunkIndices = (idx: ReadonlyArray<number>, size: number): Array<Array<number>> => {
  const out: Array<Array<number>> = []
  for (let i = 0; i < idx.length; i += size) out.push(idx.slice(i, i + size))
  return out
}

/**
 * Gradient accumulation over micro-batches: Σ_c w_c ∇loss_c, with weights
 * summing to 1 so the result is the gradient of the whole mini-batch's loss
 * (exactly, for every aggregation mode). Also returns the weighted loss and
 * metric parts. Only one micro-batch's activations live at a time.
 */
const accumulate = (
  chunks: ReadonlyArray<ReadonlyArray<number>>,
  variables: ReadonlyArray<tf.Variable>,
  f: (idx: ReadonlyArray<number>) => { readonly loss: tf.Scalar; readonly weight: number; readonly parts: Record<string, tf.Scalar> }
): { readonly grads: tf.NamedTensorMap; readonly loss: number; readonly parts: Record<string, number> } => {
  const sums: tf.NamedTensorMap = {}
  const parts: Record<string, number> = {}
  let loss = 0
  for (const idx of chunks) {
    let kept: Record<string, tf.Scalar> = {}
    let w = 0
    const { grads, value } = tf.variableGrads(() => {
      const r = f(idx)
      w = r.weight
      kept = Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, tf.keep(v)]))
      return tf.mul(r.loss, r.weight) as tf.Scalar
    }, [...variables])
    loss += value.dataSync()[0]!
    for (const [k, v] of Object.entries(kept)) parts[k] = (parts[k] ?? 0) + w * v.dataSync()[0]!
    for (const [name, g] of Object.entries(grads)) {
      const prev = sums[name]
      sums[name] = prev === undefined ? g : tf.keep(tf.add(prev, g))
      if (prev !== undefined) tf.dispose([prev, g])
    }
    tf.dispose([value, ...Object.values(kept)])
  }
  return { grads: sums, loss, parts }
}

const environment = (): RunEnvironment => {
  const backend = tf.getBackend()
  let gitCommit: string | undefined
  try {
    gitCommit = execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim()
  } catch {
    gitCommit = undefined
  }
  return {
    backend,
    device: backend === "webgpu" || backend === "tensorflow" || backend === "webgl" ? `gpu (${backend})` : `cpu (${cpus().length} cores)`,
    node: process.version,
    tfjs: tf.version.tfjs,
    ...(gitCommit === undefined ? {} : { gitCommit })
  }
}

/** Builds a Policy from a layer inside the current scope. */
const buildPolicy = <E, R>(layer: Layer.Layer<Policy, E, R>) => Effect.map(Layer.build(layer), (ctx) => Context.get(ctx, Policy))

/**
 * Trains per `config`. Requires a Verifier; evaluates through an Evaluator
 * when one is in the context and `eval.every > 0`.
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
      yield* Effect.try({ try: () => mkdirSync(runDir, { recursive: true }), catch: (e) => new FileError({ path: runDir, operation: "create", reason: String(e) }) })

      const ckpt = options.resume === true ? yield* latestCheckpoint(runDir) : undefined
      if (ckpt === undefined && runLogSize(logPath) > 0) {
        if (options.resume !== true || existsSync(join(runDir, "checkpoints", "latest.json"))) {
          return yield* new InvalidInput({
            input: `trainer.runDir ${runDir}`,
            expected: "an empty run directory (or --resume to continue the run in it)",
            actual: "it already holds a run log"
          })
        }
        // --resume of a run killed before its first checkpoint: start over, keeping the old lines aside.
        yield* rewindRunLog(logPath, 0, `restart-${Date.now()}`)
      }

      if (ckpt !== undefined) yield* checkResumeConfig(logPath, config)

      const policy: PolicyShape = yield* buildPolicy(policySource(ckpt?.policyDir))
      const verifier = yield* Verifier
      const evaluator = yield* Effect.serviceOption(Evaluator)
      const tokenizer = policy.tokenizer
      const useValues = config.algorithm.advEstimator === "gae"
      const needRef = config.actor.klCoef > 0 || config.algorithm.klRewardCoef > 0

      // The reference policy is the initial one, also after a resume.
      let reference: PolicySnapshot | undefined
      if (needRef) {
        const initial = ckpt === undefined ? policy : yield* buildPolicy(policySource(undefined))
        reference = yield* Effect.acquireRelease(initial.snapshot(), (s) => s.dispose)
      }

      const actorOpt: AdamW = makeAdamW(policy.trainableVariables, config.actor.optimizer)
      const criticOpt: AdamW | undefined = useValues ? makeAdamW(policy.valueHeadVariables, config.critic.optimizer) : undefined
      yield* Effect.addFinalizer(() => Effect.sync(() => [actorOpt, criticOpt].forEach((o) => o?.dispose())))
      if (ckpt !== undefined) {
        yield* Effect.try({
          try: () => {
            actorOpt.importState(ckpt.state.actor)
            if (criticOpt !== undefined && ckpt.state.critic !== undefined) criticOpt.importState(ckpt.state.critic)
          },
          catch: (e) => new InvalidInput({ input: `${ckpt.dir}/state.json`, expected: "optimizer states matching the policy", actual: String(e) })
        })
      }

      const rows = yield* loadTrainingRows(config.data)
      const B = config.trainer.batchSize
      yield* stepsPerEpoch(rows.length, B)
      const n = config.rollout.n

      // Run log: rewind to the checkpoint (orphaning recomputed steps), then a header.
      const startStep = ckpt?.state.step ?? 0
      const runId = ckpt?.state.runId ?? `${config.experiment}-${new Date().toISOString().replace(/[:.]/g, "-")}`
      if (ckpt !== undefined) yield* rewindRunLog(logPath, ckpt.state.runLogBytes, `step${startStep}-${Date.now()}`)
      yield* appendRunLog(logPath, {
        _tag: "header",
        runId,
        createdAt: new Date().toISOString(),
        config: encodeConfig(config),
        env: environment(),
        ...(ckpt === undefined ? {} : { resumedFrom: startStep })
      })

      const completed = yield* Ref.make(startStep)
      const checkpointed = yield* Ref.make(startStep)
      const progress = makeProgress({ quiet: options.quiet === true })

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

      const evaluate = (step: number) =>
        Effect.gen(function* () {
          const out: Record<string, number> = {}
          if (Option.isNone(evaluator) || config.eval.benchmarks.length === 0) return out
          const t0 = performance.now()
          for (const benchmark of config.eval.benchmarks) {
            const summary = yield* evaluator.value.evaluate(policy.generate, benchmark, config.eval.protocol)
            yield* appendRunLog(logPath, { _tag: "eval", step, summary })
            out[`val/test_score/${benchmark}`] = summary.accuracy
          }
          out["timing_s/eval"] = seconds(t0)
          return out
        })

      /** Rollouts and rewards: interruptible, changes nothing. */
      const rollout = (step: number) =>
        Effect.gen(function* () {
          const tGen = performance.now()
          const problems = batchIndices(rows.length, B, step - 1, config.seed, config.data.shuffle).map((i) => rows[i]!)
          const prompts = problems.map((p) => [tokenizer.bosId, ...tokenizer.encode(config.data.promptTemplate.replace("{prompt}", p.prompt))])
          const samples = yield* policy.generateIds(
            prompts,
            GenerateOptions.make({
              n,
              temperature: config.rollout.temperature,
              topP: config.rollout.topP,
              maxTokens: config.rollout.maxTokens,
              stop: config.rollout.stop,
              seed: hashInts(config.seed, Stream.sampling, step) & 0x7fffffff
            })
          )
          const rollouts: Array<Rollout> = problems.flatMap((problem, row) =>
            samples[row]!.map((s) => ({ row, problem, prompt: prompts[row]!, response: s.tokenIds, text: s.text, truncated: s.finishReason === "length" }))
          )
          const genS = seconds(tGen)
          const tRew = performance.now()
          const grades = yield* verifier.gradeBatch(
            rollouts.map((r) => ({ response: r.text, gold: r.problem.answer })),
            { mode: config.reward.mode, timeoutMs: config.reward.timeoutMs }
          )
          const scores = grades.map((g) => (g.correct ? 1 : 0))
          return { rollouts, scores, timing: { "timing_s/gen": genS, "timing_s/reward": seconds(tRew) } }
        })

      /** Advantages, updates, logging, checkpoint: uninterruptible, so a step is all or nothing. */
      const update = (step: number, r: Effect.Effect.Success<ReturnType<typeof rollout>>, tStep: number) =>
        Effect.gen(function* () {
          const { rollouts, scores } = r
          const metrics: Record<string, number> = { ...r.timing }
          const R = rollouts.length
          const full = tokenBatch(rollouts, tokenizer.padId)

          let t0 = performance.now()
          const micro = config.actor.microBatchSize ?? R
          // As verl: the actor, the old policy and the reference are scored at the rollout temperature
          // (logits / T), so ratios, KL and entropy refer to the distribution that was sampled.
          const scoreT = config.rollout.temperature > 0 ? config.rollout.temperature : 1
          const chunks = chunkIndices(Array.from({ length: R }, (_, i) => i), micro)
          const subBatch = (idx: ReadonlyArray<number>): TokenBatch => ({ tokens: idx.map((i) => full.tokens[i]!), responseMask: idx.map((i) => full.responseMask[i]!) })
          const scoreAll = (scorer: { readonly scoreTensors: PolicyShape["scoreTensors"] }, withValues: boolean) => {
            const logprobs: Array<Array<number>> = []
            const values: Array<Array<number>> = []
            for (const idx of chunks) {
              tf.tidy(() => {
                const s = scorer.scoreTensors(subBatch(idx), { withValues, temperature: scoreT })
                logprobs.push(...s.logprobs.arraySync())
                if (s.values !== undefined) values.push(...s.values.arraySync())
              })
            }
            return { logprobs, values: withValues ? values : undefined }
          }
          const old = scoreAll(policy, useValues)
          metrics["timing_s/old_log_prob"] = seconds(t0)
          t0 = performance.now()
          const refLp = reference === undefined ? undefined : scoreAll(reference, false).logprobs
          if (reference !== undefined) metrics["timing_s/ref"] = seconds(t0)

          // Advantages
          t0 = performance.now()
          const respOld = rollouts.map((ro, k) => responsePart(old.logprobs[k]!, ro))
          const respRef = refLp === undefined ? undefined : rollouts.map((ro, k) => responsePart(refLp[k]!, ro))
          const beta = config.algorithm.klRewardCoef
          const tokenRewards = rollouts.map((ro, k) => {
            const base = outcomeTokenRewards(scores[k]!, ro.response.length)
            return beta > 0 && respRef !== undefined
              ? base.map((x, t) => x - beta * klPenalty(respOld[k]![t]!, respRef[k]![t]!, config.algorithm.klRewardEstimator))
              : base
          })
          const seqRewards = tokenRewards.map((tr) => tr.reduce((s, x) => s + x, 0))
          const groupIds = rollouts.map((ro) => ro.row)
          let advTokens: Array<Array<number>>
          let returns: Array<Array<number>> | undefined
          switch (config.algorithm.advEstimator) {
            case "grpo":
            case "drgrpo": {
              const a = grpoAdvantages(seqRewards, groupIds, { normalizeByStd: config.algorithm.advEstimator === "grpo" })
              advTokens = rollouts.map((ro, k) => new Array<number>(ro.response.length).fill(a[k]!))
              break
            }
            case "rloo": {
              const a = rlooAdvantages(seqRewards, groupIds)
              advTokens = rollouts.map((ro, k) => new Array<number>(ro.response.length).fill(a[k]!))
              break
            }
            case "gae": {
              const vals = rollouts.map((ro, k) => responsePart(old.values![k]!, ro))
              const g = rollouts.map((_, k) => gae(tokenRewards[k]!, vals[k]!, config.algorithm.gamma, config.algorithm.lambda))
              returns = g.map((x) => x.returns)
              advTokens = whiten(g.map((x) => x.advantages))
              metrics["critic/values/mean"] = mean(vals.flat())
              metrics["critic/returns/mean"] = mean(returns.flat())
              break
            }
          }
          metrics["timing_s/adv"] = seconds(t0)

          // Updates
          const T = full.T
          const advRows = placeRows(rollouts, advTokens, T)
          const returnRows = returns === undefined ? undefined : placeRows(rollouts, returns, T)
          const miniPrompts = config.actor.miniBatchSize ?? B
          const perMini = Math.max(1, miniPrompts * n)
          const acc: Record<string, Array<number>> = {}
          const push = (k: string, v: number) => (acc[k] ??= []).push(v)
          const lossConfig = {
            pgCoef: config.actor.pgCoef,
            entropyCoef: config.actor.entropyCoef,
            klCoef: config.actor.klCoef,
            klEstimator: config.actor.klEstimator,
            aggregation: config.actor.aggregation,
            clip: { clipLow: config.actor.clipLow, clipHigh: config.actor.clipHigh, clipRatioC: config.actor.clipRatioC }
          }
          let critS = 0
          let actS = 0
          // Per-response weights that make the sum over micro-batches equal the mini-batch loss:
          // token-mean weighs by tokens, the seq-means by responses.
          const tokensOf = (i: number) => rollouts[i]!.response.length
          for (let epoch = 0; epoch < config.actor.ppoEpochs; epoch++) {
            const order = config.actor.shuffle ? permutation(R, hashInts(config.seed, Stream.miniBatch, step, epoch)) : Array.from({ length: R }, (_, i) => i)
            for (let start = 0; start < R; start += perMini) {
              const mini = order.slice(start, start + perMini)
              const miniTokens = Math.max(1, mini.reduce((a, i) => a + tokensOf(i), 0))
              const weightOf = (idx: ReadonlyArray<number>) =>
                config.actor.aggregation === "token-mean" ? idx.reduce((a, i) => a + tokensOf(i), 0) / miniTokens : idx.length / mini.length
              const pick = (idx: ReadonlyArray<number>, m: ReadonlyArray<ReadonlyArray<number>>) => tf.tensor2d(idx.map((i) => [...m[i]!]), [idx.length, T])
              if (criticOpt !== undefined && returnRows !== undefined && old.values !== undefined) {
                const tc = performance.now()
                const g = accumulate(chunkIndices(mini, micro), policy.valueHeadVariables, (idx) => {
                  const s = policy.scoreTensors(subBatch(idx), { withValues: true })
                  const vl = valueLossTensor(s.values!, pick(idx, old.values!), pick(idx, returnRows), pick(idx, full.responseMask), config.critic.clipRangeValue, config.actor.aggregation)
                  return { loss: vl.loss, weight: weightOf(idx), parts: { "critic/vf_clipfrac": vl.clipfrac } }
                })
                const st = criticOpt.step(g.grads)
                push("critic/vf_loss", g.loss)
                push("critic/vf_clipfrac", g.parts["critic/vf_clipfrac"] ?? 0)
                push("critic/grad_norm", st.gradNorm)
                push("critic/lr", st.lr)
                tf.dispose(Object.values(g.grads))
                critS += seconds(tc)
              }
              const ta = performance.now()
              const g = accumulate(chunkIndices(mini, micro), policy.trainableVariables, (idx) => {
                const s = policy.scoreTensors(subBatch(idx), { temperature: scoreT })
                const out = actorLossTensor(
                  {
                    logprobs: s.logprobs,
                    entropies: s.entropies,
                    oldLogprobs: pick(idx, old.logprobs),
                    refLogprobs: refLp === undefined ? undefined : pick(idx, refLp),
                    advantages: pick(idx, advRows),
                    mask: pick(idx, full.responseMask)
                  },
                  lossConfig
                )
                return {
                  loss: out.loss,
                  weight: weightOf(idx),
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
              const st = actorOpt.step(g.grads)
              for (const [k, v] of Object.entries(g.parts)) push(k, v)
              push("actor/loss", g.loss)
              push("actor/grad_norm", st.gradNorm)
              push("actor/lr", st.lr)
              push("actor/update_skipped", st.skipped ? 1 : 0)
              tf.dispose(Object.values(g.grads))
              actS += seconds(ta)
            }
          }
          for (const [k, v] of Object.entries(acc)) metrics[k] = mean(v)
          metrics["actor/entropy_loss"] = metrics["actor/entropy"] ?? 0
          metrics["actor/kl_coef"] = config.actor.klCoef
          metrics["actor/pg_coef"] = config.actor.pgCoef
          metrics["actor/entropy_coeff"] = config.actor.entropyCoef
          metrics["timing_s/update_actor"] = actS
          if (criticOpt !== undefined) metrics["timing_s/update_critic"] = critS
          metrics["timing_s/update"] = actS + critS

          // Batch statistics (verl names)
          const lens = rollouts.map((ro) => ro.response.length)
          const allAdv = advTokens.flat()
          Object.assign(metrics, {
            "critic/score/mean": mean(scores),
            "critic/score/max": Math.max(...scores),
            "critic/score/min": Math.min(...scores),
            "critic/rewards/mean": mean(seqRewards),
            "critic/rewards/max": Math.max(...seqRewards),
            "critic/rewards/min": Math.min(...seqRewards),
            "critic/advantages/mean": mean(allAdv),
            "critic/advantages/max": allAdv.length === 0 ? 0 : Math.max(...allAdv),
            "critic/advantages/min": allAdv.length === 0 ? 0 : Math.min(...allAdv),
            "response_length/mean": mean(lens),
            "response_length/max": Math.max(...lens),
            "response_length/min": Math.min(...lens),
            "response_length/clip_ratio": mean(rollouts.map((ro) => (ro.truncated ? 1 : 0))),
            "prompt_length/mean": mean(rollouts.map((ro) => ro.prompt.length)),
            "training/epoch": Math.floor((step - 1) / Math.floor(rows.length / B)),
            "training/global_step": step
          })
          if (beta > 0) metrics["actor/reward_kl_penalty"] = mean(seqRewards.map((s, k) => scores[k]! - s))

          // Per-example accuracy (the authors' acc_step history) and a few generations.
          const perExample: Record<string, Array<number>> = {}
          rollouts.forEach((ro, k) => (perExample[ro.problem.id] ??= []).push(scores[k]!))
          const accuracy = Object.fromEntries(Object.entries(perExample).map(([id, xs]) => [id, mean(xs)]))

          const evalMetrics = config.eval.every > 0 && step % config.eval.every === 0 ? yield* evaluate(step) : {}
          Object.assign(metrics, evalMetrics)
          metrics["timing_s/step"] = seconds(tStep)
          yield* appendRunLog(logPath, { _tag: "step", step, metrics })
          yield* appendRunLog(logPath, { _tag: "accuracy", step, perExample: accuracy })
          if (config.trainer.generationsEvery > 0 && step % config.trainer.generationsEvery === 0 && config.trainer.generationsLogged > 0) {
            yield* appendRunLog(logPath, {
              _tag: "generations",
              step,
              samples: rollouts.slice(0, config.trainer.generationsLogged).map((ro, k) => ({ id: ro.problem.id, response: ro.text, reward: scores[k]! }))
            })
          }
          yield* Ref.set(completed, step)
          if (step % config.trainer.checkpointEvery === 0 || step === config.trainer.steps) yield* saveCheckpoint(step)
          return metrics
        })

      const last = config.trainer.steps
      const stopAt = options.maxSteps === undefined ? last : Math.min(last, startStep + options.maxSteps)
      let lastMetrics: Record<string, number> = {}
      /** Latest in-training evaluation accuracy (mean over benchmarks), shown by the progress bar. */
      let lastEval: number | undefined
      const loop = Effect.gen(function* () {
        if (startStep === 0 && config.eval.beforeTrain && config.eval.every > 0) {
          const m = yield* evaluate(0)
          if (Object.keys(m).length > 0) yield* appendRunLog(logPath, { _tag: "step", step: 0, metrics: m })
          const evals = Object.entries(m).filter(([k]) => k.startsWith("val/test_score/"))
          if (evals.length > 0) lastEval = mean(evals.map(([, v]) => v))
        }
        progress.start(last, startStep)
        for (let step = startStep + 1; step <= stopAt; step++) {
          const tStep = performance.now()
          const r = yield* rollout(step)
          lastMetrics = yield* Effect.uninterruptible(update(step, r, tStep))
          const evals = Object.entries(lastMetrics).filter(([k]) => k.startsWith("val/test_score/"))
          if (evals.length > 0) lastEval = mean(evals.map(([, v]) => v))
          progress.update(step, { reward: lastMetrics["critic/score/mean"] ?? 0, accuracy: lastEval })
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

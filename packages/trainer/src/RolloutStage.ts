/**
 * The rollout and reward stages of a step: the step's prompts (a pure
 * function of seed and step), `rollout.n` samples each from the replicas,
 * then 0/1 rewards from the Verifier. Both change nothing, so they may be
 * interrupted.
 */
import { GenerateOptions, type Problem, type VerifierShape } from "@oneshot/core"
import type { PolicyError, TokenizerShape } from "@oneshot/policy"
import { Effect } from "effect"
import type { TrainConfig } from "./Config.ts"
import { trainingPromptIds } from "./ChatPrompt.ts"
import type { Replicas } from "./Replicas.ts"
import { hashInts, Stream } from "./Rng.ts"
import type { Rollout } from "./StepBatch.ts"
import { batchIndices } from "./TrainData.ts"

/** The prompt token ids of a problem: BOS first (char tokenizer), or the chat template as verl renders it (`ChatPrompt.ts`). */
export const promptIds = (tokenizer: TokenizerShape, template: string, problem: Problem): Array<number> =>
  trainingPromptIds(tokenizer, template, problem.prompt)

/** The sampling options of a step: the seed is a function of (seed, step). */
export const samplingOptions = (config: TrainConfig, step: number): GenerateOptions =>
  GenerateOptions.make({
    n: config.rollout.n,
    temperature: config.rollout.temperature,
    topP: config.rollout.topP,
    maxTokens: config.rollout.maxTokens,
    stop: config.rollout.stop,
    seed: hashInts(config.seed, Stream.sampling, step) & 0x7fffffff
  })

/** Generates the step's rollouts, in (prompt, sample) order. */
export const rollouts = (
  config: TrainConfig,
  rows: ReadonlyArray<Problem>,
  tokenizer: TokenizerShape,
  replicas: Replicas,
  step: number
): Effect.Effect<Array<Rollout>, PolicyError> =>
  Effect.gen(function* () {
    const problems = batchIndices(rows.length, config.trainer.batchSize, step - 1, config.seed, config.data.shuffle).map((i) => rows[i]!)
    const prompts = problems.map((p) => promptIds(tokenizer, config.data.promptTemplate, p))
    const samples = yield* replicas.generateIds(prompts, samplingOptions(config, step))
    return problems.flatMap((problem, row) =>
      samples[row]!.map((s) => ({ row, problem, prompt: prompts[row]!, response: s.tokenIds, text: s.text, truncated: s.finishReason === "length" }))
    )
  })

/** 0/1 rewards of the rollouts from the Verifier, in the config's mode. */
export const rewards = (config: TrainConfig, verifier: VerifierShape, batch: ReadonlyArray<Rollout>): Effect.Effect<Array<number>> =>
  Effect.map(
    verifier.gradeBatch(
      batch.map((r) => ({ response: r.text, gold: r.problem.answer })),
      { mode: config.reward.mode, timeoutMs: config.reward.timeoutMs }
    ),
    (grades) => grades.map((g) => (g.correct ? 1 : 0))
  )

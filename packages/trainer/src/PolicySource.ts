/**
 * Where a run's policy comes from, as the trainer's `PolicySource`: a
 * checkpoint being resumed, else `model.path` (a saved base model), else
 * fresh weights of a model preset. The tfjs backend is chosen by
 * `model.backend` (default: ONESHOT_BACKEND or wasm).
 */
import { InvalidInput } from "@oneshot/core"
import {
  Backend,
  capacityHere,
  loadCheckpointTokenizer,
  makeCharTokenizer,
  memoryPlan,
  ModelPresets,
  planProblem,
  type Policy,
  type PolicyInitError,
  PolicyLive,
  readCheckpointConfig,
  type BackendError
} from "@oneshot/policy"
import { Effect, Layer } from "effect"
import { totalmem } from "node:os"
import { trainingPromptIds } from "./ChatPrompt.ts"
import type { TrainConfig } from "./Config.ts"
import { readProblems } from "./TrainData.ts"
import type { PolicySource } from "./Trainer.ts"

export const backendLayer = (config: TrainConfig): Layer.Layer<Backend, BackendError> =>
  config.model.backend === undefined ? Backend.fromEnv : Backend.layer(config.model.backend)

export const policySourceFor = (config: TrainConfig): PolicySource<PolicyInitError | InvalidInput, never> => {
  const backend = backendLayer(config)
  return (checkpointDir: string | undefined): Layer.Layer<Policy, PolicyInitError | InvalidInput> => {
    const dir = checkpointDir ?? config.model.path
    if (dir !== undefined) return Layer.unwrapEffect(Effect.as(checkMemory(config, dir), PolicyLive.load(dir).pipe(Layer.provide(backend))))
    const init = config.model.init
    const shape = init?.config ?? (init?.preset === undefined ? undefined : ModelPresets[init.preset])
    if (init !== undefined && shape !== undefined) {
      const tokenizer = init.chars === undefined ? {} : { tokenizer: makeCharTokenizer([...init.chars]) }
      return PolicyLive.init(shape, { seed: init.seed, ...tokenizer }).pipe(Layer.provide(backend))
    }
    return Layer.fail(
      new InvalidInput({
        input: "config field model",
        expected: "model.path (a policy checkpoint directory, e.g. the world's base model) or model.init with a preset (tiny | small | medium) or a config"
      })
    )
  }
}

/**
 * Refuses a run whose memory plan exceeds the backend (wasm: 4 GiB) before any
 * weights are read: the longest training prompt plus the response length,
 * the rollouts of a step, one micro-batch's activations.
 */
export const checkMemory = (config: TrainConfig, dir: string): Effect.Effect<void, PolicyInitError | InvalidInput> =>
  Effect.gen(function* () {
    const model = yield* readCheckpointConfig(dir)
    const tokenizer = yield* loadCheckpointTokenizer(dir)
    const problems = yield* readProblems(config.data.train).pipe(Effect.orElseSucceed(() => []))
    const longestPrompt = Math.max(1, ...problems.map((p) => trainingPromptIds(tokenizer, config.data.promptTemplate, p.prompt).length))
    const rows = config.trainer.batchSize * config.rollout.n
    const plan = memoryPlan(model, {
      rolloutRows: rows,
      sequenceTokens: Math.min(model.max_position_embeddings, longestPrompt + config.rollout.maxTokens),
      trainRows: config.actor.microBatchSize ?? rows,
      reference: config.actor.klCoef > 0
    })
    const backend = config.model.backend ?? process.env["ONESHOT_BACKEND"] ?? "wasm"
    const problem = planProblem(plan, backend, capacityHere(backend, process.env, totalmem()))
    if (problem !== undefined) return yield* new InvalidInput({ input: `model.path ${dir}`, expected: "a model and batch that fit in memory", actual: problem })
  })

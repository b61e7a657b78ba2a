/**
 * Where a run's policy comes from, as the trainer's `PolicySource`: a
 * checkpoint being resumed, else `model.path` (a saved base model), else
 * fresh weights of a model preset. The tfjs backend is chosen by
 * `model.backend` (default: ONESHOT_BACKEND or wasm).
 */
import { InvalidInput } from "@oneshot/core"
import { Backend, makeCharTokenizer, ModelPresets, type Policy, type PolicyInitError, PolicyLive, type BackendError } from "@oneshot/policy"
import { Layer } from "effect"
import type { TrainConfig } from "./Config.ts"
import type { PolicySource } from "./Trainer.ts"

export const backendLayer = (config: TrainConfig): Layer.Layer<Backend, BackendError> =>
  config.model.backend === undefined ? Backend.fromEnv : Backend.layer(config.model.backend)

export const policySourceFor = (config: TrainConfig): PolicySource<PolicyInitError | InvalidInput, never> => {
  const backend = backendLayer(config)
  return (checkpointDir: string | undefined): Layer.Layer<Policy, PolicyInitError | InvalidInput> => {
    const dir = checkpointDir ?? config.model.path
    if (dir !== undefined) return PolicyLive.load(dir).pipe(Layer.provide(backend))
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

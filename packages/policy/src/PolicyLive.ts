/**
 * The live Policy: the transformer of `Model.ts` on the active tfjs backend,
 * from fresh weights (`init`) or a checkpoint (`load`). Layers are scoped:
 * the weights are freed when the layer is released.
 */
import * as tf from "@tensorflow/tfjs"
import type { GenerateOptions } from "@oneshot/core"
import { Effect, Layer } from "effect"
import { Backend } from "./Backend.ts"
import { type CheckpointFormat, loadCheckpoint, ONESHOT_FORMAT, saveCheckpoint } from "./Checkpoint.ts"
import { PolicyError } from "./Errors.ts"
import { generateTokens } from "./Generate.ts"
import { activationBytes, formatBytes } from "./MemoryPlan.ts"
import { Runtime, scoreForward } from "./Model.ts"
import { configProblem, type ModelConfig } from "./ModelConfig.ts"
import {
  Policy,
  type PolicyInitError,
  type PolicyShape,
  type PolicySnapshot,
  type ScoreArrays,
  type ScoreOptions,
  type ScoreTensors,
  type Scorer,
  scoreTemperature,
  type TokenBatch
} from "./Policy.ts"
import { CharTokenizer, type TokenizerShape } from "./Tokenizer.ts"
import { guardWasmHeap, isWasmHeapError, noteWasmPass, wasmTensorLimit } from "./WasmHeap.ts"
import { cloneWeights, disposeWeights, initWeights, type Weights, weightsFromTensors } from "./Weights.ts"

/** Checks a batch's shape and ids; returns the problem. */
export const batchProblem = (c: ModelConfig, batch: TokenBatch): PolicyError | undefined => {
  const B = batch.tokens.length
  if (B === 0) return new PolicyError({ input: "batch.tokens", expected: "at least one sequence", actual: "[]" })
  const T = batch.tokens[0]!.length
  if (T === 0) return new PolicyError({ input: "batch.tokens[0]", expected: "at least one token", actual: "[]" })
  if (T > c.max_position_embeddings) {
    return new PolicyError({ input: "batch.tokens", expected: `length ≤ max_position_embeddings (${c.max_position_embeddings})`, actual: String(T) })
  }
  if (batch.responseMask.length !== B) {
    return new PolicyError({ input: "batch.responseMask", expected: `${B} rows like batch.tokens`, actual: String(batch.responseMask.length) })
  }
  for (let b = 0; b < B; b++) {
    const row = batch.tokens[b]!
    if (row.length !== T) return new PolicyError({ input: `batch.tokens[${b}]`, expected: `length ${T} (right-pad every row)`, actual: String(row.length) })
    if (batch.responseMask[b]!.length !== T) {
      return new PolicyError({ input: `batch.responseMask[${b}]`, expected: `length ${T}`, actual: String(batch.responseMask[b]!.length) })
    }
    for (const id of row) {
      if (!Number.isInteger(id) || id < 0 || id >= c.vocab_size) {
        return new PolicyError({ input: `batch.tokens[${b}]`, expected: `token ids in [0, ${c.vocab_size})`, actual: String(id) })
      }
    }
  }
  return undefined
}

/** The wasm heap's refusal (`WasmHeap.ts`) re-raised naming the batch that did not fit, and the limit. */
export const scoreHeapError = (c: ModelConfig, batch: TokenBatch, e: PolicyError): PolicyError =>
  new PolicyError({
    input: batchLabel(batch),
    expected:
      `a pass whose tensors fit the wasm backend's heap (${formatBytes(wasmTensorLimit())} for tensors; ` +
      `with gradients this batch needs ≈ ${formatBytes(activationBytes(c, batch.tokens.length, batch.tokens[0]?.length ?? 0))}): ` +
      "fewer rows per pass (actor.microBatchSize), shorter sequences, or a GPU backend",
    actual: e.actual ?? e.expected,
    cause: e
  })

const batchLabel = (batch: TokenBatch): string => `batch.tokens (${batch.tokens.length} rows × ${batch.tokens[0]?.length ?? 0} tokens)`

/** What a refusal in the caller's backward pass reports as the policy's last pass. */
const notePass = (c: ModelConfig, batch: TokenBatch): void =>
  noteWasmPass(`${batchLabel(batch)}, ≈ ${formatBytes(activationBytes(c, batch.tokens.length, batch.tokens[0]?.length ?? 0))} with gradients`)

/** `f()`, with a wasm heap refusal re-raised by `wrap`; other errors pass unchanged. */
const onHeapError = <A>(f: () => A, wrap: (e: PolicyError) => PolicyError): A => {
  try {
    return f()
  } catch (e) {
    throw isWasmHeapError(e) ? wrap(e) : e
  }
}

const makeScorer = (config: ModelConfig, tokenizer: TokenizerShape, rt: Runtime, w: Weights): Scorer => {
  const scoreTensors = (batch: TokenBatch, options?: ScoreOptions): ScoreTensors => {
    const problem = batchProblem(config, batch)
    if (problem !== undefined) throw problem
    const t = scoreTemperature(options)
    notePass(config, batch)
    return onHeapError(() => scoreForward(config, rt, w, batch.tokens, options?.withValues === true, t), (e) => scoreHeapError(config, batch, e))
  }
  const score = (batch: TokenBatch, options?: ScoreOptions): Effect.Effect<ScoreArrays, PolicyError> =>
    Effect.suspend(() => {
      const problem = batchProblem(config, batch)
      if (problem !== undefined) return Effect.fail(problem)
      const temperature = Effect.try({ try: () => scoreTemperature(options), catch: (e) => e as PolicyError })
      return Effect.flatMap(temperature, (t) => Effect.suspend(() => {
        let s: ScoreTensors
        notePass(config, batch)
        try {
          s = scoreForward(config, rt, w, batch.tokens, options?.withValues === true, t)
        } catch (e) {
          // A heap refusal is the caller's to handle (a smaller batch); anything else stays a defect.
          if (isWasmHeapError(e)) return Effect.fail(scoreHeapError(config, batch, e))
          throw e
        }
        const out: ScoreArrays = {
          logprobs: s.logprobs.arraySync(),
          entropies: s.entropies.arraySync(),
          ...(s.values === undefined ? {} : { values: s.values.arraySync() })
        }
        s.logprobs.dispose()
        s.entropies.dispose()
        s.values?.dispose()
        return Effect.succeed(out)
      }))
    })
  return { config, tokenizer, scoreTensors, score }
}

/** The wasm heap's refusal re-raised naming the prompts and options that did not fit, and the limit. */
export const generateHeapError = (
  promptIds: ReadonlyArray<ReadonlyArray<number>>,
  options: GenerateOptions,
  e: PolicyError
): PolicyError =>
  new PolicyError({
    input: `generate (${promptIds.length} prompts × n ${options.n}, longest prompt ${Math.max(0, ...promptIds.map((p) => p.length))} + maxTokens ${options.maxTokens} tokens)`,
    expected: `sampling whose tensors fit the wasm backend's heap (${formatBytes(wasmTensorLimit())} for tensors): fewer prompts per call, fewer samples, or fewer tokens`,
    actual: e.actual ?? e.expected,
    cause: e
  })

/** A Policy over `weights` (which it now owns). */
export const makePolicy = (
  config: ModelConfig,
  tokenizer: TokenizerShape,
  weights: Weights,
  /** How `save` writes it (default: this project's F32 layout). */
  format: CheckpointFormat = ONESHOT_FORMAT
): PolicyShape => {
  guardWasmHeap()
  const rt = new Runtime(config)
  const scorer = makeScorer(config, tokenizer, rt, weights)
  const generateIds = (promptIds: ReadonlyArray<ReadonlyArray<number>>, options: GenerateOptions) =>
    Effect.try({
      try: () => {
        noteWasmPass(`generate (${promptIds.length} prompts × n ${options.n})`)
        return generateTokens(config, rt, weights, tokenizer, promptIds, options)
      },
      catch: (e) =>
        isWasmHeapError(e)
          ? generateHeapError(promptIds, options, e)
          : e instanceof PolicyError
            ? e
            : new PolicyError({ input: "generate", expected: "a successful forward pass", actual: String(e), cause: e })
    })
  return {
    ...scorer,
    generateIds,
    generate: (prompts, options) => generateIds(prompts.map((p) => tokenizer.promptIds(p)), options),
    trainableVariables: weights.transformer,
    valueHeadVariables: weights.valueHead,
    snapshot: () =>
      Effect.sync((): PolicySnapshot => {
        const frozen = cloneWeights(config, weights, false)
        const srt = new Runtime(config)
        return {
          ...makeScorer(config, tokenizer, srt, frozen),
          dispose: Effect.sync(() => {
            disposeWeights(frozen)
            srt.dispose()
          })
        }
      }),
    save: (dir) => saveCheckpoint(dir, config, tokenizer, weights, format),
    dispose: Effect.sync(() => {
      disposeWeights(weights)
      rt.dispose()
    })
  }
}

const checkConfig = (config: ModelConfig, tokenizer: TokenizerShape): Effect.Effect<void, PolicyError> => {
  const problem = configProblem(config)
  if (problem !== undefined) return Effect.fail(new PolicyError({ input: "ModelConfig", expected: problem }))
  if (tokenizer.vocabSize > config.vocab_size) {
    return Effect.fail(
      new PolicyError({ input: "ModelConfig.vocab_size", expected: `≥ the tokenizer's ${tokenizer.vocabSize} ids`, actual: String(config.vocab_size) })
    )
  }
  return Effect.void
}

export interface InitOptions {
  readonly seed: number
  readonly tokenizer?: TokenizerShape
}

const scoped = <E, R>(make: Effect.Effect<PolicyShape, E, R>) =>
  Layer.scoped(Policy, Effect.acquireRelease(make, (p) => p.dispose))

export const PolicyLive = {
  /** A policy with fresh random weights (deterministic for a seed). Call `dispose` when done. */
  make: (config: ModelConfig, options: InitOptions): Effect.Effect<PolicyShape, PolicyError, Backend> =>
    Effect.gen(function* () {
      yield* Backend
      const tokenizer = options.tokenizer ?? CharTokenizer
      yield* checkConfig(config, tokenizer)
      return makePolicy(config, tokenizer, initWeights(config, options.seed))
    }),
  /** A policy from a checkpoint directory. Call `dispose` when done. */
  fromCheckpoint: (dir: string): Effect.Effect<PolicyShape, PolicyInitError, Backend> =>
    Effect.gen(function* () {
      yield* Backend
      const ck = yield* loadCheckpoint(dir)
      return makePolicy(ck.config, ck.tokenizer, weightsFromTensors(ck.config, ck.tensors, true), ck.format)
    }),
  /** Layer: fresh random weights. */
  init: (config: ModelConfig, options: InitOptions): Layer.Layer<Policy, PolicyInitError, Backend> =>
    scoped(PolicyLive.make(config, options)),
  /** Layer: weights from `dir` (config.json, tokenizer.json, model.safetensors). */
  load: (dir: string): Layer.Layer<Policy, PolicyInitError, Backend> => scoped(PolicyLive.fromCheckpoint(dir))
}

/** Number of live tfjs tensors: what the leak tests compare. */
export const numTensors = (): number => tf.memory().numTensors

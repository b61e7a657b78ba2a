/**
 * Supervised next-token prediction (SFT / pretraining) on a Policy.
 *
 * Why here and not in the world package: it is a trainer — it owns the loss,
 * the optimizer step, the log and the checkpoints — and any corpus can drive
 * it (the synthetic world's pretraining corpus is one). The batches come from
 * a function of the step, so a run is deterministic for its seed and resumes
 * at any step without replaying the data stream.
 *
 * loss = −(sum over target tokens of log p(token | prefix)) / normaliser,
 * through `policy.scoreTensors` (differentiable), then one AdamW step. The
 * normaliser is the batch's token count by default, or a constant
 * (`SftConfig.lossNorm`, `SftLossNorm.ts`: why it matters with bucketed batches).
 */
import { InputErrorFields, inputErrorMessage } from "@oneshot/core"
import type { Scorer, TokenBatch } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Clock, Effect, Option, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { type AdamW, adamW, Optimizer, OptimizerConfig, OptimizerState } from "./Optimizer.ts"
import { BATCH_TOKEN_MEAN, meanNllOf, normalisedNllTensor, SftLossNorm } from "./SftLossNorm.ts"

export class SftConfig extends Schema.Class<SftConfig>("SftConfig")({
  steps: Schema.Int.pipe(Schema.positive()),
  batchSize: Schema.Int.pipe(Schema.positive()),
  /** Sequences longer than this (in tokens, BOS and EOS included) are truncated. */
  maxTokens: Schema.Int.pipe(Schema.positive()),
  optimizer: OptimizerConfig,
  /** Also train on the prompt tokens (plain language modelling) instead of the completion only. */
  trainOnPrompt: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  logEvery: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 10 }),
  /** 0: only at the end. */
  checkpointEvery: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 0 }),
  /**
   * How a batch's token NLLs become the loss (`SftLossNorm.ts`). Absent:
   * `batch-token-mean`, and the encoded config has no such field (configs
   * written before it stay identical).
   */
  lossNorm: Schema.optional(SftLossNorm)
}) {}

/** One training text: the prompt part and the completion part (the target). */
export interface SftExample {
  readonly prompt: string
  readonly completion: string
}

/** The policy surface SFT needs: a scorer with weights that can be updated and saved. */
export interface SftModel extends Scorer {
  readonly trainableVariables: ReadonlyArray<tf.Variable>
  readonly save: (dir: string) => Effect.Effect<void, unknown>
}

export interface SftStepMetrics {
  readonly step: number
  /** Mean NLL per target token, whatever `lossNorm` (the optimised loss is that times tokens / budget). */
  readonly loss: number
  readonly gradNorm: number
  readonly lr: number
  readonly tokens: number
  readonly seconds: number
}

export interface SftCallbacks {
  /** Called every `logEvery` steps and at the last step. */
  readonly onLog?: (m: SftStepMetrics) => Effect.Effect<void>
  /** Called after each step (progress bars). */
  readonly onStep?: (step: number) => Effect.Effect<void>
}

/** A fine-tuning input (data, checkpoint directory) that cannot be used: core's input-error shape under its own tag. */
export class SftError extends Schema.TaggedError<SftError>()("SftError", InputErrorFields) {
  override get message(): string {
    return inputErrorMessage(this)
  }
}

/**
 * Tokenizes examples into a right-padded batch: BOS prompt completion EOS,
 * truncated to `maxTokens`; the mask marks the targets (completion + EOS, or
 * every token after BOS when `trainOnPrompt`).
 */
export const makeSftBatch = (
  scorer: Pick<Scorer, "tokenizer">,
  examples: ReadonlyArray<SftExample>,
  maxTokens: number,
  trainOnPrompt: boolean
): TokenBatch => {
  const tk = scorer.tokenizer
  const rows = examples.map((e) => {
    const p = tk.encode(e.prompt)
    const c = tk.encode(e.completion)
    const tokens = [tk.bosId, ...p, ...c, tk.eosId].slice(0, maxTokens)
    const mask = tokens.map((_, t) => (t === 0 ? 0 : trainOnPrompt || t > p.length ? 1 : 0))
    return { tokens, mask }
  })
  const T = Math.max(2, ...rows.map((r) => r.tokens.length))
  return {
    tokens: rows.map((r) => [...r.tokens, ...Array<number>(T - r.tokens.length).fill(tk.padId)]),
    responseMask: rows.map((r) => [...r.mask, ...Array<number>(T - r.mask.length).fill(0)])
  }
}

/**
 * Negative log-likelihood over masked tokens, normalised by `norm` (default:
 * their mean): a differentiable scalar (call inside tidy/variableGrads).
 */
export const sftLoss = (scorer: Scorer, batch: TokenBatch, norm: SftLossNorm = BATCH_TOKEN_MEAN): tf.Scalar => {
  const { logprobs, entropies } = scorer.scoreTensors(batch)
  entropies.dispose()
  const mask = tf.tensor2d(batch.responseMask.map((r) => [...r]), undefined, "float32")
  return normalisedNllTensor(logprobs, mask, norm)
}

/** Mean NLL of a batch without a gradient (evaluation). */
export const evalLoss = (scorer: Scorer, batch: TokenBatch): number =>
  tf.tidy(() => sftLoss(scorer, batch).dataSync()[0] ?? Number.NaN)

const OPTIMIZER_FILE = "optimizer.json"

/** Writes the optimizer state atomically (temp + rename) next to the weights. */
const saveOptimizer = (dir: string, opt: AdamW): Effect.Effect<void, SftError> =>
  Effect.try({
    try: () => {
      fs.mkdirSync(dir, { recursive: true })
      const file = path.join(dir, OPTIMIZER_FILE)
      const tmp = `${file}.tmp-${process.pid}`
      fs.writeFileSync(tmp, JSON.stringify(Schema.encodeSync(OptimizerState)(opt.exportState())))
      fs.renameSync(tmp, file)
    },
    catch: (e) => new SftError({ input: dir, expected: "a writable checkpoint directory", actual: String(e), cause: e })
  })

/** Reads an optimizer state written by `runSft` (for resuming), if present. */
export const loadOptimizerState = (dir: string): OptimizerState | undefined => {
  const file = path.join(dir, OPTIMIZER_FILE)
  if (!fs.existsSync(file)) return undefined
  return Schema.decodeUnknownSync(Schema.parseJson(OptimizerState))(fs.readFileSync(file, "utf8"))
}

export interface SftRunOptions {
  /** Where checkpoints go: `<dir>/step_<N>` and `<dir>/final`. Omit to keep nothing on disk. */
  readonly checkpointDir?: string
  /** First step to run (resume); the optimizer state should be restored with `resumeState`. */
  readonly startStep?: number
  readonly resumeState?: OptimizerState
}

export interface SftResult {
  readonly steps: number
  readonly firstLoss: number
  readonly lastLoss: number
  readonly history: ReadonlyArray<SftStepMetrics>
}

/**
 * Runs `config.steps` optimizer steps; `batchAt(step)` supplies the examples of each step.
 */
export const runSft = (
  model: SftModel,
  config: SftConfig,
  batchAt: (step: number) => ReadonlyArray<SftExample>,
  callbacks: SftCallbacks = {},
  options: SftRunOptions = {}
): Effect.Effect<SftResult, SftError> =>
  Effect.gen(function* () {
    if (model.trainableVariables.length === 0) {
      return yield* new SftError({ input: "model", expected: "at least one trainable variable", actual: "none" })
    }
    const optimizer = Option.getOrElse(yield* Effect.serviceOption(Optimizer), () => adamW)
    const opt = yield* Effect.acquireRelease(
      Effect.sync(() => optimizer.make(model.trainableVariables, config.optimizer)),
      (o) => Effect.sync(() => o.dispose())
    )
    if (options.resumeState !== undefined) opt.importState(options.resumeState)
    const history: Array<SftStepMetrics> = []
    let firstLoss = Number.NaN
    let lastLoss = Number.NaN
    const start = options.startStep ?? 0
    const norm = config.lossNorm ?? BATCH_TOKEN_MEAN
    {
      for (let step = start; step < config.steps; step++) {
        const examples = batchAt(step)
        if (examples.length === 0) {
          return yield* new SftError({ input: `batch at step ${step}`, expected: "at least one example", actual: "0" })
        }
        const batch = makeSftBatch(model, examples, config.maxTokens, config.trainOnPrompt)
        const t0 = yield* Clock.currentTimeNanos
        const r = opt.minimize(() => sftLoss(model, batch, norm))
        const seconds = Number((yield* Clock.currentTimeNanos) - t0) / 1e9
        if (!Number.isFinite(r.loss)) {
          return yield* new SftError({ input: `loss at step ${step}`, expected: "a finite number", actual: String(r.loss) })
        }
        const tokens = batch.responseMask.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0)
        // Logged as the mean NLL per target token under every norm, so runs compare.
        const loss = meanNllOf(r.loss, tokens, norm)
        if (step === start) firstLoss = loss
        lastLoss = loss
        const m: SftStepMetrics = { step: step + 1, loss, gradNorm: r.gradNorm, lr: r.lr, tokens, seconds }
        history.push(m)
        if (callbacks.onStep) yield* callbacks.onStep(step + 1)
        if (callbacks.onLog && ((step + 1) % config.logEvery === 0 || step + 1 === config.steps)) yield* callbacks.onLog(m)
        const dir = options.checkpointDir
        if (dir !== undefined && config.checkpointEvery > 0 && (step + 1) % config.checkpointEvery === 0 && step + 1 < config.steps) {
          const ck = path.join(dir, `step_${step + 1}`)
          yield* model.save(ck).pipe(
            Effect.mapError((e) => new SftError({ input: ck, expected: "a saved checkpoint", actual: String(e), cause: e }))
          )
          yield* saveOptimizer(ck, opt)
        }
        yield* Effect.yieldNow()
      }
      if (options.checkpointDir !== undefined) {
        const fin = path.join(options.checkpointDir, "final")
        yield* model.save(fin).pipe(Effect.mapError((e) => new SftError({ input: fin, expected: "a saved checkpoint", actual: String(e), cause: e })))
        yield* saveOptimizer(fin, opt)
      }
    }
    return { steps: config.steps - start, firstLoss, lastLoss, history }
  }).pipe(Effect.scoped)

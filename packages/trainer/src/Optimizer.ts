/**
 * AdamW over `tf.Variable`s, as torch's `AdamW` that verl uses: decoupled
 * weight decay (p ← p − lr·wd·p before the Adam step, so decay does not pass
 * through the adaptive denominator), bias-corrected moments, global-norm
 * gradient clipping (default 1.0, torch `clip_grad_norm_`), a learning-rate
 * schedule, and a step that is skipped when the gradient norm is not finite
 * (verl does the same). State (moments, step) exports to plain arrays so a
 * checkpoint restores training exactly.
 *
 * Usage:
 * ```ts
 * const opt = makeAdamW(model.trainableVariables, OptimizerConfig.make({ lr: 1e-3, weightDecay: 0.01 }))
 * const { value: loss, grads } = tf.variableGrads(() => lossFn(), model.trainableVariables)
 * const { gradNorm, lr } = opt.step(grads)   // grads are disposed by the caller
 * tf.dispose([loss, grads]); // …
 * const state = opt.exportState(); opt.importState(state)   // checkpoints
 * ```
 * Or through the service: `const opt = (yield* Optimizer).make(vars, config)` with `OptimizerLive`.
 *
 * Steps are synchronous: gradients are tensors that must be used and freed
 * inside the same tidy scope, and the CPU/wasm backends compute eagerly.
 */
import * as tf from "@tensorflow/tfjs"
import { Context, Layer, Schema } from "effect"
import { learningRate, LrSchedule } from "./LrSchedule.ts"

export class OptimizerConfig extends Schema.Class<OptimizerConfig>("OptimizerConfig")({
  /** Peak learning rate (the paper: 1e-6 for a 1.5B model). */
  lr: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { default: () => 1e-6 }),
  beta1: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 1)), { default: () => 0.9 }),
  beta2: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 1)), { default: () => 0.999 }),
  eps: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { default: () => 1e-8 }),
  /** Decoupled weight decay (the paper: 0.01; Table 5 switches it off with 0). */
  weightDecay: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 0.01 }),
  /** Max global gradient norm; 0 disables clipping. */
  gradClip: Schema.optionalWith(Schema.Number.pipe(Schema.nonNegative()), { default: () => 1.0 }),
  schedule: Schema.optionalWith(LrSchedule, { default: () => ({ _tag: "constant" as const }) })
}) {}

/** Serializable optimizer state: moments in variable order. */
export const OptimizerState = Schema.Struct({
  step: Schema.Int,
  shapes: Schema.Array(Schema.Array(Schema.Int)),
  m: Schema.Array(Schema.Array(Schema.Number)),
  v: Schema.Array(Schema.Array(Schema.Number))
})
export type OptimizerState = typeof OptimizerState.Type

export interface StepResult {
  /** Global gradient norm before clipping (verl `actor/grad_norm`). */
  readonly gradNorm: number
  /** Learning rate used for this step (verl `actor/lr`). */
  readonly lr: number
  /** True when the gradient norm was not finite and no update was made. */
  readonly skipped: boolean
}

export interface AdamW {
  readonly config: OptimizerConfig
  readonly variables: ReadonlyArray<tf.Variable>
  /** Optimizer steps taken so far. */
  readonly stepCount: () => number
  /** The learning rate the next step will use. */
  readonly currentLr: () => number
  /** Applies one update from gradients keyed by variable name (as `tf.variableGrads` returns). Missing gradients count as 0. */
  readonly step: (grads: tf.NamedTensorMap) => StepResult
  /** Computes the gradients of `loss` w.r.t. the variables and steps; returns the loss value too. */
  readonly minimize: (loss: () => tf.Scalar) => StepResult & { readonly loss: number }
  readonly exportState: () => OptimizerState
  /** Restores a state exported by an optimizer over variables of the same shapes; throws RangeError naming the mismatch otherwise. */
  readonly importState: (state: OptimizerState) => void
  /** Frees the moment tensors. */
  readonly dispose: () => void
}

/** Global L2 norm of a set of gradients (torch `clip_grad_norm_` total norm). */
export const globalNorm = (grads: ReadonlyArray<tf.Tensor>): number =>
  grads.length === 0 ? 0 : tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!)

export const makeAdamW = (variables: ReadonlyArray<tf.Variable>, config: OptimizerConfig = OptimizerConfig.make({})): AdamW => {
  let t = 0
  let m: Array<tf.Tensor> = variables.map((v) => tf.keep(tf.zerosLike(v)))
  let s: Array<tf.Tensor> = variables.map((v) => tf.keep(tf.zerosLike(v)))
  const byName = new Map(variables.map((v, i) => [v.name, i] as const))
  const lrAt = (step: number) => learningRate(config.lr, config.schedule, step)

  const step = (grads: tf.NamedTensorMap): StepResult => {
    for (const name of Object.keys(grads)) {
      if (!byName.has(name)) throw new RangeError(`Optimizer.step: gradient for unknown variable ${name}; expected one of the optimizer's ${variables.length} variables`)
    }
    const gs = variables.map((v) => grads[v.name])
    const present = gs.filter((g): g is tf.Tensor => g !== undefined)
    const gradNorm = globalNorm(present)
    const lr = lrAt(t)
    if (!Number.isFinite(gradNorm)) return { gradNorm, lr, skipped: true }
    const coef = config.gradClip > 0 ? Math.min(1, config.gradClip / (gradNorm + 1e-6)) : 1
    t += 1
    const bc1 = 1 - config.beta1 ** t
    const bc2 = 1 - config.beta2 ** t
    variables.forEach((v, i) => {
      const g0 = gs[i]
      const [nm, ns] = tf.tidy(() => {
        const g = g0 === undefined ? tf.zerosLike(v) : coef === 1 ? g0 : tf.mul(g0, coef)
        const mi = tf.add(tf.mul(m[i]!, config.beta1), tf.mul(g, 1 - config.beta1))
        const si = tf.add(tf.mul(s[i]!, config.beta2), tf.mul(tf.square(g), 1 - config.beta2))
        const decayed = config.weightDecay > 0 ? tf.mul(v, 1 - lr * config.weightDecay) : v
        const update = tf.div(tf.div(mi, bc1), tf.add(tf.sqrt(tf.div(si, bc2)), config.eps))
        v.assign(tf.sub(decayed, tf.mul(update, lr)))
        return [mi, si]
      })
      m[i]!.dispose()
      s[i]!.dispose()
      m[i] = tf.keep(nm)
      s[i] = tf.keep(ns)
    })
    return { gradNorm, lr, skipped: false }
  }

  return {
    config,
    variables,
    stepCount: () => t,
    currentLr: () => lrAt(t),
    step,
    minimize: (loss) => {
      const { grads, value } = tf.variableGrads(loss, [...variables])
      const lossValue = value.dataSync()[0]!
      const r = step(grads)
      tf.dispose([value, ...Object.values(grads)])
      return { ...r, loss: lossValue }
    },
    exportState: () => ({
      step: t,
      shapes: variables.map((v) => [...v.shape]),
      m: m.map((x) => Array.from(x.dataSync())),
      v: s.map((x) => Array.from(x.dataSync()))
    }),
    importState: (state) => {
      if (state.shapes.length !== variables.length) {
        throw new RangeError(`Optimizer.importState: state has ${state.shapes.length} variables, expected ${variables.length}`)
      }
      variables.forEach((v, i) => {
        const shape = state.shapes[i]!
        if (shape.length !== v.shape.length || shape.some((d, j) => d !== v.shape[j])) {
          throw new RangeError(`Optimizer.importState: variable ${i} (${v.name}) has shape [${shape}] in the state, expected [${v.shape}]`)
        }
      })
      tf.dispose([...m, ...s])
      m = variables.map((v, i) => tf.keep(tf.tensor(state.m[i]!, v.shape, "float32")))
      s = variables.map((v, i) => tf.keep(tf.tensor(state.v[i]!, v.shape, "float32")))
      t = state.step
    },
    dispose: () => tf.dispose([...m, ...s])
  }
}

export interface OptimizerShape {
  /** A fresh optimizer over `variables` (the order defines the state layout). */
  readonly make: (variables: ReadonlyArray<tf.Variable>, config?: OptimizerConfig) => AdamW
}

/** The optimizer factory, a service so tests and experiments can swap the update rule. */
export class Optimizer extends Context.Tag("@oneshot/trainer/Optimizer")<Optimizer, OptimizerShape>() {}

/** The AdamW factory (what `OptimizerLive` provides). */
export const adamW: OptimizerShape = { make: makeAdamW }

export const OptimizerLive: Layer.Layer<Optimizer> = Layer.succeed(Optimizer, adamW)

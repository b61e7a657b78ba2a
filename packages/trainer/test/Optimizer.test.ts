import { describe, expect, it } from "@effect/vitest"
import * as tf from "@tensorflow/tfjs"
import { Effect, FastCheck as fc } from "effect"
import { learningRate } from "../src/LrSchedule.ts"
import { makeAdamW, Optimizer, OptimizerConfig, OptimizerLive } from "../src/Optimizer.ts"

let counter = 0
const variable = (values: ReadonlyArray<number>) => tf.variable(tf.tensor1d([...values]), true, `opt_test_${counter++}`)

/** float64 reference of torch AdamW + clip_grad_norm_. */
const referenceAdamW = (p0: ReadonlyArray<number>, grads: ReadonlyArray<ReadonlyArray<number>>, c: OptimizerConfig) => {
  const p = [...p0]
  const m = p.map(() => 0)
  const v = p.map(() => 0)
  grads.forEach((g0, k) => {
    const t = k + 1
    const norm = Math.sqrt(g0.reduce((s, x) => s + x * x, 0))
    const coef = c.gradClip > 0 ? Math.min(1, c.gradClip / (norm + 1e-6)) : 1
    const g = g0.map((x) => x * coef)
    for (let i = 0; i < p.length; i++) {
      p[i] = p[i]! * (1 - c.lr * c.weightDecay)
      m[i] = c.beta1 * m[i]! + (1 - c.beta1) * g[i]!
      v[i] = c.beta2 * v[i]! + (1 - c.beta2) * g[i]! ** 2
      const mh = m[i]! / (1 - c.beta1 ** t)
      const vh = v[i]! / (1 - c.beta2 ** t)
      p[i] = p[i]! - (c.lr * mh) / (Math.sqrt(vh) + c.eps)
    }
  })
  return p
}

describe("AdamW", () => {
  it("matches a float64 torch-AdamW reference, with clipping and weight decay", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 0.5, 1),
        (grads, gradClip) => {
          const config = OptimizerConfig.make({ lr: 0.01, weightDecay: 0.1, gradClip })
          const p0 = [0.5, -1, 2]
          const v = variable(p0)
          const opt = makeAdamW([v], config)
          for (const g of grads) opt.step({ [v.name]: tf.tensor1d(g) })
          const want = referenceAdamW(p0, grads, config)
          const got = Array.from(v.dataSync())
          got.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 4))
          opt.dispose()
          v.dispose()
        }
      ),
      { numRuns: 30 }
    )
  })

  it("reports the pre-clip global norm and the learning rate", () => {
    const a = variable([0, 0])
    const b = variable([0])
    const opt = makeAdamW([a, b], OptimizerConfig.make({ lr: 0.1 }))
    const r = opt.step({ [a.name]: tf.tensor1d([3, 0]), [b.name]: tf.tensor1d([4]) })
    expect(r.gradNorm).toBeCloseTo(5, 5)
    expect(r.lr).toBe(0.1)
    expect(r.skipped).toBe(false)
    expect(opt.stepCount()).toBe(1)
  })

  it("weight decay is decoupled: a zero gradient shrinks weights by exactly (1 − lr·wd)", () => {
    const v = variable([2, -4])
    const opt = makeAdamW([v], OptimizerConfig.make({ lr: 0.1, weightDecay: 0.5 }))
    opt.step({ [v.name]: tf.zeros([2]) })
    const got = Array.from(v.dataSync())
    expect(got[0]).toBeCloseTo(2 * 0.95, 6)
    expect(got[1]).toBeCloseTo(-4 * 0.95, 6)
  })

  it("skips a step whose gradient is not finite", () => {
    const v = variable([1, 1])
    const opt = makeAdamW([v], OptimizerConfig.make({ lr: 0.1 }))
    const r = opt.step({ [v.name]: tf.tensor1d([Number.NaN, 1]) })
    expect(r.skipped).toBe(true)
    expect(Array.from(v.dataSync())).toEqual([1, 1])
    expect(opt.stepCount()).toBe(0)
  })

  it("rejects gradients of variables it does not own", () => {
    const v = variable([1])
    const opt = makeAdamW([v], OptimizerConfig.make({}))
    expect(() => opt.step({ nope: tf.tensor1d([1]) })).toThrow(/unknown variable nope/)
  })

  it("minimize drives a quadratic to its minimum", () => {
    const v = variable([3, -2])
    const opt = makeAdamW([v], OptimizerConfig.make({ lr: 0.1, weightDecay: 0, gradClip: 0 }))
    let loss = Infinity
    for (let i = 0; i < 300; i++) loss = opt.minimize(() => tf.sum(tf.square(tf.sub(v, tf.tensor1d([1, 1]))))).loss
    expect(loss).toBeLessThan(1e-3)
  })

  it("exported state restores training exactly (checkpoint/resume)", () => {
    const grads = [[1, -2], [0.5, 0.5], [-1, 3], [2, 2], [0.1, -0.3]]
    const config = OptimizerConfig.make({ lr: 0.05 })
    const a = variable([1, 2])
    const optA = makeAdamW([a], config)
    for (const g of grads) optA.step({ [a.name]: tf.tensor1d(g) })

    const b = variable([1, 2])
    const optB = makeAdamW([b], config)
    for (const g of grads.slice(0, 3)) optB.step({ [b.name]: tf.tensor1d(g) })
    const state = JSON.parse(JSON.stringify(optB.exportState()))
    const c = variable(Array.from(b.dataSync()))
    const optC = makeAdamW([c], config)
    optC.importState(state)
    for (const g of grads.slice(3)) optC.step({ [c.name]: tf.tensor1d(g) })
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()))
    expect(optC.stepCount()).toBe(5)
    expect(() => makeAdamW([variable([1, 2, 3])], config).importState(state)).toThrow(/shape \[2\] in the state, expected \[3\]/)
  })

  it.effect("is provided as a service", () =>
    Effect.gen(function* () {
      const opt = (yield* Optimizer).make([variable([1])])
      expect(opt.config.lr).toBe(1e-6)
      expect(opt.config.weightDecay).toBe(0.01)
      expect(opt.config.gradClip).toBe(1)
    }).pipe(Effect.provide(OptimizerLive))
  )
})

describe("learning-rate schedules", () => {
  it("constant, warm-up, cosine", () => {
    expect(learningRate(1, { _tag: "constant" }, 100)).toBe(1)
    expect(learningRate(1, { _tag: "warmup", warmupSteps: 4 }, 0)).toBe(0.25)
    expect(learningRate(1, { _tag: "warmup", warmupSteps: 4 }, 3)).toBe(1)
    expect(learningRate(1, { _tag: "warmup", warmupSteps: 4 }, 10)).toBe(1)
    const cos = { _tag: "cosine", warmupSteps: 2, totalSteps: 12, minLrRatio: 0.1 } as const
    expect(learningRate(1, cos, 1)).toBe(1)
    expect(learningRate(1, cos, 2)).toBeCloseTo(1, 12)
    expect(learningRate(1, cos, 7)).toBeCloseTo(0.55, 12)
    expect(learningRate(1, cos, 12)).toBeCloseTo(0.1, 12)
    expect(learningRate(1, cos, 50)).toBeCloseTo(0.1, 12)
  })
})

/** Gradient accumulation: the exact weighted sum, and no tensors left behind when a micro-batch fails. */
import { describe, expect, it } from "@effect/vitest"
import * as tf from "@tensorflow/tfjs"
import { FastCheck as fc } from "effect"
import { accumulate } from "../src/Replicas.ts"

interface Job {
  readonly weight: number
  readonly x: number
  /** Where this micro-batch fails, if it does: in its forward pass, or in the backward (a loss that is not a scalar of the tape). */
  readonly fail?: "forward" | "backward"
}

const withVariables = <A>(f: (w: tf.Variable, b: tf.Variable) => A): A => {
  const w = tf.variable(tf.tensor1d([0.5, -1, 2]), true, `acc-w-${Math.random()}`)
  const b = tf.variable(tf.scalar(0.25), true, `acc-b-${Math.random()}`)
  try {
    return f(w, b)
  } finally {
    tf.dispose([w, b])
  }
}

/** loss_j = (x_j · Σw + b)², with one part reported alongside. */
const lossOf = (w: tf.Variable, b: tf.Variable) => (job: Job) => {
  if (job.fail === "forward") throw new Error(`micro-batch x=${job.x} failed in its forward pass`)
  const y = tf.add(tf.mul(tf.sum(w), job.x), b)
  const loss = tf.square(y) as tf.Scalar
  // A loss disconnected from the variables makes variableGrads throw after the forward pass ran.
  return { loss: job.fail === "backward" ? (tf.scalar(1) as tf.Scalar) : loss, parts: { "actor/y": y as tf.Scalar } }
}

const job = fc.record({ weight: fc.double({ min: 0, max: 1, noNaN: true }), x: fc.double({ min: -2, max: 2, noNaN: true }) })

describe("accumulate", () => {
  it("is Σ_j w_j ∇loss_j, computed in closed form", () => {
    fc.assert(
      fc.property(fc.array(job, { minLength: 1, maxLength: 5 }), (jobs) =>
        withVariables((w, b) => {
          const g = accumulate(jobs, [w, b], lossOf(w, b))
          const s = 0.5 - 1 + 2
          // d/dw_i (x s + b)² = 2 (x s + b) x ; d/db = 2 (x s + b)
          const dw = jobs.reduce((a, j) => a + j.weight * 2 * (j.x * s + 0.25) * j.x, 0)
          const db = jobs.reduce((a, j) => a + j.weight * 2 * (j.x * s + 0.25), 0)
          const gw = g.grads[w.name]!.dataSync()
          for (const v of gw) expect(v).toBeCloseTo(dw, 3)
          expect(g.grads[b.name]!.dataSync()[0]).toBeCloseTo(db, 3)
          expect(g.loss).toBeCloseTo(jobs.reduce((a, j) => a + j.weight * (j.x * s + 0.25) ** 2, 0), 3)
          tf.dispose(Object.values(g.grads))
        })
      ),
      { numRuns: 30 }
    )
  })

  it("frees its partial sums and kept parts when any micro-batch fails, forward or backward", () => {
    fc.assert(
      fc.property(
        fc.array(job, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.constantFrom<"forward" | "backward">("forward", "backward"),
        (jobs, at, fail) =>
          withVariables((w, b) => {
            const i = at % jobs.length
            const failing = jobs.map((j, k): Job => (k === i ? { ...j, fail } : j))
            const before = tf.memory().numTensors
            expect(() => accumulate(failing, [w, b], lossOf(w, b))).toThrow()
            expect(tf.memory().numTensors).toBe(before)
          })
      ),
      { numRuns: 40 }
    )
  })
})

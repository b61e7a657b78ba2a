import { describe, expect, it } from "@effect/vitest"
import * as tf from "@tensorflow/tfjs"
import { FastCheck as fc, Schema } from "effect"
import { OptimizerConfig } from "../src/Optimizer.ts"
import { SftConfig } from "../src/Sft.ts"
import { meanNllOf, normalisedNll, normalisedNllTensor, type SftLossNorm } from "../src/SftLossNorm.ts"

/** Documents as ragged rows of token NLLs (1–40 tokens each). */
const docs = fc.array(fc.array(fc.float({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 24 })

/** A random split of `n` documents into consecutive non-empty batches, after a random permutation. */
const batchesOf = <A>(items: ReadonlyArray<A>, order: ReadonlyArray<number>, cuts: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<A>> => {
  const perm = items.map((x, i) => [x, order[i % order.length] ?? 0] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x)
  const at = [...new Set(cuts.map((c) => 1 + (c % Math.max(1, perm.length - 1))))].filter((c) => c < perm.length).sort((a, b) => a - b)
  const out: Array<ReadonlyArray<A>> = []
  let from = 0
  for (const c of [...at, perm.length]) (out.push(perm.slice(from, c)), (from = c))
  return out
}

const fixed = (tokens: number): SftLossNorm => ({ _tag: "fixed-token-budget", tokens })

/** d loss / d logprob of every cell of a padded batch under `norm`. */
const tokenWeights = (rows: ReadonlyArray<ReadonlyArray<number>>, norm: SftLossNorm): { weights: Array<Array<number>>; mask: Array<Array<number>> } => {
  const T = Math.max(...rows.map((r) => r.length))
  const lp = rows.map((r) => [...r.map((x) => -x), ...Array<number>(T - r.length).fill(0)])
  const mask = rows.map((r) => [...r.map(() => 1), ...Array<number>(T - r.length).fill(0)])
  const weights = tf.tidy(() => {
    const m = tf.tensor2d(mask)
    const g = tf.grad((x: tf.Tensor) => normalisedNllTensor(x, m, norm))(tf.tensor2d(lp))
    return g.arraySync() as Array<Array<number>>
  })
  return { weights, mask }
}

describe("SftLossNorm", () => {
  it("fixed-token-budget: splitting the same documents into other batches leaves the summed loss unchanged", () =>
    fc.assert(
      fc.property(docs, fc.array(fc.nat(), { minLength: 1 }), fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 5000 }), (d, order, cutsA, cutsB, budget) => {
        const total = (cuts: ReadonlyArray<number>) => batchesOf(d, order, cuts).reduce((a, b) => a + normalisedNll(b, fixed(budget)), 0)
        const all = d.flat().reduce((a, x) => a + x, 0) / budget
        expect(total(cutsA)).toBeCloseTo(all, 6)
        expect(total(cutsB)).toBeCloseTo(all, 6)
      })
    ))

  it("batch-token-mean does depend on the split (the bug the fixed budget removes): short batches weigh more", () => {
    // One batch of 4 short documents (1 token) and one of 4 long (10 tokens), NLL 1 each token.
    const short = Array.from({ length: 4 }, () => [1])
    const long = Array.from({ length: 4 }, () => Array<number>(10).fill(1))
    const mean: SftLossNorm = { _tag: "batch-token-mean" }
    const { weights: ws } = tokenWeights(short, mean)
    const { weights: wl } = tokenWeights(long, mean)
    expect(ws[0]![0]! / wl[0]![0]!).toBeCloseTo(10, 5)
    const { weights: fs } = tokenWeights(short, fixed(20))
    const { weights: fl } = tokenWeights(long, fixed(20))
    expect(fs[0]![0]!).toBeCloseTo(fl[0]![0]!, 7)
  })

  it("tensor gradient: every target token weighs 1/budget (fixed) or 1/count (mean), padding 0, whatever the lengths", () =>
    fc.assert(
      fc.property(docs, fc.integer({ min: 1, max: 5000 }), (d, budget) => {
        const count = d.reduce((a, r) => a + r.length, 0)
        for (const [norm, w] of [[fixed(budget), 1 / budget], [{ _tag: "batch-token-mean" } as SftLossNorm, 1 / count]] as const) {
          const { weights, mask } = tokenWeights(d, norm)
          weights.forEach((row, i) => row.forEach((g, t) => expect(-g).toBeCloseTo(mask[i]![t]! * w, 7)))
        }
      }),
      { numRuns: 30 }
    ))

  it("tensor loss matches the reference on the unpadded rows; the logged mean NLL is the same under both norms", () =>
    fc.assert(
      fc.property(docs, fc.integer({ min: 1, max: 5000 }), (d, budget) => {
        const T = Math.max(...d.map((r) => r.length))
        const count = d.reduce((a, r) => a + r.length, 0)
        for (const norm of [fixed(budget), { _tag: "batch-token-mean" } as SftLossNorm]) {
          const v = tf.tidy(() =>
            normalisedNllTensor(
              tf.tensor2d(d.map((r) => [...r.map((x) => -x), ...Array<number>(T - r.length).fill(0)])),
              tf.tensor2d(d.map((r) => [...r.map(() => 1), ...Array<number>(T - r.length).fill(0)])),
              norm
            ).dataSync()[0]!
          )
          expect(v).toBeCloseTo(normalisedNll(d, norm), 3)
          expect(meanNllOf(normalisedNll(d, norm), count, norm)).toBeCloseTo(normalisedNll(d, { _tag: "batch-token-mean" }), 4)
        }
      }),
      { numRuns: 30 }
    ))

  it("SftConfig without lossNorm encodes without the field (configs written before it stay identical)", () => {
    const c = SftConfig.make({ steps: 1, batchSize: 1, maxTokens: 8, optimizer: OptimizerConfig.make({ lr: 1e-3 }) })
    expect(Object.keys(Schema.encodeSync(SftConfig)(c))).not.toContain("lossNorm")
    const d = SftConfig.make({ ...c, lossNorm: fixed(900) })
    expect(Schema.decodeUnknownSync(SftConfig)(Schema.encodeSync(SftConfig)(d)).lossNorm).toEqual(fixed(900))
  })
})

/**
 * Finite-difference check of the total actor loss gradient (pg with clipping
 * active, entropy bonus, k3 KL) on a tiny model: tfjs autodiff (float32)
 * against central differences of an independent float64 implementation.
 */
import { describe, expect, it } from "@effect/vitest"
import * as tf from "@tensorflow/tfjs"
import { actorLoss, type ActorLossConfig, actorLossTensor, padRagged } from "../src/ActorLoss.ts"
import { makeBigramPolicy } from "../src/BigramPolicy.ts"
import { mulberry32 } from "../src/Rng.ts"

/** float64 bigram scoring: per response token, log p and entropy. */
const score64 = (W: ReadonlyArray<ReadonlyArray<number>>, seqs: ReadonlyArray<{ prompt: Array<number>; response: Array<number> }>) =>
  seqs.map(({ prompt, response }) => {
    const all = [...prompt, ...response]
    const lps: Array<number> = []
    const ents: Array<number> = []
    for (let t = prompt.length; t < all.length; t++) {
      const row = W[all[t - 1]!]!
      const m = Math.max(...row)
      const z = row.reduce((s, x) => s + Math.exp(x - m), 0)
      const logp = row.map((x) => x - m - Math.log(z))
      lps.push(logp[all[t]!]!)
      ents.push(-logp.reduce((s, l) => s + Math.exp(l) * l, 0))
    }
    return { lps, ents }
  })

describe("gradient check", () => {
  for (const aggregation of ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean"] as const) {
    it(`autodiff matches finite differences of the total loss (${aggregation})`, () => {
      const rand = mulberry32(5)
      const policy = makeBigramPolicy({ chars: ["a", "b", "c"], seed: 3 })
      const V = policy.tokenizer.vocabSize
      const W = policy.trainableVariables[0]!
      W.assign(tf.tensor2d(Array.from({ length: V }, () => Array.from({ length: V }, () => rand() * 2 - 1))))
      const seqs = [
        { prompt: [1, 4], response: [5, 6, 2] },
        { prompt: [1, 5], response: [4, 4] },
        { prompt: [1, 6], response: [6, 5, 4, 2] }
      ]
      const W0 = W.arraySync() as Array<Array<number>>
      const base = score64(W0, seqs)
      // old and reference log-probs away from the current ones, so ratios ≠ 1 and some tokens clip
      const oldLp = base.map((s) => s.lps.map((l) => l + (rand() - 0.5) * 0.6))
      const refLp = base.map((s) => s.lps.map((l) => l + (rand() - 0.5) * 0.8))
      const adv = [1.2, -0.7, 0.4].map((a, k) => new Array<number>(seqs[k]!.response.length).fill(a))
      const config: ActorLossConfig = {
        pgCoef: 1,
        entropyCoef: 0.05,
        klCoef: 0.3,
        klEstimator: "k3",
        aggregation,
        clip: { clipLow: 0.2, clipHigh: 0.28, clipRatioC: 3 }
      }
      const loss64 = (w: ReadonlyArray<ReadonlyArray<number>>) => {
        const s = score64(w, seqs)
        return actorLoss({ logprobs: s.map((x) => x.lps), entropies: s.map((x) => x.ents), oldLogprobs: oldLp, refLogprobs: refLp, advantages: adv }, config).loss
      }
      // some tokens must be clipped, or the check would not cover clipping
      const clipfrac = actorLoss({ logprobs: base.map((x) => x.lps), entropies: base.map((x) => x.ents), oldLogprobs: oldLp, refLogprobs: refLp, advantages: adv }, config).clipfrac
      expect(clipfrac).toBeGreaterThan(0)

      // autodiff through the policy's scoreTensors, old/ref/adv placed at response positions
      const T = Math.max(...seqs.map((s) => s.prompt.length + s.response.length))
      const batch = {
        tokens: seqs.map((s) => [...s.prompt, ...s.response, ...new Array<number>(T - s.prompt.length - s.response.length).fill(0)]),
        responseMask: seqs.map((s) => Array.from({ length: T }, (_, t) => (t >= s.prompt.length && t < s.prompt.length + s.response.length ? 1 : 0)))
      }
      const place = (rows: ReadonlyArray<ReadonlyArray<number>>) =>
        padRagged(rows.map((r, k) => [...new Array<number>(seqs[k]!.prompt.length).fill(0), ...r]), T).values
      const { grads, value } = tf.variableGrads(() => {
        const s = policy.scoreTensors(batch)
        return actorLossTensor(
          { logprobs: s.logprobs, entropies: s.entropies, oldLogprobs: place(oldLp), refLogprobs: place(refLp), advantages: place(adv), mask: tf.tensor2d(batch.responseMask) },
          config
        ).loss
      }, [W])
      expect(value.dataSync()[0]).toBeCloseTo(loss64(W0), 5)
      const g = grads[W.name]!.arraySync() as Array<Array<number>>

      const h = 1e-5
      let maxErr = 0
      let maxG = 0
      for (let i = 0; i < V; i++) {
        for (let j = 0; j < V; j++) {
          const plus = W0.map((r) => [...r])
          const minus = W0.map((r) => [...r])
          plus[i]![j]! += h
          minus[i]![j]! -= h
          const fd = (loss64(plus) - loss64(minus)) / (2 * h)
          maxErr = Math.max(maxErr, Math.abs(fd - g[i]![j]!))
          maxG = Math.max(maxG, Math.abs(fd))
        }
      }
      expect(maxG).toBeGreaterThan(0.01)
      expect(maxErr).toBeLessThan(1e-4 + 1e-3 * maxG)
    })
  }
})

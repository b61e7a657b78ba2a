import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { beforeAll } from "vitest"
import { selectBackend } from "../src/Backend.ts"
import { Policy } from "../src/Policy.ts"
import { PolicyTest } from "../src/PolicyTest.ts"
import { CharTokenizer } from "../src/Tokenizer.ts"

beforeAll(async () => {
  await Effect.runPromise(selectBackend("wasm"))
})

const layer = PolicyTest.layer({ respond: (prompt, i) => `${prompt.length} #${i} done` })

describe("PolicyTest", () => {
  it.effect("returns the scripted responses with EOS, stop and length finishes", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const out = yield* p.generate(["abc"], new GenerateOptions({ n: 2, maxTokens: 50 }))
      const a = out[0]![0]!
      const b = out[0]![1]!
      expect(a.text).toBe("3 #0 done")
      expect(b.text).toBe("3 #1 done")
      expect(a.finishReason).toBe("eos")
      expect(a.tokenIds.at(-1)).toBe(CharTokenizer.eosId)
      expect(a.logprobs.length).toBe(a.tokenIds.length)
      expect(a.logprobs[0]).toBeCloseTo(-Math.log(100), 6)
      const stop = (yield* p.generate(["abc"], new GenerateOptions({ stop: [" done"] })))[0]![0]!
      expect([stop.text, stop.finishReason]).toEqual(["3 #0", "stop"])
      const len = (yield* p.generate(["abc"], new GenerateOptions({ maxTokens: 2 })))[0]![0]!
      expect([len.text, len.finishReason]).toEqual(["3 ", "length"])
    }).pipe(Effect.provide(layer))
  )

  it.effect("scores differentiably (a bigram), with values and frozen snapshots", () =>
    Effect.gen(function* () {
      const p = yield* Policy
      const tokens = [[1, 10, 11, 12], [1, 13, 14, 0]]
      const batch = { tokens, responseMask: [[0, 1, 1, 1], [0, 1, 1, 0]] }
      const snap = yield* p.snapshot()
      const opt = tf.train.sgd(1)
      const before = tf.memory().numTensors
      opt.minimize(() => tf.neg(tf.sum(p.scoreTensors(batch, { withValues: true }).logprobs)) as tf.Scalar, false, [
        ...p.trainableVariables
      ])
      expect(tf.memory().numTensors).toBe(before)
      const after = yield* p.score(batch, { withValues: true })
      const frozen = yield* snap.score(batch)
      expect(after.logprobs[0]![1]!).toBeGreaterThan(frozen.logprobs[0]![1]!)
      expect(frozen.logprobs[0]![1]!).toBeCloseTo(-Math.log(100), 5)
      expect(after.values![0]!.length).toBe(4)
      yield* snap.dispose
    }).pipe(Effect.provide(layer))
  )
})

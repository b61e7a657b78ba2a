/**
 * A batch whose tensors do not fit in the wasm heap is a PolicyError naming
 * the batch and the limit, never a module abort (`RuntimeError: Aborted()`),
 * and the backend stays usable after it. The 4 GiB cap is emulated by a low
 * tensor address limit (`setWasmTensorLimit`): the guard refuses exactly as
 * it does when tfjs' malloc finds the real heap full.
 */
import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import * as tf from "@tensorflow/tfjs"
import { Effect, Either, FastCheck as fc } from "effect"
import { Backend } from "../src/Backend.ts"
import { PolicyError } from "../src/Errors.ts"
import { formatBytes } from "../src/MemoryPlan.ts"
import type { PolicyShape, ScoreArrays } from "../src/Policy.ts"
import { PolicyLive } from "../src/PolicyLive.ts"
import { isWasmHeapError, setWasmTensorLimit, WASM_TENSOR_LIMIT_BYTES, wasmTensorLimit } from "../src/WasmHeap.ts"
import { micro, rows } from "./fixtures.ts"

const heapBytes = (): number => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length

/** `f` under a tensor limit of `bytes`, the default restored after. */
const underLimit = <A>(bytes: number, f: () => A): A => {
  setWasmTensorLimit(bytes)
  try {
    return f()
  } finally {
    setWasmTensorLimit(undefined)
  }
}

const scoreSync = (p: PolicyShape, tokens: Array<Array<number>>): Either.Either<ScoreArrays, PolicyError> =>
  Effect.runSync(Effect.either(p.score({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })))

const greedy = (maxTokens: number, n = 1) => new GenerateOptions({ n, temperature: 0, maxTokens, seed: 3 })

const texts = (out: ReadonlyArray<ReadonlyArray<{ readonly tokenIds: ReadonlyArray<number> }>>) => out.map((s) => s.map((x) => x.tokenIds))

/** The refusal names the input, the limit it was held to, and keeps the guard's error as its cause. */
const expectNamedRefusal = (e: PolicyError, input: string, limit: number) => {
  expect(e).toBeInstanceOf(PolicyError)
  expect(e.input).toBe(input)
  expect(e.message).toContain(formatBytes(limit))
  expect(isWasmHeapError(e.cause)).toBe(true)
}

const withPolicy = <A>(f: (p: PolicyShape) => A) =>
  Effect.acquireUseRelease(PolicyLive.make(micro, { seed: 11 }), (p) => Effect.sync(() => f(p)), (p) => p.dispose).pipe(
    Effect.provide(Backend.wasm)
  )

describe("wasm heap guard", () => {
  it.effect("the default limit is the 4 GiB cap less the kernels' reserve", () =>
    withPolicy(() => {
      expect(wasmTensorLimit()).toBe(WASM_TENSOR_LIMIT_BYTES)
      expect(WASM_TENSOR_LIMIT_BYTES).toBeLessThan(4 * 1024 ** 3)
    })
  )

  it.effect("score: a batch that does not fit fails with a PolicyError naming the batch and the limit; one that fits is unchanged", () =>
    withPolicy((p) => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 24 }), fc.double({ min: 0, max: 1.5, noNaN: true }), (B, T, f) => {
          const tokens = rows(B, T, B + T)
          const reference = scoreSync(p, tokens)
          expect(Either.isRight(reference)).toBe(true)
          const before = tf.memory().numTensors
          const limit = Math.floor(f * heapBytes())
          const out = underLimit(limit, () => scoreSync(p, tokens))
          if (limit === 0) expect(Either.isLeft(out)).toBe(true)
          if (Either.isRight(out)) expect(out.right).toEqual(Either.getOrThrow(reference))
          else expectNamedRefusal(out.left, `batch.tokens (${B} rows × ${T} tokens)`, limit)
          // The engine's scopes freed the failed pass, and the backend still computes the same values.
          expect(tf.memory().numTensors).toBe(before)
          expect(scoreSync(p, tokens)).toEqual(reference)
        }),
        { numRuns: 12, seed: 20261203, examples: [[3, 20, 0]] }
      )
    })
  )

  it.effect("generate: sampling that does not fit fails with a PolicyError naming the prompts and the limit; what fits is unchanged", () =>
    withPolicy((p) => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1.5, noNaN: true }), (P, n, maxTokens, f) => {
          const prompts = rows(P, 6, P).map((r, i) => r.slice(0, 3 + i))
          const run = () => Effect.runSync(Effect.either(p.generateIds(prompts, greedy(maxTokens, n))))
          const reference = run()
          expect(Either.isRight(reference)).toBe(true)
          const before = tf.memory().numTensors
          const limit = Math.floor(f * heapBytes())
          const out = underLimit(limit, run)
          if (limit === 0) expect(Either.isLeft(out)).toBe(true)
          if (Either.isRight(out)) expect(texts(out.right)).toEqual(texts(Either.getOrThrow(reference)))
          else expectNamedRefusal(out.left, `generate (${P} prompts × n ${n}, longest prompt ${2 + P} + maxTokens ${maxTokens} tokens)`, limit)
          expect(tf.memory().numTensors).toBe(before)
          expect(texts(Either.getOrThrow(run()))).toEqual(texts(Either.getOrThrow(reference)))
        }),
        { numRuns: 12, seed: 20261203, examples: [[2, 2, 8, 0]] }
      )
    })
  )

  it.effect("a gradient pass that does not fit throws the PolicyError (no abort), and the next pass works", () =>
    withPolicy((p) => {
      const tokens = rows(4, 16)
      const pass = () =>
        tf.variableGrads(() => {
          const s = p.scoreTensors({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })
          return tf.sum(s.logprobs) as tf.Scalar
        }, [...p.trainableVariables])
      const thrown = (() => {
        try {
          underLimit(0, pass)
          return undefined
        } catch (e) {
          return e
        }
      })()
      expect(thrown).toBeInstanceOf(PolicyError)
      expectNamedRefusal(thrown as PolicyError, "batch.tokens (4 rows × 16 tokens)", 0)
      const { value, grads } = pass()
      expect(Number.isFinite(value.dataSync()[0]!)).toBe(true)
      tf.dispose([value, ...Object.values(grads)])
    })
  )

  it.effect("a backward pass that does not fit (after the policy's forward returned) throws the heap's PolicyError naming that batch", () =>
    withPolicy((p) => {
      const tokens = rows(3, 12)
      const thrown = (() => {
        try {
          tf.variableGrads(() => {
            const s = p.scoreTensors({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })
            // The heap fills between the forward and the backward pass.
            setWasmTensorLimit(0)
            return tf.sum(s.logprobs) as tf.Scalar
          }, [...p.trainableVariables])
          return undefined
        } catch (e) {
          return e
        } finally {
          setWasmTensorLimit(undefined)
        }
      })()
      expect(isWasmHeapError(thrown)).toBe(true)
      expect((thrown as PolicyError).message).toContain("the policy's last pass: batch.tokens (3 rows × 12 tokens)")
      const again = Effect.runSync(Effect.either(p.score({ tokens, responseMask: tokens.map((r) => r.map(() => 1)) })))
      expect(Either.isRight(again)).toBe(true)
    })
  )
})

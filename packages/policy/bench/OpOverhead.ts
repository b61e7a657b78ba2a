/**
 * Per-op cost on the wasm backend for decode-sized tensors: small elementwise
 * ops, 2-D matmuls, batched attention matmuls, reshape, dataSync.
 *
 *   npx tsx bench/OpOverhead.ts
 */
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { selectBackend } from "../src/Backend.ts"

const time = (label: string, n: number, f: () => void) => {
  for (let i = 0; i < 50; i++) tf.tidy(f)
  const t0 = performance.now()
  for (let i = 0; i < n; i++) tf.tidy(f)
  const us = ((performance.now() - t0) / n) * 1000
  console.log(`${label.padEnd(48)} ${us.toFixed(1).padStart(8)} µs`)
}

const program = Effect.gen(function* () {
  yield* selectBackend("wasm")
  const a = tf.randomNormal([16, 128]) as tf.Tensor2D
  const b = tf.randomNormal([16, 128]) as tf.Tensor2D
  const w = tf.randomNormal([128, 704]) as tf.Tensor2D
  const w2 = tf.randomNormal([128, 640]) as tf.Tensor2D
  const q = tf.randomNormal([64, 1, 32])
  const k = tf.randomNormal([64, 224, 32])
  const kT = tf.randomNormal([64, 32, 224])
  const p = tf.randomNormal([64, 1, 224])
  time("add [16,128]", 5000, () => { tf.add(a, b) })
  time("reshape [16,128]", 5000, () => { tf.reshape(a, [16, 4, 32]) })
  time("add + dataSync [16,128]", 5000, () => { tf.add(a, b).dataSync() })
  time("matMul [16,128]x[128,704]", 3000, () => { tf.matMul(a, w) })
  time("matMul [16,128]x[128,640]", 3000, () => { tf.matMul(a, w2) })
  time("batched q·kᵀ [64,1,32]x[64,224,32]ᵀ", 1000, () => { tf.matMul(q, k, false, true) })
  time("batched q·kT [64,1,32]x[64,32,224]", 1000, () => { tf.matMul(q, kT) })
  time("batched p·v [64,1,224]x[64,224,32]", 1000, () => { tf.matMul(p, k) })
  time("mul-broadcast q⊙k [64,1,32]*[64,224,32]", 1000, () => { tf.mul(q, k) })
  time("sum last [64,224,32]", 1000, () => { tf.sum(k, -1) })
  time("softmax [64,224]", 1000, () => { tf.softmax(tf.reshape(p, [64, 224])) })
})

Effect.runPromise(program).catch((e) => {
  console.error(e)
  process.exit(1)
})

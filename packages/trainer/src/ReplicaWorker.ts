/**
 * Worker-thread entry of a policy replica: builds the run's initial policy
 * (and a frozen reference when a KL term is on) from the config, as the main
 * thread does, then answers `ReplicaRequest`s one at a time until terminated.
 * The main thread sends its current weights before the first job.
 * Replicas run the policy's SIMD kernels (fused decoding, wasm attention):
 * the same model up to float rounding, so the samples of a seed differ from
 * the in-process path's but are fixed for a given seed and worker count.
 */
import { GenerateOptions } from "@oneshot/core"
import { Policy, type PolicyShape, type PolicySnapshot, useKernels } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Context, Effect, Layer, Scope } from "effect"
import { parentPort, workerData } from "node:worker_threads"
import { decodeConfig } from "./Config.ts"
import { policySourceFor } from "./PolicySource.ts"
import { actorGradientsLocally, criticGradientsLocally, type Gradients, scoreLocally } from "./Replicas.ts"
import type { PlainGenerateOptions, PlainGradients, ReplicaInit, ReplicaRequest, ReplicaResponse, ReplicaValue } from "./ReplicaProtocol.ts"

const port = parentPort!
const init = workerData as ReplicaInit

const options = (o: PlainGenerateOptions): GenerateOptions =>
  GenerateOptions.make({ n: o.n, temperature: o.temperature, topP: o.topP, maxTokens: o.maxTokens, stop: [...o.stop], ...(o.seed === undefined ? {} : { seed: o.seed }) })

const plainGradients = (g: Gradients, variables: ReadonlyArray<tf.Variable>): PlainGradients => {
  const grads = variables.map((v) => {
    const t = g.grads[v.name]
    // wasm's dataSync is already a fresh copy (it may be transferred); other backends hand out their own array.
    return t === undefined ? null : tf.getBackend() === "wasm" ? (t.dataSync() as Float32Array) : (t.dataSync() as Float32Array).slice()
  })
  tf.dispose(Object.values(g.grads))
  return { grads, loss: g.loss, parts: g.parts }
}

const setWeights = (variables: ReadonlyArray<tf.Variable>, values: ReadonlyArray<Float32Array>): void => {
  if (values.length !== variables.length) throw new RangeError(`setWeights: ${values.length} arrays for ${variables.length} variables`)
  variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i]!, v.shape, "float32"))))
}

const handle = (policy: PolicyShape, reference: PolicySnapshot | undefined, req: ReplicaRequest): Effect.Effect<ReplicaValue, unknown> => {
  switch (req.op) {
    case "generateIds":
      return policy.generateIds(req.prompts, options(req.options))
    case "generate":
      return policy.generate(req.prompts, options(req.options))
    case "score": {
      const scorer = req.model === "policy" ? policy : reference
      if (scorer === undefined) return Effect.fail(new Error("score: this replica keeps no reference policy"))
      return Effect.sync(() => scoreLocally(scorer, req.jobs))
    }
    case "actorGradients":
      return Effect.sync(() => plainGradients(actorGradientsLocally(policy, req.jobs, req.spec), policy.trainableVariables))
    case "criticGradients":
      return Effect.sync(() => plainGradients(criticGradientsLocally(policy, req.jobs, req.spec), policy.valueHeadVariables))
    case "setWeights":
      return Effect.sync(() => {
        setWeights(policy.trainableVariables, req.trainable)
        setWeights(policy.valueHeadVariables, req.valueHead)
        return null
      })
  }
}

const transferables = (v: ReplicaValue): Array<ArrayBuffer> =>
  v !== null && !Array.isArray(v) && "grads" in v ? v.grads.flatMap((g) => (g === null ? [] : [g.buffer as ArrayBuffer])) : []

const main = Effect.gen(function* () {
  useKernels("simd")
  const config = yield* decodeConfig(init.config, "replica worker config")
  const scope = yield* Scope.make()
  const ctx = yield* Layer.buildWithScope(policySourceFor(config)(undefined), scope)
  const policy = Context.get(ctx, Policy)
  const reference = init.withReference ? yield* policy.snapshot() : undefined
  port.on("message", (req: ReplicaRequest) => {
    Effect.runPromise(Effect.either(Effect.catchAllDefect(handle(policy, reference, req), (d) => Effect.fail(d)))).then((r) => {
      const msg: ReplicaResponse = r._tag === "Right" ? { id: req.id, ok: true, value: r.right } : { id: req.id, ok: false, error: describe(r.left) }
      port.postMessage(msg, r._tag === "Right" ? transferables(r.right) : [])
    })
  })
  port.postMessage({ id: -1, ok: true, value: "ready" } satisfies ReplicaResponse)
})

const describe = (e: unknown): string => (e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String((e as { message: unknown }).message) : String(e))

Effect.runPromise(main).catch((e: unknown) => port.postMessage({ id: -1, ok: false, error: describe(e) } satisfies ReplicaResponse))

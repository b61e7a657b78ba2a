/**
 * Policy replicas in worker threads, so one run uses every core (tfjs's wasm
 * backend computes on one thread). Each worker builds the run's policy from
 * its config and takes the main policy's weights; then:
 * - rollouts: the prompts (or, for fewer prompts than workers, the samples
 *   per prompt) are split across workers, each with its own seed derived from
 *   the step's seed and its index;
 * - scoring and gradients: micro-batches are assigned to workers by cost
 *   (rows × width, largest first, to the least-loaded); each worker
 *   accumulates its share with the mini-batch's global weights, and the main
 *   thread sums the workers' gradients in worker order;
 * - after each optimizer step (on the main policy) every worker takes the new
 *   weights, so all replicas stay identical.
 * Everything is a function of (seed, step, worker count): a run is
 * deterministic for a given worker count. Workers load the TypeScript
 * sources through tsx's ESM API, as the reward server's workers do.
 */
import { type GenerateOptions, Sample } from "@oneshot/core"
import { PolicyError, type PolicyShape } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Effect } from "effect"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import { encodeConfig, type TrainConfig } from "./Config.ts"
import type { Gradients, Replicas, ScoreResult } from "./Replicas.ts"
import type { PlainGenerateOptions, PlainGradients, PlainSample, ReplicaInit, ReplicaRequest, ReplicaResponse, ReplicaValue } from "./ReplicaProtocol.ts"
import { hashInts } from "./Rng.ts"
import { needsReference } from "./ScoringStage.ts"
import type { ReplicaFactory } from "./Trainer.ts"

/** Distributes jobs of the given costs over `workers`: largest first, each to the least-loaded worker (lowest index on ties); each worker's jobs in their original order. */
export const assignJobs = (costs: ReadonlyArray<number>, workers: number): Array<Array<number>> => {
  const load = new Array<number>(workers).fill(0)
  const out: Array<Array<number>> = Array.from({ length: workers }, () => [])
  const order = costs.map((c, i) => [c, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [c, i] of order) {
    let w = 0
    for (let k = 1; k < workers; k++) if (load[k]! < load[w]!) w = k
    load[w] = load[w]! + c
    out[w]!.push(i)
  }
  return out.map((js) => js.sort((a, b) => a - b))
}

/** Sizes of `total` items split into `parts` contiguous blocks (the first ones one larger). */
export const splitSizes = (total: number, parts: number): Array<number> =>
  Array.from({ length: parts }, (_, w) => Math.floor(total / parts) + (w < total % parts ? 1 : 0))

/** The sampling seed of worker `w`'s share of a generation call. */
export const workerSeed = (seed: number | undefined, w: number): number | undefined => (seed === undefined ? undefined : hashInts(seed, 0x5eed, w) & 0x7fffffff)

const tsxApiUrl = (): string => {
  const require = createRequire(import.meta.url)
  return pathToFileURL(join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href
}

const replicaError = (w: number, reason: string) => new PolicyError({ input: `policy replica (worker ${w})`, expected: "a completed job", actual: reason })

interface Handle {
  readonly call: (req: DistributiveOmit<ReplicaRequest, "id">, transfer?: ReadonlyArray<ArrayBuffer>) => Effect.Effect<ReplicaValue, PolicyError>
  readonly terminate: () => Promise<number>
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

const startWorker = (w: number, init: ReplicaInit): Effect.Effect<Handle, PolicyError> =>
  Effect.async<Handle, PolicyError>((resume) => {
    const entry = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "ReplicaWorker.ts")).href
    const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
    const worker = new Worker(bootstrap, { eval: true, workerData: init })
    const pending = new Map<number, (r: ReplicaResponse) => void>()
    let next = 0
    let ready = false
    let dead: string | undefined
    const failAll = (reason: string) => {
      dead = reason
      for (const [id, k] of pending) k({ id, ok: false, error: reason })
      pending.clear()
      if (!ready) resume(Effect.fail(replicaError(w, reason)))
    }
    worker.on("message", (msg: ReplicaResponse) => {
      if (msg.id === -1) {
        if (msg.ok) {
          ready = true
          resume(Effect.succeed(handle))
        } else failAll(`failed to start: ${msg.error}`)
        return
      }
      const k = pending.get(msg.id)
      pending.delete(msg.id)
      k?.(msg)
    })
    worker.on("error", (e) => failAll(e.message))
    worker.on("exit", (code) => failAll(`exited with code ${code}`))
    const handle: Handle = {
      call: (req, transfer = []) =>
        Effect.async<ReplicaValue, PolicyError>((k) => {
          if (dead !== undefined) return k(Effect.fail(replicaError(w, dead)))
          const id = next++
          pending.set(id, (r) => k(r.ok ? Effect.succeed(r.value as ReplicaValue) : Effect.fail(replicaError(w, r.ok ? "" : r.error))))
          worker.postMessage({ ...req, id }, [...transfer])
        }),
      terminate: () => {
        worker.removeAllListeners("exit")
        return worker.terminate()
      }
    }
  })

const plainOptions = (o: GenerateOptions, n: number, seed: number | undefined): PlainGenerateOptions => ({
  n,
  temperature: o.temperature,
  topP: o.topP,
  maxTokens: o.maxTokens,
  stop: [...o.stop],
  seed
})

const toSamples = (xs: ReadonlyArray<ReadonlyArray<PlainSample>>): Array<Array<Sample>> => xs.map((row) => row.map((s) => Sample.make({ ...s, tokenIds: [...s.tokenIds], logprobs: [...s.logprobs] })))

/** Splits a generation call across workers: by prompts when there are at least as many as workers, else by samples per prompt. */
const splitGeneration = <P>(
  workers: ReadonlyArray<Handle>,
  prompts: ReadonlyArray<P>,
  options: GenerateOptions,
  request: (prompts: ReadonlyArray<P>, options: PlainGenerateOptions) => DistributiveOmit<ReplicaRequest, "id">
): Effect.Effect<Array<Array<Sample>>, PolicyError> => {
  const W = workers.length
  if (prompts.length >= W) {
    const sizes = splitSizes(prompts.length, W)
    const starts = sizes.map((_, w) => sizes.slice(0, w).reduce((a, b) => a + b, 0))
    return Effect.map(
      Effect.forEach(workers, (h, w) => h.call(request(prompts.slice(starts[w]!, starts[w]! + sizes[w]!), plainOptions(options, options.n, workerSeed(options.seed, w)))), { concurrency: "unbounded" }),
      (parts) => parts.flatMap((p) => toSamples(p as ReadonlyArray<ReadonlyArray<PlainSample>>))
    )
  }
  const ns = splitSizes(options.n, W)
  return Effect.map(
    Effect.forEach(
      workers.flatMap((h, w) => (ns[w]! > 0 ? [[h, w] as const] : [])),
      ([h, w]) => h.call(request(prompts, plainOptions(options, ns[w]!, workerSeed(options.seed, w)))),
      { concurrency: "unbounded" }
    ),
    (parts) => prompts.map((_, p) => parts.flatMap((part) => toSamples(part as ReadonlyArray<ReadonlyArray<PlainSample>>)[p]!))
  )
}

/** Fresh copies of the weights, to be transferred (wasm's dataSync already copies; other backends hand out their own array). */
const weightsOf = (vars: ReadonlyArray<tf.Variable>): Array<Float32Array> =>
  vars.map((v) => (tf.getBackend() === "wasm" ? (v.dataSync() as Float32Array) : (v.dataSync() as Float32Array).slice()))

/** Sums the workers' gradients (in worker order) into tensors keyed by the main policy's variable names. */
const sumGradients = (parts: ReadonlyArray<PlainGradients>, variables: ReadonlyArray<tf.Variable>): Gradients => {
  const grads: tf.NamedTensorMap = {}
  variables.forEach((v, i) => {
    let sum: Float32Array | undefined
    for (const p of parts) {
      const g = p.grads[i]
      if (g === null || g === undefined) continue
      // The arrays came from the workers (transferred): the first one is summed into in place.
      if (sum === undefined) sum = g
      else for (let j = 0; j < g.length; j++) sum[j]! += g[j]!
    }
    if (sum !== undefined) grads[v.name] = tf.keep(tf.tensor(sum, v.shape, "float32"))
  })
  const summed: Record<string, number> = {}
  for (const p of parts) for (const [k, x] of Object.entries(p.parts)) summed[k] = (summed[k] ?? 0) + x
  return { grads, loss: parts.reduce((a, p) => a + p.loss, 0), parts: summed }
}

/** Runs jobs on the workers they are assigned to (by cost) and returns the per-worker results, skipping idle workers. */
const distribute = <J, A>(
  workers: ReadonlyArray<Handle>,
  jobs: ReadonlyArray<J>,
  cost: (j: J) => number,
  run: (h: Handle, jobs: ReadonlyArray<J>) => Effect.Effect<A, PolicyError>
): Effect.Effect<Array<{ readonly idx: ReadonlyArray<number>; readonly value: A }>, PolicyError> => {
  const plan = assignJobs(jobs.map(cost), workers.length)
  return Effect.forEach(
    plan.flatMap((idx, w) => (idx.length === 0 ? [] : [[idx, w] as const])),
    ([idx, w]) => Effect.map(run(workers[w]!, idx.map((i) => jobs[i]!)), (value) => ({ idx, value })),
    { concurrency: "unbounded" }
  )
}

const area = (j: { readonly batch: { readonly tokens: ReadonlyArray<ReadonlyArray<number>> } }): number => j.batch.tokens.length * (j.batch.tokens[0]?.length ?? 0)

/** `count` worker-thread replicas of the run's policy (built by `policySourceFor(config)`). */
export const workerReplicas =
  (count: number): ReplicaFactory =>
  ({ config, policy }: { readonly config: TrainConfig; readonly policy: PolicyShape }) =>
    Effect.gen(function* () {
      const init: ReplicaInit = { config: encodeConfig(config), withReference: needsReference(config) }
      const workers = yield* Effect.acquireRelease(
        Effect.forEach(Array.from({ length: Math.max(1, count) }, (_, w) => w), (w) => startWorker(w, init), { concurrency: "unbounded" }),
        (ws) => Effect.promise(() => Promise.all(ws.map((h) => h.terminate())))
      )
      const sync = Effect.forEach(
        workers,
        (h) => {
          const trainable = weightsOf(policy.trainableVariables)
          const valueHead = weightsOf(policy.valueHeadVariables)
          return h.call({ op: "setWeights", trainable, valueHead }, [...trainable, ...valueHead].map((a) => a.buffer as ArrayBuffer))
        },
        { concurrency: "unbounded", discard: true }
      )
      yield* sync
      const replicas: Replicas = {
        size: workers.length,
        generateIds: (prompts, options) => splitGeneration(workers, prompts, options, (p, o) => ({ op: "generateIds", prompts: p, options: o })),
        generate: (prompts, options) => splitGeneration(workers, prompts, options, (p, o) => ({ op: "generate", prompts: p, options: o })),
        score: (model, jobs) =>
          Effect.map(distribute(workers, jobs, area, (h, js) => h.call({ op: "score", model, jobs: js })), (parts) => {
            const out = new Array<ScoreResult>(jobs.length)
            for (const p of parts) p.idx.forEach((i, k) => (out[i] = (p.value as ReadonlyArray<ScoreResult>)[k]!))
            return out
          }),
        actorGradients: (jobs, spec) =>
          Effect.map(distribute(workers, jobs, area, (h, js) => h.call({ op: "actorGradients", jobs: js, spec })), (parts) =>
            sumGradients(parts.map((p) => p.value as PlainGradients), policy.trainableVariables)
          ),
        criticGradients: (jobs, spec) =>
          Effect.map(distribute(workers, jobs, area, (h, js) => h.call({ op: "criticGradients", jobs: js, spec })), (parts) =>
            sumGradients(parts.map((p) => p.value as PlainGradients), policy.valueHeadVariables)
          ),
        sync
      }
      return replicas
    })

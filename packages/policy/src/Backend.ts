/**
 * The tfjs backend, chosen once per process by a Layer: by name, or from
 * `ONESHOT_BACKEND` (default `wasm`, the fast one on CPU). Every policy layer
 * requires `Backend`, so the choice is explicit in the types.
 */
import * as tf from "@tensorflow/tfjs"
import { Context, Effect, Layer, Schema } from "effect"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { BackendError } from "./Errors.ts"
import { guardWasmHeap } from "./WasmHeap.ts"
import { patchWasmKernels } from "./WasmKernels.ts"

export const BackendName = Schema.Literal("wasm", "cpu", "webgpu", "tensorflow")
export type BackendName = typeof BackendName.Type

export interface BackendShape {
  /** The tfjs backend now active. */
  readonly name: BackendName
}

const parseName = (raw: string): Effect.Effect<BackendName, BackendError> =>
  Schema.is(BackendName)(raw)
    ? Effect.succeed(raw)
    : Effect.fail(
        new BackendError({
          backend: raw,
          reason: `unknown backend; expected one of wasm, cpu, webgpu, tensorflow (set ONESHOT_BACKEND or the config)`
        })
      )

const tryPromise = <A>(backend: string, f: () => Promise<A>, what: string) =>
  Effect.tryPromise({
    try: f,
    catch: (e) => new BackendError({ backend, reason: `${what}: ${e instanceof Error ? e.message : String(e)}`, cause: e })
  })

const activate = (name: BackendName) =>
  tryPromise(
    name,
    async () => {
      const ok = await tf.setBackend(name)
      if (!ok) throw new Error("tf.setBackend returned false")
      await tf.ready()
    },
    "cannot activate"
  )

const setupWasm = Effect.gen(function* () {
  const wasm = yield* tryPromise("wasm", () => import("@tensorflow/tfjs-backend-wasm"), "cannot load @tensorflow/tfjs-backend-wasm")
  // In Node the .wasm files are not found next to the bundle by default.
  const require = createRequire(import.meta.url)
  const dist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"))
  wasm.setWasmPaths(`${dist}/`)
  patchWasmKernels()
  yield* activate("wasm")
  // A tensor past the 4 GiB heap is a PolicyError, not a module abort.
  guardWasmHeap()
})

/** Dawn (npm `webgpu`) as `navigator.gpu`, then tfjs' WebGPU backend. Fails when no adapter exists. */
const setupWebgpu = Effect.gen(function* () {
  const dawn = yield* tryPromise(
    "webgpu",
    () => import("webgpu"),
    "cannot load the npm package `webgpu` (Dawn for Node); install it with `npm install webgpu -w @oneshot/policy`"
  )
  const gpu = dawn.create([])
  const g = globalThis as unknown as Record<string, unknown>
  Object.assign(g, dawn.globals)
  const requestAdapter = gpu.requestAdapter.bind(gpu)
  // tfjs 4.22 calls adapter.requestAdapterInfo(), which current Dawn lacks.
  ;(gpu as unknown as { requestAdapter: typeof requestAdapter }).requestAdapter = async (options) => {
    const adapter = await requestAdapter(options)
    if (adapter !== null) {
      const a = adapter as unknown as Record<string, unknown>
      if (typeof a["requestAdapterInfo"] !== "function") a["requestAdapterInfo"] = async () => adapter.info
    }
    return adapter
  }
  const adapter = yield* tryPromise("webgpu", () => gpu.requestAdapter(), "requestAdapter failed")
  if (adapter === null) {
    return yield* new BackendError({
      backend: "webgpu",
      reason: "no GPU adapter found (Dawn found no Vulkan/Metal/D3D GPU); run on a GPU machine or choose wasm"
    })
  }
  Object.defineProperty(g, "navigator", { value: { gpu }, configurable: true, writable: true })
  yield* tryPromise("webgpu", () => import("@tensorflow/tfjs-backend-webgpu"), "cannot load @tensorflow/tfjs-backend-webgpu")
  yield* activate("webgpu")
})

export const TFJS_NODE_GPU = "@tensorflow/tfjs-node-gpu"

/** The CUDA backend from `@tensorflow/tfjs-node-gpu` (an optional dependency, absent on most machines). */
const setupTensorflow = Effect.gen(function* () {
  const spec: string = TFJS_NODE_GPU
  yield* tryPromise(
    "tensorflow",
    () => import(spec),
    `${TFJS_NODE_GPU} is not installed; on a Linux x86_64 machine with CUDA 11.2 and cuDNN 8 run \`npm install ${TFJS_NODE_GPU}@4.22.0 -w @oneshot/policy\` (it needs its install script to fetch libtensorflow), or choose ONESHOT_BACKEND=wasm`
  )
  yield* activate("tensorflow")
})

/** Makes `name` the active tfjs backend (idempotent). */
export const selectBackend = (raw: string): Effect.Effect<BackendName, BackendError> =>
  Effect.gen(function* () {
    const name = yield* parseName(raw)
    if (tf.getBackend() === name && tf.findBackend(name) !== null) {
      // wasm may have been activated by other code: the faster Slice still applies.
      if (name === "wasm") patchWasmKernels()
      return name
    }
    switch (name) {
      case "wasm":
        yield* setupWasm
        break
      case "cpu":
        yield* activate("cpu")
        break
      case "webgpu":
        yield* setupWebgpu
        break
      case "tensorflow":
        yield* setupTensorflow
        break
    }
    return name
  })

/** The backend name from `ONESHOT_BACKEND`, else `wasm`. */
export const backendFromEnv = (): string => process.env["ONESHOT_BACKEND"] ?? "wasm"

export class Backend extends Context.Tag("@oneshot/policy/Backend")<Backend, BackendShape>() {
  /** Selects `name` for this process. */
  static readonly layer = (name: string): Layer.Layer<Backend, BackendError> =>
    Layer.effect(Backend, Effect.map(selectBackend(name), (n) => ({ name: n })))
  /** `ONESHOT_BACKEND` or wasm. */
  static readonly fromEnv: Layer.Layer<Backend, BackendError> = Layer.suspend(() => Backend.layer(backendFromEnv()))
  static readonly wasm = Backend.layer("wasm")
  static readonly cpu = Backend.layer("cpu")
  static readonly webgpu = Backend.layer("webgpu")
  static readonly tensorflow = Backend.layer("tensorflow")
}

import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Backend, selectBackend } from "../src/Backend.ts"

describe("Backend", () => {
  it.effect("an unknown name lists the valid ones", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(selectBackend("cuda"))
      expect(e._tag).toBe("BackendError")
      expect(e.message).toContain("expected one of wasm, cpu, webgpu, tensorflow")
    })
  )

  it.effect("tensorflow without @tensorflow/tfjs-node-gpu says how to install it", () =>
    Effect.gen(function* () {
      const r = yield* Effect.either(selectBackend("tensorflow"))
      if (r._tag === "Left") {
        expect(r.left.message).toContain("npm install @tensorflow/tfjs-node-gpu")
      } else {
        expect(r.right).toBe("tensorflow")
      }
    })
  )

  it.effect("webgpu fails clearly when no GPU adapter exists (or selects it where one does)", () =>
    Effect.gen(function* () {
      const r = yield* Effect.either(selectBackend("webgpu"))
      if (r._tag === "Left") expect(r.left.message).toMatch(/webgpu: (no GPU adapter|cannot)/)
      else expect(r.right).toBe("webgpu")
    })
  )

  it.effect("ONESHOT_BACKEND picks the backend; wasm and cpu work here", () =>
    Effect.gen(function* () {
      const prev = process.env["ONESHOT_BACKEND"]
      process.env["ONESHOT_BACKEND"] = "cpu"
      const cpu = yield* Effect.provide(Backend, Backend.fromEnv)
      expect(cpu.name).toBe("cpu")
      process.env["ONESHOT_BACKEND"] = "bogus"
      const e = yield* Effect.flip(Layer.build(Backend.fromEnv).pipe(Effect.scoped))
      expect(e.message).toContain("backend bogus")
      if (prev === undefined) delete process.env["ONESHOT_BACKEND"]
      else process.env["ONESHOT_BACKEND"] = prev
      expect((yield* Effect.provide(Backend, Backend.wasm)).name).toBe("wasm")
    })
  )
})

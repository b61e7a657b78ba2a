import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { defaultWorkers, makeConfig } from "../src/ServerConfig.ts"

describe("ServerConfig", () => {
  it.effect("defaults: loopback, deepscaler, one worker per core but one", () =>
    Effect.gen(function*() {
      const c = yield* makeConfig()
      expect(c).toMatchObject({ host: "127.0.0.1", port: 8000, mode: "deepscaler", workers: defaultWorkers(), maxBatchSize: 4096 })
      expect(defaultWorkers()).toBeGreaterThanOrEqual(1)
    }))

  it.effect("a bad setting fails with InvalidConfig naming the field", () =>
    Effect.gen(function*() {
      const workers = yield* Effect.flip(makeConfig({ workers: 0 }))
      expect(workers._tag).toBe("InvalidConfig")
      expect(workers.field).toBe("workers")
      expect(workers.message).toContain("server config workers:")
      const port = yield* Effect.flip(makeConfig({ port: 70000 }))
      expect(port.field).toBe("port")
      const mode = yield* Effect.flip(makeConfig({ mode: "loose" as "strict" }))
      expect(mode.field).toBe("mode")
    }))
})

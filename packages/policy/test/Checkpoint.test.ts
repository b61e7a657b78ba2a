import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc } from "effect"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll } from "vitest"
import { selectBackend } from "../src/Backend.ts"
import { loadCheckpoint } from "../src/Checkpoint.ts"
import { PolicyLive } from "../src/PolicyLive.ts"
import { Backend } from "../src/Backend.ts"
import { decodeSafetensors, encodeSafetensors } from "../src/Safetensors.ts"
import { micro } from "./fixtures.ts"

beforeAll(async () => {
  await Effect.runPromise(selectBackend("wasm"))
})

const tmp = () => mkdtempSync(join(tmpdir(), "policy-ck-"))
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))

describe("safetensors", () => {
  it("encode → decode is bit-exact (NaN and -0 included), header 8-byte aligned", () => {
    const tensor = fc
      .array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 })
      .chain((shape) =>
        fc
          .float32Array({ minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
          .map((data) => ({ shape, data }))
      )
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._]{0,12}$/), tensor, { maxKeys: 5 }), (dict) => {
        const entries = Object.entries(dict)
        const bytes = encodeSafetensors(entries, { format: "pt" })
        const n = Number(new DataView(bytes.buffer).getBigUint64(0, true))
        expect(n % 8).toBe(0)
        const d = Either.getOrThrow(decodeSafetensors(bytes))
        expect(d.metadata).toEqual({ format: "pt" })
        expect([...d.tensors.keys()].sort()).toEqual(entries.map(([k]) => k).sort())
        for (const [k, t] of entries) {
          expect(d.tensors.get(k)!.shape).toEqual(t.shape)
          expect(bits(d.tensors.get(k)!.data)).toEqual(bits(t.data))
        }
      })
    )
  })

  it("rejects malformed files with a message saying what was expected", () => {
    const good = encodeSafetensors([["a", { shape: [2], data: new Float32Array([1, 2]) }]])
    const msg = (b: Uint8Array) => Either.match(decodeSafetensors(b), { onLeft: (m) => m, onRight: () => "ok" })
    expect(msg(good.subarray(0, 4))).toContain("at least 8 bytes")
    expect(msg(good.subarray(0, good.length - 4))).toContain("beyond the data")
    const big = new Uint8Array(good)
    new DataView(big.buffer).setBigUint64(0, 10_000n, true)
    expect(msg(big)).toContain("exceeds the file")
    const f16 = new TextEncoder().encode(JSON.stringify({ a: { dtype: "I16", shape: [1], data_offsets: [0, 2] } }))
    const buf = new Uint8Array(8 + f16.length + 2)
    new DataView(buf.buffer).setBigUint64(0, BigInt(f16.length), true)
    buf.set(f16, 8)
    expect(msg(buf)).toContain("expected dtype F32")
  })
})

describe("checkpoints", () => {
  const withPolicy = <A, E>(f: (dir: string) => Effect.Effect<A, E, Backend>) =>
    Effect.gen(function* () {
      const p = yield* PolicyLive.make(micro, { seed: 1 })
      const dir = tmp()
      yield* p.save(dir)
      yield* p.dispose
      return yield* f(dir)
    }).pipe(Effect.provide(Backend.wasm))

  it.effect("writes config.json (HF names), tokenizer.json and model.safetensors (HF [out, in] layout), no temp files", () =>
    withPolicy((dir) =>
      Effect.sync(() => {
        expect(readdirSync(dir).sort()).toEqual(["config.json", "model.safetensors", "tokenizer.json"])
        const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"))
        expect(cfg.model_type).toBe("llama")
        expect(cfg.num_key_value_heads).toBe(2)
        const st = Either.getOrThrow(decodeSafetensors(readFileSync(join(dir, "model.safetensors"))))
        expect(st.tensors.get("model.layers.0.self_attn.k_proj.weight")!.shape).toEqual([16, 32])
        expect(st.tensors.get("model.layers.1.mlp.down_proj.weight")!.shape).toEqual([32, 48])
        expect(st.tensors.has("lm_head.weight")).toBe(true)
      })
    )
  )

  it.effect("loading names the file and what is wrong", () =>
    withPolicy((dir) =>
      Effect.gen(function* () {
        const missing = yield* Effect.flip(loadCheckpoint(join(dir, "nope")))
        expect(missing.message).toContain("config.json")
        // A config that does not match the weights.
        const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"))
        writeFileSync(join(dir, "config.json"), JSON.stringify({ ...cfg, intermediate_size: 64 }))
        const shape = yield* Effect.flip(loadCheckpoint(dir))
        expect(shape.message).toContain("mlp.gate_proj.weight: expected shape [64,32], got [48,32]")
        writeFileSync(join(dir, "config.json"), JSON.stringify({ ...cfg, hidden_size: "big" }))
        const bad = yield* Effect.flip(loadCheckpoint(dir))
        expect(bad.message).toContain("config.json")
        expect(bad.message).toContain("hidden_size")
        writeFileSync(join(dir, "config.json"), JSON.stringify({ ...cfg, num_key_value_heads: 3 }))
        expect((yield* Effect.flip(loadCheckpoint(dir))).message).toContain("divisible by num_key_value_heads")
        // Weights without one tensor.
        writeFileSync(join(dir, "config.json"), JSON.stringify(cfg))
        const st = Either.getOrThrow(decodeSafetensors(readFileSync(join(dir, "model.safetensors"))))
        st.tensors.delete("model.norm.weight")
        writeFileSync(join(dir, "model.safetensors"), encodeSafetensors([...st.tensors]))
        expect((yield* Effect.flip(loadCheckpoint(dir))).message).toContain("missing tensor model.norm.weight")
        writeFileSync(join(dir, "model.safetensors"), "not a safetensors file")
        expect((yield* Effect.flip(loadCheckpoint(dir))).message).toContain("model.safetensors")
      })
    )
  )
})

/**
 * Parity with an independent float32 PyTorch implementation and an independent
 * byte-level BPE (scripts/make_fixtures.py) on small random checkpoints in the
 * real Hugging Face format with the real Qwen2.5 vocabulary.
 */
import { describe, expect, it } from "@effect/vitest"
import { GenerateOptions } from "@oneshot/core"
import { Effect } from "effect"
import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll } from "vitest"
import { selectBackend } from "../src/Backend.ts"
import { loadCheckpoint } from "../src/Checkpoint.ts"
import { decodeSafetensors } from "../src/Safetensors.ts"
import { Either } from "effect"
import { Backend } from "../src/Backend.ts"
import { PolicyLive } from "../src/PolicyLive.ts"

const FIX = join(import.meta.dirname, "fixtures", "hf")
interface Reference {
  readonly tokenization: ReadonlyArray<{ text: string; ids: Array<number> }>
  readonly models: Record<string, {
    score: ReadonlyArray<{ ids: Array<number>; logprobs: Array<number> }>
    greedy: ReadonlyArray<{ prompt_ids: Array<number>; completion_ids: Array<number> }>
  }>
}
const ref = JSON.parse(readFileSync(join(FIX, "reference.json"), "utf8")) as Reference

beforeAll(async () => {
  await Effect.runPromise(selectBackend("wasm"))
})

type Loaded = Effect.Effect.Success<ReturnType<typeof PolicyLive.fromCheckpoint>>
/** Each checkpoint is loaded once per file (loading the 151936-row embedding is the slow part). */
const loaded = new Map<string, Promise<Loaded>>()
const withPolicy = <A>(dir: string, f: (p: Loaded) => Effect.Effect<A, unknown>) =>
  Effect.gen(function* () {
    if (!loaded.has(dir)) loaded.set(dir, Effect.runPromise(PolicyLive.fromCheckpoint(dir).pipe(Effect.provide(Backend.wasm))))
    const p = yield* Effect.promise(() => loaded.get(dir)!)
    return yield* f(p)
  })

afterAll(async () => {
  for (const p of loaded.values()) await Effect.runPromise((await p).dispose)
})

describe("Hugging Face tokenizer (Qwen2.5 vocabulary)", () => {
  it.effect("encodes the varied text set exactly as the reference BPE", () =>
    Effect.gen(function* () {
      const ck = yield* loadCheckpoint(join(FIX, "qwen2-bf16-tied"))
      for (const t of ck.tensors.values()) t.dispose()
      for (const { text, ids } of ref.tokenization) {
        expect(ck.tokenizer.encode(text), JSON.stringify(text)).toEqual(ids)
        expect(ck.tokenizer.promptIds(text)).toEqual(ids)
      }
      // Decoding skips special tokens and inverts the byte map (NFC text round-trips).
      const plain = ref.tokenization.filter(({ text }) => !text.includes("<|") && !text.includes("<t"))
      for (const { text, ids } of plain) expect(ck.tokenizer.decode(ids)).toBe(text.normalize("NFC"))
      expect(ck.tokenizer.eosId).toBe(151643)
      expect(ck.tokenizer.vocabSize).toBe(151665)
      // Streaming bytes of every token reassemble the text (CJK and emoji span several tokens).
      for (const { text, ids } of plain) {
        const dec = new TextDecoder()
        expect(ids.map((id) => dec.decode(ck.tokenizer.tokenBytes(id), { stream: true })).join("") + dec.decode()).toBe(text.normalize("NFC"))
      }
    }))

  it.effect("renders the Qwen2.5-Math chat template as the paper's training prompt", () =>
    Effect.gen(function* () {
      const ck = yield* loadCheckpoint(join(FIX, "qwen2-bf16-tied"))
      for (const t of ck.tensors.values()) t.dispose()
      const s = ck.tokenizer.chat!([{ role: "user", content: "Q? Let's think step by step and output the final answer within \\boxed{}." }], true)
      expect(s).toBe(
        "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nQ? Let's think step by step and output the final answer within \\boxed{}.<|im_end|>\n<|im_start|>assistant\n"
      )
    }))
})

for (const name of Object.keys(ref.models)) {
  const dir = join(FIX, name)
  const r = ref.models[name]!
  describe(`checkpoint ${name}`, () => {
    it.effect("log-probs match the PyTorch float32 reference within 1e-3", () =>
      withPolicy(dir, (p) =>
        Effect.gen(function* () {
          for (const s of r.score) {
            const out = yield* p.score({ tokens: [s.ids], responseMask: [s.ids.map(() => 1)] })
            const got = out.logprobs[0]!.slice(1)
            expect(got.length).toBe(s.logprobs.length)
            got.forEach((v, i) => expect(Math.abs(v - s.logprobs[i]!), `${name} token ${i + 1}`).toBeLessThan(1e-3))
          }
        })
      ))

    it.effect("greedy continuations (KV cache) equal the reference's", () =>
      withPolicy(dir, (p) =>
        Effect.gen(function* () {
          const out = yield* p.generateIds(
            r.greedy.map((g) => g.prompt_ids),
            GenerateOptions.make({ n: 1, temperature: 0, topP: 1, maxTokens: 8, stop: [], seed: 0 })
          )
          r.greedy.forEach((g, i) => expect(out[i]![0]!.tokenIds).toEqual(g.completion_ids))
        })
      ))

    it.effect("saves back in its own dtype, sharding and config; reloads identically", () =>
      withPolicy(dir, (p) =>
        Effect.gen(function* () {
          const out = mkdtempSync(join(tmpdir(), "policy-hf-"))
          yield* p.save(out)
          const files = readdirSync(dir).filter((f) => f.endsWith(".safetensors"))
          for (const f of files) {
            const a = Either.getOrThrow(decodeSafetensors(readFileSync(join(dir, f))))
            const b = Either.getOrThrow(decodeSafetensors(readFileSync(join(out, f))))
            expect([...b.tensors.keys()].sort()).toEqual([...a.tensors.keys()].sort())
            for (const [n, t] of a.tensors) {
              expect(b.tensors.get(n)!.dtype).toBe(t.dtype)
              expect(Array.from(b.tensors.get(n)!.data)).toEqual(Array.from(t.data))
            }
          }
          for (const f of ["config.json", "tokenizer.json", "tokenizer_config.json"]) {
            expect(readFileSync(join(out, f), "utf8"), f).toBe(readFileSync(join(dir, f), "utf8"))
          }
          for (const f of readdirSync(dir).filter((f) => f.endsWith(".index.json"))) {
            expect(JSON.parse(readFileSync(join(out, f), "utf8"))).toEqual(JSON.parse(readFileSync(join(dir, f), "utf8")))
          }
          expect(readdirSync(out)).toContain("value_head.safetensors")
        })
      ))
  })
}

/**
 * Checkpoint directories: `config.json` (Hugging Face names), `tokenizer.json`
 * and `model.safetensors` (HF layout: linear weights [out, in]). Every file
 * is written to a temp name and renamed, so a crash never leaves a torn file;
 * loading checks every name and shape and says which is wrong.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect, Either, Schema } from "effect"
import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { CheckpointError } from "./Errors.ts"
import { configProblem, ModelConfig } from "./ModelConfig.ts"
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from "./Safetensors.ts"
import { CharTokenizer, TokenizerJson, tokenizerFromJson, type TokenizerShape } from "./Tokenizer.ts"
import { heldShape, paramSpecs, type Weights } from "./Weights.ts"

export const CONFIG_FILE = "config.json"
export const TOKENIZER_FILE = "tokenizer.json"
export const WEIGHTS_FILE = "model.safetensors"

/** Transposes a row-major [r, c] matrix. */
export const transpose2d = (data: Float32Array, r: number, c: number): Float32Array => {
  const out = new Float32Array(r * c)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = data[i * c + j]!
  return out
}

const errMsg = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Writes `bytes` to `path` via a temp file and rename. */
export const writeAtomic = (path: string, bytes: Uint8Array | string): Effect.Effect<void, CheckpointError> =>
  Effect.tryPromise({
    try: async () => {
      const tmp = `${path}.tmp-${process.pid}-${Date.now()}`
      await writeFile(tmp, bytes)
      await rename(tmp, path)
    },
    catch: (e) => new CheckpointError({ path, reason: `cannot write: ${errMsg(e)}` })
  })

/** config.json: the ModelConfig plus the usual HF identification fields. */
export const configJson = (c: ModelConfig): string =>
  JSON.stringify(
    {
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      torch_dtype: "float32",
      hidden_act: "silu",
      ...Schema.encodeSync(ModelConfig)(c)
    },
    null,
    2
  ) + "\n"

/** The weights as HF-layout arrays (synchronous read of the variables). */
export const weightsToNamed = (c: ModelConfig, w: Weights): Array<readonly [string, NamedTensor]> =>
  paramSpecs(c).map((s) => {
    const held = w.byName.get(s.name)!.dataSync() as Float32Array
    const data = s.linear ? transpose2d(held, s.shape[1]!, s.shape[0]!) : new Float32Array(held)
    return [s.name, { shape: s.shape, data }] as const
  })

export const saveCheckpoint = (
  dir: string,
  c: ModelConfig,
  tokenizer: TokenizerShape,
  w: Weights
): Effect.Effect<void, CheckpointError> =>
  Effect.gen(function* () {
    yield* Effect.tryPromise({
      try: () => mkdir(dir, { recursive: true }),
      catch: (e) => new CheckpointError({ path: dir, reason: `cannot create directory: ${errMsg(e)}` })
    })
    const bytes = encodeSafetensors(weightsToNamed(c, w), { format: "pt", producer: "@oneshot/policy" })
    yield* writeAtomic(join(dir, WEIGHTS_FILE), bytes)
    yield* writeAtomic(join(dir, TOKENIZER_FILE), JSON.stringify(tokenizer.toJSON()) + "\n")
    // config.json last: its presence marks a complete checkpoint.
    yield* writeAtomic(join(dir, CONFIG_FILE), configJson(c))
  })

export interface LoadedCheckpoint {
  readonly config: ModelConfig
  readonly tokenizer: TokenizerShape
  /** Held layout ([in, out] for linear weights), by HF name; the caller owns them. */
  readonly tensors: Map<string, tf.Tensor>
}

const readText = (path: string) =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) => new CheckpointError({ path, reason: `cannot read: ${errMsg(e)}` })
  })

const parseJson = (path: string, text: string) =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) => new CheckpointError({ path, reason: `expected JSON: ${errMsg(e)}` })
  })

/** Reads and validates a checkpoint directory. */
export const loadCheckpoint = (dir: string): Effect.Effect<LoadedCheckpoint, CheckpointError> =>
  Effect.gen(function* () {
    const cfgPath = join(dir, CONFIG_FILE)
    const raw = yield* parseJson(cfgPath, yield* readText(cfgPath))
    const config = yield* Schema.decodeUnknown(ModelConfig, { onExcessProperty: "ignore" })(raw).pipe(
      Effect.mapError((e) => new CheckpointError({ path: cfgPath, reason: `expected a model config: ${e.message}` }))
    )
    const problem = configProblem(config)
    if (problem !== undefined) return yield* new CheckpointError({ path: cfgPath, reason: `expected ${problem}` })

    const tokPath = join(dir, TOKENIZER_FILE)
    const tokText = yield* readText(tokPath).pipe(Effect.option)
    let tokenizer: TokenizerShape = CharTokenizer
    if (tokText._tag === "Some") {
      const tj = yield* Schema.decodeUnknown(TokenizerJson)(yield* parseJson(tokPath, tokText.value)).pipe(
        Effect.mapError((e) => new CheckpointError({ path: tokPath, reason: `expected a char tokenizer: ${e.message}` }))
      )
      tokenizer = yield* Effect.try({
        try: () => tokenizerFromJson(tj),
        catch: (e) => new CheckpointError({ path: tokPath, reason: errMsg(e) })
      })
    }
    if (tokenizer.vocabSize > config.vocab_size) {
      return yield* new CheckpointError({
        path: tokPath,
        reason: `tokenizer has ${tokenizer.vocabSize} ids but vocab_size is ${config.vocab_size}`
      })
    }

    const wPath = join(dir, WEIGHTS_FILE)
    const bytes = yield* Effect.tryPromise({
      try: () => readFile(wPath),
      catch: (e) => new CheckpointError({ path: wPath, reason: `cannot read: ${errMsg(e)}` })
    })
    const decoded = decodeSafetensors(bytes)
    if (Either.isLeft(decoded)) return yield* new CheckpointError({ path: wPath, reason: decoded.left })
    const found = decoded.right.tensors
    const specs = paramSpecs(config)
    const known = new Set(specs.map((s) => s.name))
    const extra = [...found.keys()].filter((n) => !known.has(n))
    if (extra.length > 0) {
      return yield* new CheckpointError({ path: wPath, reason: `unexpected tensors for this config: ${extra.slice(0, 5).join(", ")}` })
    }
    const tensors = new Map<string, tf.Tensor>()
    for (const s of specs) {
      const t = found.get(s.name)
      if (t === undefined) {
        // A checkpoint without a value head gets a fresh (zero) one.
        if (s.valueHead) {
          tensors.set(s.name, tf.zeros(heldShape(s)))
          continue
        }
        for (const v of tensors.values()) v.dispose()
        return yield* new CheckpointError({ path: wPath, reason: `missing tensor ${s.name} [${s.shape}]` })
      }
      if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
        for (const v of tensors.values()) v.dispose()
        return yield* new CheckpointError({
          path: wPath,
          reason: `${s.name}: expected shape [${s.shape}], got [${t.shape}]`
        })
      }
      const data = s.linear ? transpose2d(t.data, s.shape[0]!, s.shape[1]!) : t.data
      tensors.set(s.name, tf.tensor(data, heldShape(s), "float32"))
    }
    return { config, tokenizer, tensors }
  })

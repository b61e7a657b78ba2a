/**
 * Checkpoint directories in Hugging Face layout: `config.json`, the tokenizer
 * files and the weights (`model.safetensors`, or shards listed in
 * `model.safetensors.index.json`; F32, F16 or BF16; linear weights [out, in]).
 * A checkpoint is saved back in its own format: the same dtype, the same
 * shards, the same config and tokenizer files; the value head goes to
 * `value_head.safetensors` (this project's char checkpoints keep it inline).
 * Every file is written to a temp name and renamed, config.json last, so a
 * crash never leaves a torn checkpoint; loading checks every name and shape.
 */
import * as tf from "@tensorflow/tfjs"
import { Effect, Either, Schema } from "effect"
import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { bytesPerElement, type StorageDtype } from "./Dtype.ts"
import { CheckpointError } from "./Errors.ts"
import { parseHfConfig } from "./HfConfig.ts"
import { makeHfTokenizer } from "./HfTokenizer.ts"
import { ModelConfig } from "./ModelConfig.ts"
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from "./Safetensors.ts"
import { CharTokenizer, TokenizerJson, tokenizerFromJson, type TokenizerShape } from "./Tokenizer.ts"
import { heldShape, paramSpecs, type Weights } from "./Weights.ts"

export const CONFIG_FILE = "config.json"
export const TOKENIZER_FILE = "tokenizer.json"
export const WEIGHTS_FILE = "model.safetensors"
export const INDEX_FILE = "model.safetensors.index.json"
export const VALUE_HEAD_FILE = "value_head.safetensors"
/** Small files of an HF directory copied verbatim when a checkpoint is saved. */
const EXTRA_FILES = ["generation_config.json", "special_tokens_map.json"] as const

/** How a checkpoint is laid out on disk: saved back the same way. */
export interface CheckpointFormat {
  /** "oneshot": F32, value head inline, config from ModelConfig (the char checkpoints); "hf": the directory's own. */
  readonly kind: "oneshot" | "hf"
  readonly dtype: StorageDtype
  /** Tensor name → shard file (sharded checkpoints). */
  readonly shards?: ReadonlyMap<string, string>
  /** config.json verbatim (hf). */
  readonly configText?: string
  /** Other small files, verbatim: [name, text]. */
  readonly extraFiles: ReadonlyArray<readonly [string, string]>
}

export const ONESHOT_FORMAT: CheckpointFormat = { kind: "oneshot", dtype: "F32", extraFiles: [] }

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
    catch: (e) => new CheckpointError({ path, reason: `cannot write: ${errMsg(e)}`, cause: e })
  })

/** config.json: the ModelConfig plus the usual HF identification fields. */
export const configJson = (c: ModelConfig): string =>
  JSON.stringify(
    {
      architectures: [c.attention_bias === true ? "Qwen2ForCausalLM" : "LlamaForCausalLM"],
      model_type: c.attention_bias === true ? "qwen2" : "llama",
      torch_dtype: "float32",
      hidden_act: "silu",
      ...Schema.encodeSync(ModelConfig)(c)
    },
    null,
    2
  ) + "\n"

/** The weights as HF-layout arrays (synchronous read of the variables). */
export const weightsToNamed = (c: ModelConfig, w: Weights, dtype: StorageDtype = "F32"): Array<readonly [string, NamedTensor]> =>
  paramSpecs(c).map((s) => {
    const held = w.byName.get(s.name)!.dataSync() as Float32Array
    const data = s.linear ? transpose2d(held, s.shape[1]!, s.shape[0]!) : new Float32Array(held)
    return [s.name, { shape: s.shape, data, dtype: s.valueHead ? "F32" : dtype }] as const
  })

const mkdirp = (dir: string) =>
  Effect.tryPromise({
    try: () => mkdir(dir, { recursive: true }),
    catch: (e) => new CheckpointError({ path: dir, reason: `cannot create directory: ${errMsg(e)}`, cause: e })
  })

export const saveCheckpoint = (
  dir: string,
  c: ModelConfig,
  tokenizer: TokenizerShape,
  w: Weights,
  format: CheckpointFormat = ONESHOT_FORMAT
): Effect.Effect<void, CheckpointError> =>
  Effect.gen(function* () {
    yield* mkdirp(dir)
    const named = weightsToNamed(c, w, format.dtype)
    const meta = { format: "pt", producer: "@oneshot/policy" }
    if (format.kind === "oneshot") {
      yield* writeAtomic(join(dir, WEIGHTS_FILE), encodeSafetensors(named, meta))
    } else {
      const model = named.filter(([n]) => !n.startsWith("value_head."))
      yield* writeAtomic(join(dir, VALUE_HEAD_FILE), encodeSafetensors(named.filter(([n]) => n.startsWith("value_head.")), meta))
      if (format.shards === undefined) {
        yield* writeAtomic(join(dir, WEIGHTS_FILE), encodeSafetensors(model, { format: "pt" }))
      } else {
        const files = [...new Set(format.shards.values())].sort()
        const fileOf = (name: string) => format.shards!.get(name) ?? files[0]!
        for (const f of files) yield* writeAtomic(join(dir, f), encodeSafetensors(model.filter(([n]) => fileOf(n) === f), { format: "pt" }))
        const total = model.reduce((a, [, t]) => a + t.data.length * bytesPerElement(format.dtype), 0)
        const weightMap = Object.fromEntries(model.map(([n]) => [n, fileOf(n)] as const).sort(([a], [b]) => (a < b ? -1 : 1)))
        yield* writeAtomic(join(dir, INDEX_FILE), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2) + "\n")
      }
    }
    for (const [name, text] of [...tokenizer.files(), ...format.extraFiles]) yield* writeAtomic(join(dir, name), text)
    // config.json last: its presence marks a complete checkpoint.
    yield* writeAtomic(join(dir, CONFIG_FILE), format.configText ?? configJson(c))
  })

export interface LoadedCheckpoint {
  readonly config: ModelConfig
  readonly tokenizer: TokenizerShape
  /** Held layout ([in, out] for linear weights), by HF name; the caller owns them. */
  readonly tensors: Map<string, tf.Tensor>
  /** How to save it back. */
  readonly format: CheckpointFormat
}

const readText = (path: string) =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) => new CheckpointError({ path, reason: `cannot read: ${errMsg(e)}`, cause: e })
  })

const readOptional = (path: string) => readText(path).pipe(Effect.option, Effect.map((o) => (o._tag === "Some" ? o.value : undefined)))

const parseJson = (path: string, text: string) =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) => new CheckpointError({ path, reason: `expected JSON: ${errMsg(e)}`, cause: e })
  })

/** The tokenizer of a directory: the char one (`{"type": "char"}`), else tokenizer.json + tokenizer_config.json through `HfTokenizer`. */
const loadTokenizer = (dir: string, eosId: number | undefined): Effect.Effect<TokenizerShape, CheckpointError> =>
  Effect.gen(function* () {
    const tokPath = join(dir, TOKENIZER_FILE)
    const tokText = yield* readOptional(tokPath)
    if (tokText === undefined) return CharTokenizer
    const raw = yield* parseJson(tokPath, tokText)
    if ((raw as { type?: unknown }).type === "char") {
      const tj = yield* Schema.decodeUnknown(TokenizerJson)(raw).pipe(
        Effect.mapError((e) => new CheckpointError({ path: tokPath, reason: `expected a char tokenizer: ${e.message}`, cause: e }))
      )
      return yield* Effect.try({ try: () => tokenizerFromJson(tj), catch: (e) => new CheckpointError({ path: tokPath, reason: errMsg(e), cause: e }) })
    }
    const cfgPath = join(dir, "tokenizer_config.json")
    const cfgText = (yield* readOptional(cfgPath)) ?? "{}"
    yield* parseJson(cfgPath, cfgText)
    return yield* Effect.try({
      try: () => makeHfTokenizer({ tokenizerJson: tokText, tokenizerConfig: cfgText, ...(eosId === undefined ? {} : { eosId }) }),
      catch: (e) => new CheckpointError({ path: tokPath, reason: `expected a Hugging Face tokenizer: ${errMsg(e)}`, cause: e })
    })
  })

const readTensors = (path: string): Effect.Effect<Map<string, NamedTensor>, CheckpointError> =>
  Effect.gen(function* () {
    const bytes = yield* Effect.tryPromise({
      try: () => readFile(path),
      catch: (e) => new CheckpointError({ path, reason: `cannot read: ${errMsg(e)}`, cause: e })
    })
    const decoded = decodeSafetensors(bytes)
    if (Either.isLeft(decoded)) return yield* new CheckpointError({ path, reason: decoded.left })
    return decoded.right.tensors
  })

/** All tensors of the directory (single file or shards), each with the file it came from. */
const readWeights = (dir: string) =>
  Effect.gen(function* () {
    const indexPath = join(dir, INDEX_FILE)
    const indexText = yield* readOptional(indexPath)
    const found = new Map<string, NamedTensor & { readonly file: string }>()
    let shards: Map<string, string> | undefined
    if (indexText !== undefined) {
      const index = (yield* parseJson(indexPath, indexText)) as { weight_map?: unknown }
      const wm = index.weight_map
      if (wm === null || typeof wm !== "object" || !Object.values(wm).every((f) => typeof f === "string" && !f.includes("/"))) {
        return yield* new CheckpointError({ path: indexPath, reason: "expected weight_map: {tensor name: shard file name}" })
      }
      shards = new Map(Object.entries(wm as Record<string, string>))
      for (const file of new Set(shards.values())) {
        const path = join(dir, file)
        for (const [n, t] of yield* readTensors(path)) {
          if (shards.get(n) !== file) return yield* new CheckpointError({ path, reason: `${n}: weight_map places it in ${shards.get(n) ?? "no file"}` })
          found.set(n, { ...t, file: path })
        }
      }
      const missing = [...shards.keys()].filter((n) => !found.has(n))
      if (missing.length > 0) return yield* new CheckpointError({ path: indexPath, reason: `weight_map lists ${missing[0]} but its shard ${shards.get(missing[0]!)} lacks it` })
    } else {
      const path = join(dir, WEIGHTS_FILE)
      for (const [n, t] of yield* readTensors(path)) found.set(n, { ...t, file: path })
    }
    const vhPath = join(dir, VALUE_HEAD_FILE)
    const vh = yield* readTensors(vhPath).pipe(Effect.option)
    if (vh._tag === "Some") for (const [n, t] of vh.value) found.set(n, { ...t, file: vhPath })
    return { found, shards, where: indexText !== undefined ? indexPath : join(dir, WEIGHTS_FILE) }
  })

/** Tensors a checkpoint may carry that the model does not use: rotary buffers, a tied head's copy. */
const ignorable = (c: ModelConfig, name: string) =>
  name.endsWith(".rotary_emb.inv_freq") || (c.tie_word_embeddings && name === "lm_head.weight")

/** Reads and validates a checkpoint directory (this project's or a Hugging Face Qwen2 / Llama one). */
export const loadCheckpoint = (dir: string): Effect.Effect<LoadedCheckpoint, CheckpointError> =>
  Effect.gen(function* () {
    const cfgPath = join(dir, CONFIG_FILE)
    const configText = yield* readText(cfgPath)
    const parsed = parseHfConfig(yield* parseJson(cfgPath, configText))
    if (Either.isLeft(parsed)) return yield* new CheckpointError({ path: cfgPath, reason: parsed.left })
    const { config } = parsed.right
    const tokenizer = yield* loadCheckpointTokenizer(dir)
    if (tokenizer.vocabSize > config.vocab_size) {
      return yield* new CheckpointError({
        path: join(dir, TOKENIZER_FILE),
        reason: `tokenizer has ${tokenizer.vocabSize} ids but vocab_size is ${config.vocab_size}`
      })
    }
    const { found, shards, where } = yield* readWeights(dir)
    const specs = paramSpecs(config)
    const known = new Set(specs.map((s) => s.name))
    const extra = [...found.keys()].filter((n) => !known.has(n) && !ignorable(config, n))
    if (extra.length > 0) {
      return yield* new CheckpointError({ path: where, reason: `unexpected tensors for this config: ${extra.slice(0, 5).join(", ")}` })
    }
    const tensors = new Map<string, tf.Tensor>()
    const fail = (path: string, reason: string) => {
      for (const v of tensors.values()) v.dispose()
      return new CheckpointError({ path, reason })
    }
    for (const s of specs) {
      const t = found.get(s.name)
      if (t === undefined) {
        // A checkpoint without a value head gets a fresh (zero) one.
        if (s.valueHead) {
          tensors.set(s.name, tf.zeros(heldShape(s)))
          continue
        }
        return yield* fail(where, `missing tensor ${s.name} [${s.shape}]`)
      }
      if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
        return yield* fail(t.file, `${s.name}: expected shape [${s.shape}], got [${t.shape}]`)
      }
      const data = s.linear ? transpose2d(t.data, s.shape[0]!, s.shape[1]!) : t.data
      tensors.set(s.name, tf.tensor(data, heldShape(s), "float32"))
    }
    const model = specs.find((s) => !s.valueHead)!
    const format: CheckpointFormat =
      tokenizer.kind === "char"
        ? ONESHOT_FORMAT
        : {
            kind: "hf",
            dtype: found.get(model.name)!.dtype ?? parsed.right.dtype,
            ...(shards === undefined ? {} : { shards }),
            configText,
            extraFiles: yield* extraFiles(dir)
          }
    return { config, tokenizer, tensors, format }
  })

const extraFiles = (dir: string) =>
  Effect.gen(function* () {
    const out: Array<readonly [string, string]> = []
    for (const name of EXTRA_FILES) {
      const text = yield* readOptional(join(dir, name))
      if (text !== undefined) out.push([name, text])
    }
    return out
  })

/** Only the tokenizer of a checkpoint directory (no weights read): what `rlvr tokenize` needs. */
export const loadCheckpointTokenizer = (dir: string): Effect.Effect<TokenizerShape, CheckpointError> =>
  Effect.gen(function* () {
    const cfgPath = join(dir, CONFIG_FILE)
    const cfgText = yield* readOptional(cfgPath)
    const parsed = cfgText === undefined ? undefined : parseHfConfig(yield* parseJson(cfgPath, cfgText))
    if (parsed !== undefined && Either.isLeft(parsed)) return yield* new CheckpointError({ path: cfgPath, reason: parsed.left })
    const genPath = join(dir, "generation_config.json")
    const genText = yield* readOptional(genPath)
    const genEos = genText === undefined ? undefined : ((yield* parseJson(genPath, genText)) as { eos_token_id?: unknown }).eos_token_id
    const eos = typeof genEos === "number" ? genEos : Array.isArray(genEos) && typeof genEos[0] === "number" ? (genEos[0] as number) : parsed?.right.eosId
    return yield* loadTokenizer(dir, eos)
  })

/** The model config of a checkpoint directory (config.json only), e.g. to plan memory before loading. */
export const readCheckpointConfig = (dir: string): Effect.Effect<ModelConfig, CheckpointError> =>
  Effect.gen(function* () {
    const cfgPath = join(dir, CONFIG_FILE)
    const parsed = parseHfConfig(yield* parseJson(cfgPath, yield* readText(cfgPath)))
    if (Either.isLeft(parsed)) return yield* new CheckpointError({ path: cfgPath, reason: parsed.left })
    return parsed.right.config
  })

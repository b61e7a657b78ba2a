/**
 * The per-row side of sampling, shared by both decoders (`Generate.ts` on
 * tfjs ops, `FastDecode.ts` on the SIMD kernels): a row's PRNG stream, token
 * choice from its logits, EOS / stop-string / length handling, and the
 * resulting Sample.
 */
import type { GenerateOptions } from "@oneshot/core"
import { Sample } from "@oneshot/core"
import { logSoftmax, makeRng, pickToken } from "./Sampler.ts"
import type { TokenizerShape } from "./Tokenizer.ts"

export interface Row {
  readonly ids: Array<number>
  readonly logprobs: Array<number>
  text: string
  finish: "eos" | "length" | "stop" | undefined
  readonly rng: () => number
  /** Streaming UTF-8: a byte-level token may carry part of a character. */
  readonly utf8: InstanceType<typeof TextDecoder>
}

/** Benchmarks: keep sampling past EOS so every row runs `maxTokens` steps. */
export interface GenerateInternal {
  readonly ignoreEos?: boolean
}

/** Row r of a chunk whose first row is global row `rowBase`: its own PRNG stream (seed, global row). */
export const newRows = (count: number, rowBase: number, seed: number): Array<Row> =>
  Array.from({ length: count }, (_, r) => ({ ids: [], logprobs: [], text: "", finish: undefined, rng: makeRng(seed, rowBase + r), utf8: new TextDecoder() }))

/**
 * A chunk's prompts left-padded to a common length `P` (so every row shares
 * the cache index; rotary positions are per row, so padding changes nothing
 * a row sees), with each row's pad count.
 */
export const leftPadded = (
  prompts: ReadonlyArray<ReadonlyArray<number>>,
  padId: number
): { readonly P: number; readonly pads: ReadonlyArray<number>; readonly padded: ReadonlyArray<ReadonlyArray<number>> } => {
  const P = Math.max(...prompts.map((p) => p.length))
  const pads = prompts.map((p) => P - p.length)
  return { P, pads, padded: prompts.map((p, r) => [...Array.from({ length: pads[r]! }, () => padId), ...p]) }
}

/** The longest stop string (0: none). */
export const maxStopLength = (options: GenerateOptions): number => Math.max(0, ...options.stop.map((s) => s.length))

/** Picks the row's next token from its logits `l` and records it; sets `row.finish` when the row ends. Returns the token. */
export const takeToken = (
  row: Row,
  l: ArrayLike<number>,
  options: GenerateOptions,
  tokenizer: TokenizerShape,
  internal: GenerateInternal,
  maxStop: number
): number => {
  const tok = pickToken(l, options.temperature, options.topP, row.rng)
  row.ids.push(tok)
  row.logprobs.push(logSoftmax(l)[tok]!)
  if (tok === tokenizer.eosId && internal.ignoreEos !== true) {
    row.finish = "eos"
    return tok
  }
  const piece = row.utf8.decode(tokenizer.tokenBytes(tok), { stream: true })
  row.text += piece
  if (maxStop > 0) {
    const from = Math.max(0, row.text.length - piece.length - maxStop + 1)
    let cut = -1
    for (const s of options.stop) {
      if (s.length === 0) continue
      const at = row.text.indexOf(s, from)
      if (at >= 0 && (cut < 0 || at < cut)) cut = at
    }
    if (cut >= 0) {
      row.text = row.text.slice(0, cut)
      row.finish = "stop"
      return tok
    }
  }
  if (row.ids.length >= options.maxTokens) row.finish = "length"
  return tok
}

export const toSample = (row: Row, tokenizer: TokenizerShape): Sample =>
  new Sample({
    text: row.finish === "stop" ? row.text : tokenizer.decode(row.ids),
    tokenIds: row.ids,
    logprobs: row.logprobs,
    finishReason: row.finish ?? "length"
  })

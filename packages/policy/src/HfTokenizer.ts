/**
 * A Hugging Face tokenizer directory (`tokenizer.json` + `tokenizer_config.json`)
 * behind the policy's `TokenizerShape`: the encoding is `@huggingface/tokenizers`
 * (pure JS, built from the parsed files, no network), the chat template is
 * rendered by `@huggingface/jinja`.
 */
import { Template } from "@huggingface/jinja"
import { Tokenizer as HfLib } from "@huggingface/tokenizers"
import { Either } from "effect"
import type { ChatMessage, TokenizerShape } from "./Tokenizer.ts"

interface AddedTokenJson {
  readonly id: number
  readonly content: string
  readonly special?: boolean
}

export interface HfTokenizerFiles {
  /** tokenizer.json, as text (kept verbatim so a saved checkpoint is byte-identical). */
  readonly tokenizerJson: string
  /** tokenizer_config.json, as text ("{}" when the directory has none). */
  readonly tokenizerConfig: string
  /** The model's end-of-sequence id (generation_config / config.json); default the tokenizer config's eos_token. */
  readonly eosId?: number
}

/** GPT-2's byte ↔ unicode map of byte-level BPE: printable bytes map to themselves, the other 68 to U+0100… in byte order. */
export const byteLevelDecoderMap = (): Map<string, number> => {
  const keep = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)
  const map = new Map<string, number>()
  let next = 256
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(keep(b) ? b : next++), b)
  return map
}

const utf8 = new TextEncoder()
const REPLACEMENT = utf8.encode("\uFFFD")

const tokenContent = (t: unknown): string | undefined =>
  typeof t === "string" ? t : t !== null && typeof t === "object" && typeof (t as { content?: unknown }).content === "string" ? (t as { content: string }).content : undefined

/** Builds the tokenizer; throws an Error naming what was missing (the loader wraps it with the file name). */
export const makeHfTokenizer = (files: HfTokenizerFiles): TokenizerShape => {
  const json = JSON.parse(files.tokenizerJson) as {
    model?: { type?: string; vocab?: Record<string, number> }
    added_tokens?: ReadonlyArray<AddedTokenJson>
    decoder?: { type?: string } | null
  }
  const config = JSON.parse(files.tokenizerConfig) as Record<string, unknown>
  if (json.model?.vocab === undefined || typeof json.model.vocab !== "object") {
    throw new Error("expected model.vocab (a BPE tokenizer.json)")
  }
  const lib = new HfLib(json, config)
  const idToToken: Array<string | undefined> = []
  for (const [tok, id] of Object.entries(json.model.vocab)) idToToken[id] = tok
  const added = new Map<number, AddedTokenJson>()
  for (const a of json.added_tokens ?? []) added.set(a.id, a)
  const vocabSize = Math.max(idToToken.length, ...[...added.keys()].map((i) => i + 1))
  const idOf = (t: unknown): number | undefined => {
    const c = tokenContent(t)
    if (c === undefined) return undefined
    for (const a of added.values()) if (a.content === c) return a.id
    return json.model!.vocab![c]
  }
  const eosId = files.eosId ?? idOf(config["eos_token"])
  if (eosId === undefined) throw new Error("expected an eos token (generation_config.json / config.json eos_token_id or tokenizer_config.json eos_token)")
  const bosToken = tokenContent(config["bos_token"])
  const bosId = idOf(config["bos_token"])
  const addBos = config["add_bos_token"] === true && bosId !== undefined
  const padId = idOf(config["pad_token"]) ?? eosId
  const byteLevel = json.decoder?.type === "ByteLevel"
  const bytesOf = byteLevel ? byteLevelDecoderMap() : undefined

  const tokenBytes = (id: number): Uint8Array => {
    const a = added.get(id)
    if (a !== undefined) return utf8.encode(a.content)
    const tok = idToToken[id]
    if (tok === undefined) return REPLACEMENT
    if (bytesOf === undefined) return utf8.encode(lib.decode([id]))
    const out = new Uint8Array(tok.length * 2)
    let n = 0
    for (const ch of tok) {
      const b = bytesOf.get(ch)
      if (b === undefined) return utf8.encode(tok)
      out[n++] = b
    }
    return out.subarray(0, n)
  }
  const known = (id: number) => Number.isInteger(id) && (idToToken[id] !== undefined || added.has(id))
  const encode = (text: string): Array<number> => lib.encode(text, { add_special_tokens: false }).ids
  const template = typeof config["chat_template"] === "string" ? new Template(config["chat_template"]) : undefined
  return {
    kind: "hf",
    vocabSize,
    padId,
    bosId: bosId ?? eosId,
    eosId,
    unkId: idOf(config["unk_token"]) ?? -1,
    encode,
    encodeStrict: (text) => Either.right(encode(text)),
    // skip_special_tokens, as vLLM's detokenizer does by default; ids outside the vocabulary become U+FFFD.
    decode: (ids) => {
      const out: Array<string> = []
      let run: Array<number> = []
      const flush = () => {
        if (run.length > 0) out.push(lib.decode(run, { skip_special_tokens: true }))
        run = []
      }
      for (const id of ids) {
        if (known(id)) run.push(id)
        else {
          flush()
          out.push("\uFFFD")
        }
      }
      flush()
      return out.join("")
    },
    tokenText: (id) => new TextDecoder().decode(tokenBytes(id)),
    tokenBytes,
    promptIds: (text) => {
      const ids = encode(text)
      return addBos && bosId !== undefined && ids[0] !== bosId ? [bosId, ...ids] : ids
    },
    ...(template === undefined
      ? {}
      : {
          chat: (messages: ReadonlyArray<ChatMessage>, addGenerationPrompt: boolean) =>
            template.render({
              messages: messages.map((m) => ({ role: m.role, content: m.content })),
              add_generation_prompt: addGenerationPrompt,
              bos_token: bosToken ?? "",
              eos_token: tokenContent(config["eos_token"]) ?? ""
            })
        }),
    files: () => [
      ["tokenizer.json", files.tokenizerJson],
      ["tokenizer_config.json", files.tokenizerConfig]
    ]
  }
}

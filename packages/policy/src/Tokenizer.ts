/**
 * Text ↔ token ids, one interface for the synthetic world's character
 * tokenizer and for a Hugging Face `tokenizer.json` (`HfTokenizer.ts`).
 */
import { Context, Either, Schema } from "effect"
import { PolicyError } from "./Errors.ts"

/** One turn of a chat, as in a verl parquet's `prompt` column. */
export interface ChatMessage {
  readonly role: string
  readonly content: string
}

export interface TokenizerShape {
  /** "char": the organism's; "hf": a Hugging Face tokenizer.json (byte-level BPE). */
  readonly kind: "char" | "hf"
  readonly vocabSize: number
  readonly padId: number
  readonly bosId: number
  readonly eosId: number
  readonly unkId: number
  /** Total: characters outside the vocabulary become `unkId` (use `encodeStrict` to reject them). */
  readonly encode: (text: string) => Array<number>
  /** Fails naming the first character outside the vocabulary. */
  readonly encodeStrict: (text: string) => Either.Either<Array<number>, PolicyError>
  /** Total: special tokens (pad, bos, eos) are dropped; unk and out-of-range ids become U+FFFD. */
  readonly decode: (ids: ReadonlyArray<number>) => string
  /** The text of one token ("" for the char tokenizer's special tokens); a byte-level token may be part of a character. */
  readonly tokenText: (id: number) => string
  /** The UTF-8 bytes of one token, for incremental decoding (stop strings); added tokens give their content. */
  readonly tokenBytes: (id: number) => Uint8Array
  /**
   * A prompt as the model expects it: char = BOS then the characters; hf = the
   * text with special tokens written in it recognised, BOS only if the
   * tokenizer config adds one (Qwen2: never).
   */
  readonly promptIds: (text: string) => Array<number>
  /** The model's chat template (tokenizer_config.json `chat_template`), when it has one. */
  readonly chat?: (messages: ReadonlyArray<ChatMessage>, addGenerationPrompt: boolean) => string
  /** The files that record it in a checkpoint directory: [name, contents]. */
  readonly files: () => ReadonlyArray<readonly [string, string]>
}

/** The char tokenizer, which also serialises to the char `tokenizer.json`. */
export interface CharTokenizerShape extends TokenizerShape {
  readonly kind: "char"
  readonly toJSON: () => TokenizerJson
}

export class Tokenizer extends Context.Tag("@oneshot/policy/Tokenizer")<Tokenizer, TokenizerShape>() {}

export const TokenizerJson = Schema.Struct({
  type: Schema.Literal("char"),
  /** Special tokens first, in id order. */
  special: Schema.Array(Schema.String),
  /** The characters, in id order after the special tokens. */
  chars: Schema.Array(Schema.String)
})
export type TokenizerJson = typeof TokenizerJson.Type

/** The special tokens, in id order: pad=0, bos=1, eos=2, unk=3. */
export const SPECIAL_TOKENS = ["<pad>", "<bos>", "<eos>", "<unk>"] as const

/** "\n" then ASCII printable 32..126: 96 characters, 100 ids with the special tokens. */
export const DEFAULT_CHARS: ReadonlyArray<string> = [
  "\n",
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
]

const REPLACEMENT = "\uFFFD"

/** A character-level tokenizer over `chars` (default: newline + printable ASCII). */
export const makeCharTokenizer = (chars: ReadonlyArray<string> = DEFAULT_CHARS): CharTokenizerShape => {
  const offset = SPECIAL_TOKENS.length
  const toId = new Map<string, number>()
  chars.forEach((c, i) => {
    if (c.length !== 1 || toId.has(c)) {
      throw new Error(`char tokenizer: expected distinct single characters, got ${JSON.stringify(c)} at ${i}`)
    }
    toId.set(c, offset + i)
  })
  const vocabSize = offset + chars.length
  const unkId = 3
  const toJSON = (): TokenizerJson => ({ type: "char", special: [...SPECIAL_TOKENS], chars: [...chars] })
  const tokenText = (id: number): string =>
    id >= offset && id < vocabSize ? chars[id - offset]! : id === unkId || id < 0 || id >= vocabSize ? REPLACEMENT : ""
  return {
    kind: "char",
    vocabSize,
    padId: 0,
    bosId: 1,
    eosId: 2,
    unkId,
    encode: (text) => Array.from(text, (c) => toId.get(c) ?? unkId),
    encodeStrict: (text) => {
      const out: Array<number> = []
      let pos = 0
      for (const c of text) {
        const id = toId.get(c)
        if (id === undefined) {
          return Either.left(
            new PolicyError({
              input: `text at character ${pos}`,
              expected: "a character of the tokenizer vocabulary (newline or printable ASCII)",
              actual: JSON.stringify(c)
            })
          )
        }
        out.push(id)
        pos++
      }
      return Either.right(out)
    },
    decode: (ids) => ids.map(tokenText).join(""),
    tokenText,
    tokenBytes: (id) => utf8.encode(tokenText(id)),
    promptIds: (text) => [1, ...Array.from(text, (c) => toId.get(c) ?? unkId)],
    files: () => [["tokenizer.json", JSON.stringify(toJSON()) + "\n"]],
    toJSON
  }
}

const utf8 = new TextEncoder()

/** Rebuilds a tokenizer from `tokenizer.json` contents. */
export const tokenizerFromJson = (json: TokenizerJson): CharTokenizerShape => makeCharTokenizer(json.chars)

export const CharTokenizer: CharTokenizerShape = makeCharTokenizer()

/**
 * Text ↔ token ids. Character-level now (the synthetic world's math text and
 * LaTeX are ASCII); the interface leaves room for a `tokenizer.json` BPE.
 */
import { Context, Either, Schema } from "effect"
import { PolicyError } from "./Errors.ts"

export interface TokenizerShape {
  /** "char" now; "bpe" later. Recorded in checkpoints. */
  readonly kind: "char"
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
  /** The text of one token ("" for special tokens); used for stop strings. */
  readonly tokenText: (id: number) => string
  /** What `tokenizer.json` in a checkpoint holds. */
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
export const makeCharTokenizer = (chars: ReadonlyArray<string> = DEFAULT_CHARS): TokenizerShape => {
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
    toJSON: () => ({ type: "char", special: [...SPECIAL_TOKENS], chars: [...chars] })
  }
}

/** Rebuilds a tokenizer from `tokenizer.json` contents. */
export const tokenizerFromJson = (json: TokenizerJson): TokenizerShape => makeCharTokenizer(json.chars)

export const CharTokenizer: TokenizerShape = makeCharTokenizer()

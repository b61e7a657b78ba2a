import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { CharTokenizer, DEFAULT_CHARS, makeCharTokenizer, tokenizerFromJson } from "../src/Tokenizer.ts"

const asciiText = fc.stringMatching(/^[\x20-\x7e\n]*$/)

describe("CharTokenizer", () => {
  it("has 100 ids: pad, bos, eos, unk, newline and printable ASCII", () => {
    expect(CharTokenizer.vocabSize).toBe(100)
    expect([CharTokenizer.padId, CharTokenizer.bosId, CharTokenizer.eosId, CharTokenizer.unkId]).toEqual([0, 1, 2, 3])
    expect(DEFAULT_CHARS.length).toBe(96)
  })

  it("decode ∘ encode is the identity on newline + printable ASCII (math, LaTeX)", () => {
    fc.assert(
      fc.property(asciiText, (s) => {
        const ids = CharTokenizer.encode(s)
        expect(ids.length).toBe(s.length)
        expect(CharTokenizer.decode(ids)).toBe(s)
        expect(Either.getOrThrow(CharTokenizer.encodeStrict(s))).toEqual(ids)
      })
    )
    expect(CharTokenizer.decode(CharTokenizer.encode("\\frac{1}{2} + x^2 = \\boxed{3}"))).toBe("\\frac{1}{2} + x^2 = \\boxed{3}")
  })

  it("maps unknown characters to <unk> (decoded as U+FFFD); encodeStrict names the character", () => {
    expect(CharTokenizer.encode("a\tb")).toEqual([CharTokenizer.encode("a")[0], 3, CharTokenizer.encode("b")[0]])
    expect(CharTokenizer.decode(CharTokenizer.encode("π"))).toBe("\uFFFD")
    const err = CharTokenizer.encodeStrict("ab√c")
    expect(Either.isLeft(err)).toBe(true)
    if (Either.isLeft(err)) expect(err.left.message).toContain("character 2")
  })

  it("drops special tokens when decoding; out-of-range ids become U+FFFD", () => {
    expect(CharTokenizer.decode([1, ...CharTokenizer.encode("hi"), 2, 0])).toBe("hi")
    expect(CharTokenizer.decode([500])).toBe("\uFFFD")
  })

  it("round-trips through tokenizer.json", () => {
    const t = tokenizerFromJson(CharTokenizer.toJSON())
    expect(t.vocabSize).toBe(100)
    expect(t.encode("x=1")).toEqual(CharTokenizer.encode("x=1"))
    expect(() => makeCharTokenizer(["a", "a"])).toThrow(/distinct/)
  })
})

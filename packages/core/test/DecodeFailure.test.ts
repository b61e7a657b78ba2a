import { Either, FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { decodeFailureSummary } from "../src/Errors.ts"

describe("decodeFailureSummary", () => {
  it("names the offending field's path and value, in one line, whatever the schema", () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/)
    fc.assert(
      fc.property(key, key, fc.string({ maxLength: 12 }), (outer, inner, bad) => {
        fc.pre(outer !== inner)
        const schema = Schema.Struct({ [outer]: Schema.Struct({ [inner]: Schema.Number }) })
        const r = Schema.decodeUnknownEither(schema)({ [outer]: { [inner]: bad } })
        expect(Either.isLeft(r)).toBe(true)
        if (Either.isLeft(r)) {
          const s = decodeFailureSummary(r.left)
          expect(s.startsWith(`${outer}.${inner}: `)).toBe(true)
          expect(s).toContain(JSON.stringify(bad))
          expect(s).not.toContain("\n")
        }
      })
    )
  })
  it("says a JSON syntax error is not JSON, and takes any other error's first line", () => {
    let syntax: unknown
    try {
      JSON.parse("{nope")
    } catch (e) {
      syntax = e
    }
    expect(decodeFailureSummary(syntax)).toMatch(/^not JSON \(/)
    expect(decodeFailureSummary(new Error("first\nsecond"))).toBe("first")
    expect(decodeFailureSummary("plain")).toBe("plain")
  })
})

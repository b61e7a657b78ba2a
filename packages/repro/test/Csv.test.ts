import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { formatCsv, parseCsv } from "../src/Csv.ts"

describe("Csv", () => {
  it("round-trips any table of strings (quotes, commas, newlines)", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", " ", "1", "é"), maxLength: 8 })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(field, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (cols, rows) => {
        const table = rows.map((r) => r.slice(0, cols)).filter((r) => !(r.length === 1 && r[0] === ""))
        fc.pre(table.length > 0)
        expect(parseCsv(formatCsv(table))).toEqual(table)
      })
    )
  })

  it("parses CRLF and doubled quotes", () => {
    expect(parseCsv('a,"b ""x""",c\r\n1,2,3\r\n')).toEqual([["a", 'b "x"', "c"], ["1", "2", "3"]])
  })
})

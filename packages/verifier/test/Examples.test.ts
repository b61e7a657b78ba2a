import { describe, expect, it } from "@effect/vitest"
import type { VerifierMode } from "@oneshot/core"
import { extractAnswer, grade, isEquivalent } from "../src/index.ts"

/** [response, gold, expected correct in strict] */
type Row = readonly [string, string, boolean]

const check = (rows: ReadonlyArray<Row>, mode: VerifierMode = "strict") => {
  for (const [response, gold, expected] of rows) {
    it(`${JSON.stringify(response)} vs ${JSON.stringify(gold)} → ${expected}`, () => {
      const g = grade(response, gold, { mode, timeoutMs: 2000 })
      expect(g.correct, `${g.rule}: ${g.extracted} | ${g.normalizedExtracted} | ${g.normalizedGold}`).toBe(expected)
    })
  }
}

describe("extraction", () => {
  const cases: ReadonlyArray<readonly [string, string | null]> = [
    ["so the answer is $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}"],
    ["nested \\boxed{\\frac{\\sqrt{2}}{2}} ok", "\\frac{\\sqrt{2}}{2}"],
    ["first \\boxed{1} then \\boxed{2}", "2"],
    ["\\boxed 5.", "5"],
    ["\\fbox{7}", "7"],
    ["$\\boxed{1}$ and $\\boxed{2}$", "1, 2"],
    ["\\boxed{1}, \\boxed{2}, \\boxed{3}", "1, 2, 3"],
    ["\\boxed{3} \\quad \\boxed{4}", "3, 4"],
    ["\\boxed{1} is wrong; the real answer is \\boxed{2}", "2"],
    ["The answer is 42.", "42"],
    ["Therefore, the final answer is $\\frac{3}{4}$.", "\\frac{3}{4}"],
    ["Final Answer: The final answer is $12$. I hope it is correct.", "12"],
    ["**Answer:** 4.", "4"],
    ["We get \\boxed{\\frac{1}{2", null],
    ["I am not sure.", null],
    ["", null],
    ["The area is $25$ square units.", "25"],
    ["so x = 3 and y = 7", "7"]
  ]
  for (const [response, expected] of cases) {
    it(`${JSON.stringify(response)} → ${JSON.stringify(expected)}`, () => {
      expect(extractAnswer(response)).toBe(expected)
    })
  }
  it("an unfinished final box is no answer, in every mode", () => {
    for (const mode of ["strict", "deepscaler", "qwen-eval", "format"] as const) {
      const g = grade("the answer is \\boxed{\\frac{1}{2}", "\\frac12", { mode })
      expect(g.extracted).toBe(null)
      expect(g.correct).toBe(false)
    }
  })
  it("full-width digits and punctuation (CJK output)", () => {
    expect(grade("所以答案是：１２。", "12").correct).toBe(true)
    expect(grade("答案：\\boxed{１／２}", "\\frac12").correct).toBe(true)
  })
  it("multiple-choice letters", () => {
    expect(grade("The correct option is (C).", "C").correct).toBe(true)
    expect(grade("\\boxed{\\text{(B)}}", "\\text{(B)}").correct).toBe(true)
    expect(grade("\\boxed{B}", "\\text{(C)}").correct).toBe(false)
  })
})

describe("equivalence in strict mode", () => {
  describe("integers and separators", () =>
    check([
      ["\\boxed{007}", "7", true],
      ["\\boxed{7,425,000}", "7425000", true],
      ["\\boxed{12,\\!000}", "12000", true],
      ["\\boxed{14{,}916}", "14916", true],
      ["\\boxed{32, 349}", "32349", false],
      ["\\boxed{-0}", "0", true],
      ["\\boxed{8}", "9", false]
    ]))
  describe("decimals, fractions, mixed numbers, percent, scientific", () =>
    check([
      ["\\boxed{0.5}", "\\frac{1}{2}", true],
      ["\\boxed{\\dfrac{3}{4}}", "3/4", true],
      ["\\boxed{\\tfrac34}", "0.75", true],
      ["\\boxed{\\frac12}", "\\frac{1}{2}", true],
      ["\\boxed{1\\frac{4}{5}}", "\\frac{9}{5}", true],
      ["\\boxed{-3\\frac{1}{2}}", "-3.5", true],
      ["\\boxed{25\\%}", "25", true],
      ["\\boxed{2.5\\times 10^{3}}", "2500", true],
      ["\\boxed{2.5E3}", "2500", true],
      ["\\boxed{0.33}", "\\frac{1}{3}", true],
      ["\\boxed{0.3}", "\\frac{1}{3}", false],
      ["\\boxed{0.34}", "\\frac{1}{3}", false],
      ["\\boxed{0.51}", "\\frac{1}{2}", false],
      ["\\boxed{\\frac{2}{4}}", "\\frac{1}{2}", true]
    ]))
  describe("radicals and pi as exact values", () =>
    check([
      ["\\boxed{2\\sqrt{2}}", "\\sqrt{8}", true],
      ["\\boxed{\\frac{\\sqrt{3}}{3}}", "\\frac{1}{\\sqrt{3}}", true],
      ["\\boxed{\\sqrt{3}}", "1.732", true],
      ["\\boxed{2\\pi}", "\\pi \\cdot 2", true],
      ["\\boxed{3\\pi}", "2\\pi", false],
      ["\\boxed{\\sqrt{2}}", "\\sqrt{3}", false],
      ["\\boxed{3.14}", "\\pi", true],
      ["\\boxed{3.1416}", "\\pi", true],
      ["\\boxed{3.1415}", "\\pi", true],
      ["\\boxed{3.1417}", "\\pi", false],
      ["\\boxed{5866609}", "5866608", false]
    ]))
  describe("degrees, units, text", () =>
    check([
      ["\\boxed{90^\\circ}", "90", true],
      ["\\boxed{30^{\\circ}}", "30^\\circ", true],
      ["\\boxed{15 \\text{ cm}^2}", "15", true],
      ["\\boxed{\\$32,\\!348}", "32348", true],
      ["\\boxed{5.4 \\text{ cents}}", "5.4", true],
      ["\\boxed{\\text{Evelyn}}", "\\text{Evelyn}", true],
      ["\\boxed{\\text{even}}", "\\text{Even}", true],
      ["\\boxed{\\text{odd}}", "\\text{even}", false]
    ]))
  describe("equations and inequalities", () =>
    check([
      ["\\boxed{x=3}", "3", true],
      ["\\boxed{3}", "x = 3", true],
      ["\\boxed{y = 2x + 1}", "y=1+2x", true],
      ["\\boxed{2x - 4y + 6 = 0}", "x - 2y + 3 = 0", true],
      ["\\boxed{x + y = 1}", "x - y = 1", false],
      ["\\boxed{x > 2}", "(2, \\infty)", true],
      ["\\boxed{x \\ge 2}", "(2, \\infty)", false],
      ["\\boxed{x \\ge 2}", "[2, \\infty)", true]
    ]))
  describe("intervals, unions, tuples, sets, matrices", () =>
    check([
      ["\\boxed{[0,1)}", "[0,1)", true],
      ["\\boxed{(0,1]}", "[0,1)", false],
      ["\\boxed{(-\\infty, 0) \\cup (1, \\infty)}", "(1,\\infty)\\cup(-\\infty,0)", true],
      ["\\boxed{(1,2)}", "(1,2)", true],
      ["\\boxed{\\mathbb{R}}", "(-\\infty, \\infty)", true],
      ["\\boxed{(-\\infty, \\infty)}", "\\text{all real numbers}", true],
      ["\\boxed{[2, infinity)}", "[2,\\infty)", true],
      ["\\boxed{(2,1)}", "(1,2)", false],
      ["\\boxed{\\{1,2\\}}", "\\{2,1\\}", true],
      ["\\boxed{1, 2, 3}", "3, 2, 1", true],
      ["\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", true],
      ["\\boxed{\\begin{pmatrix} 1 & 2 \\end{pmatrix}}", "\\begin{pmatrix}2 & 1\\end{pmatrix}", false],
      ["\\boxed{\\begin{pmatrix} -1/3 \\\\ 2/3 \\end{pmatrix}}", "\\begin{pmatrix} -\\frac13 \\\\ \\frac23 \\end{pmatrix}", true]
    ]))
  describe("expressions in variables", () =>
    check([
      ["\\boxed{(x+1)^2}", "x^2+2x+1", true],
      ["\\boxed{x^2+2x}", "x^2+2x+1", false],
      ["\\boxed{\\frac{x^2-1}{x-1}}", "x+1", true],
      ["\\boxed{\\sqrt{x^2}}", "x", false],
      ["\\boxed{2\\sin x\\cos x}", "\\sin(2x)", true],
      ["\\boxed{\\left(\\frac{1}{2}\\right)}", "\\frac12", true]
    ]))
})

describe("modes differ", () => {
  it("deepscaler needs a box; strict and qwen-eval do not", () => {
    expect(grade("The answer is 5.", "5", { mode: "deepscaler" }).correct).toBe(false)
    expect(grade("The answer is 5.", "5", { mode: "strict" }).correct).toBe(true)
    expect(grade("The answer is 5.", "5", { mode: "qwen-eval" }).correct).toBe(true)
  })
  it("qwen-eval compares numbers with relative tolerance 1e-4; strict exactly", () => {
    expect(grade("\\boxed{1.00001}", "1", { mode: "qwen-eval" }).correct).toBe(true)
    expect(grade("\\boxed{1.00001}", "1", { mode: "strict" }).correct).toBe(false)
  })
  it("qwen-eval accepts a percentage off by a factor of 100", () => {
    expect(grade("\\boxed{0.25}", "25\\%", { mode: "qwen-eval" }).correct).toBe(true)
    expect(grade("\\boxed{0.25}", "25\\%", { mode: "strict" }).correct).toBe(false)
  })
  it("qwen-eval ignores interval bracket types; strict does not", () => {
    expect(grade("\\boxed{[1,2]}", "(1,2)", { mode: "qwen-eval" }).correct).toBe(true)
    expect(grade("\\boxed{[1,2]}", "(1,2)", { mode: "strict" }).correct).toBe(false)
  })
  it("unordered lists: strict compares as sets, deepscaler and qwen-eval in order", () => {
    expect(grade("\\boxed{2, 1}", "1, 2", { mode: "strict" }).correct).toBe(true)
    expect(grade("\\boxed{2, 1}", "1, 2", { mode: "deepscaler" }).correct).toBe(false)
    expect(grade("\\boxed{2, 1}", "1, 2", { mode: "qwen-eval" }).correct).toBe(false)
  })
  it("strict accepts a decimal rounded to the given places; deepscaler and qwen-eval do not", () => {
    expect(grade("\\boxed{0.33}", "\\frac13", { mode: "strict" }).correct).toBe(true)
    expect(grade("\\boxed{0.33}", "\\frac13", { mode: "deepscaler" }).correct).toBe(false)
    expect(grade("\\boxed{0.33}", "\\frac13", { mode: "qwen-eval" }).correct).toBe(false)
  })
  it("format only asks for an answer", () => {
    expect(grade("\\boxed{41}", "42", { mode: "format" }).correct).toBe(true)
    expect(grade("no idea", "42", { mode: "format" }).correct).toBe(false)
  })
  it("isEquivalent compares answers without extraction", () => {
    expect(isEquivalent("\\frac{1}{2}", "0.5", "strict")).toBe(true)
    expect(isEquivalent("(1,2)", "(2,1)", "strict")).toBe(false)
  })
})

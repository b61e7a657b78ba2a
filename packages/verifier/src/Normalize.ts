/**
 * String normalisation of an extracted answer (MATH `strip_string` and more):
 * removes presentation (delimiters, spacing, `\left/\right`, units, degrees,
 * percent, thousands separators) so that equal answers become equal strings
 * as often as possible before any parsing.
 */

import { toHalfWidth } from "./Extract.ts"

const UNIT_WORDS = String.raw`(?:square\s+|cubic\s+|sq\.?\s*)?(?:per\s+cent|euros?|yuan|yen|rupees?|pesos?|francs?|reais|USD|EUR|GBP|CNY|JPY|INR|kilometers?|kilometres?|millimeters?|meters?\s+per\s+second|kilograms?|units?|cm|mm|km|m|meters?|metres?|centimeters?|inches|inch|in|feet|foot|ft|yards?|miles?|mph|km\/h|m\/s|seconds?|sec|s|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|dollars?|cents?|degrees?|deg|radians?|rad|pounds?|lbs?|kg|g|grams?|liters?|litres?|L|ml|mL|gallons?|ounces?|oz|people|students?|ways|points?|pct|percent|percentage|sides?|edges?|vertices|faces?|marbles?|balls?|apples?|coins?|cups?|pages?|books?|times|numbers?|integers?|digits?|terms?|values?|solutions?|zeros?|roots?|triangles?|squares?|rectangles?|games?|tickets?|boxes?|hats?|bags?|candies?|eggs?|tiles?)`

const TRAILING_UNIT = new RegExp(
  String.raw`(\d)\s*(?:${UNIT_WORDS}(?:\s*\^\s*\{?\d\}?|[²³])?|[€£¥₹₩₽元円]|m[²³])(?![a-zA-Z])\s*$`
)

/** Leading currency: `$5`, `US$5`, `€5`, `USD 5`, `Rs. 5`, `R$ 5`. */
const LEADING_CURRENCY = /^(?:US\$?|R\$|Rs\.?|USD|EUR|GBP|CNY|JPY|INR|[€£¥₹₩₽])\s*(?=[-+]?\.?\d)/

/**
 * A single number written with another locale's separators: `1.234,56` and `1 234,56`
 * (comma decimal), `1.234.567` (dot thousands, at least two groups), `1'234'567`.
 * A lone `1,5` stays a list here; equivalence reads it as a decimal against a single number.
 */
const localeNumber = (s: string): string => {
  const t = s.trim()
  if (t.length > 40 || !/^[-+]?\d{1,3}[.\s'’\\]/.test(t)) return s
  let m = /^([-+]?)(\d{1,3}(?:\.\d{3})+),(\d+)$/.exec(t)
  if (m !== null) return `${m[1]}${(m[2] as string).replace(/\./g, "")}.${m[3]}`
  if (/^[-+]?\d{1,3}(?:\.\d{3}){2,}$/.test(t)) return t.replace(/\./g, "")
  m = /^([-+]?)(\d{1,3}(?:(?:\s|\\[,;: !]|\\thinspace|'|’)+\d{3})+)(?:[.,](\d+))?$/.exec(t)
  if (m !== null) return `${m[1]}${(m[2] as string).replace(/\D/g, "")}${m[3] === undefined ? "" : `.${m[3]}`}`
  return s
}

const TEXT_CMD = /\\(?:text|textnormal|textup|textbf|textit|textrm|texttt|mbox|mathrm|mathbf|mathit|operatorname|mathsf|boldsymbol|bf|rm)\s*\{([^{}]*)\}/g

/** Replaces `\frac12`, `\frac1{2}`, `\frac{1}2`, `\sqrt3` by their braced forms. */
const braceShorthands = (s: string): string =>
  s
    .replace(/\\frac\s*(\d)\s*(\d)/g, "\\frac{$1}{$2}")
    .replace(/\\frac\s*(\d)\s*\{/g, "\\frac{$1}{")
    .replace(/\\frac\s*\{([^{}]*)\}\s*([\da-zA-Z])/g, "\\frac{$1}{$2}")
    .replace(/\\frac\s+([a-zA-Z\d])\s*([a-zA-Z\d])/g, "\\frac{$1}{$2}")
    .replace(/\\sqrt\s*([\da-zA-Z])/g, "\\sqrt{$1}")

/** Thousands separators: `12,\!000`, `14{,}916`, `7,425,000`, `1 000` (but `32, 349` stays a list). */
const joinThousands = (s: string): string => {
  let t = s.replace(/(\d)\s*(?:,\s*\\!|\{,\}|,\s*\\,|\\,)\s*(?=\d{3}(?!\d))/g, "$1")
  // Plain commas inside brackets separate coordinates or bounds: `(12,102)` is a pair, not 12102.
  if (/[([]|\\\{/.test(t)) return t
  // Plain commas: only when every group after the first has exactly three digits.
  t = t.replace(/(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d*,)(?:\.\d+)?/g, (m) => m.replace(/,/g, ""))
  if (/^\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(t.trim())) t = t.replace(/ /g, "")
  return t
}

/** The normalised form of an answer. Pure and total. */
export const normalize = (input: string): string => {
  let s = toHalfWidth(input)
  if (!/\\begin\{/.test(s)) s = s.replace(/\\\\(?=[a-zA-Z])/g, "\\")
  s = s.replace(/\\n(?![a-zA-Z])/g, " ")
  s = s.replace(/[\u00a0\u2009\u202f]/g, " ")
  s = s.replace(/\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits)/g, "")
  s = s.replace(/\\\$/g, "")
  s = s.replace(/\$/g, "")
  s = s.replace(/\\\(|\\\)/g, "")
  s = s.replace(/^\s*\\\[|\\\]\s*$/g, "")
  s = s.replace(/\\left\s*\.|\\right\s*\./g, "")
  s = s.replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![a-zA-Z])/g, "")
  s = s.replace(/\\[dtc]frac/g, "\\frac").replace(/\\[dt]binom/g, "\\binom")
  // The real line, however it is written.
  s = s.replace(/\\mathbb\s*\{?\s*R\s*\}?|\\R(?![a-zA-Z])|ℝ|\\text\{\s*all real numbers\s*\}|^\s*all real numbers\s*$/g, "(-\\infty,\\infty)")
  s = s.replace(/\binfinity\b/gi, "\\infty")
  s = localeNumber(s)
  s = joinThousands(s)
  // `\quad` between two values separates them (`-1 \quad 0`, `19 \quad a_3 = 2`).
  if (s.includes("quad")) s = s.replace(/(?<=[\d})\]])\s*\\q?quad\s*(?=[-+]?[\d([]|\\\{|\\frac|\\sqrt|[a-zA-Z](?:_\{?\w+\}?)?\s*=)/g, ", ")
  s = s.replace(/\\(?:qquad|quad)/g, " ")
  s = s.replace(/(?<!\\)\\[,;:! ]/g, " ").replace(/~/g, " ")
  // Degrees, primes on degrees, percent.
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°|\\degree/g, "")
  s = s.replace(/\\%|%|\\percent|‰/g, "")
  // Units in text commands after a value: `10\text{ cm}^2`, `864 \mbox{ inches}^2`.
  s = s.replace(/([\d}).])\s*\\(?:text|mbox|textbf|mathrm|textrm|textnormal|textup|textsf|texttt|textit|operatorname)\s*\{(?!\s*(?:and|or)\s*\})\s*[a-zA-Z][a-zA-Z\s.\/]*\}(?:\s*\^\s*\{?\d\}?)?/g, "$1")
  s = s.replace(/\\mathrm\s*\{\s*~?\s*[a-zA-Z]+\s*\}(?:\s*\^\s*\{?\d\}?)?\s*$/g, "")
  s = s.replace(TEXT_CMD, "$1")
  s = s.replace(TEXT_CMD, "$1")
  // Relations.
  s = s
    .replace(/\\neq(?![a-zA-Z])|\\ne(?![a-zA-Z])|!=|≠/g, "\\ne ")
    .replace(/\\leqslant|\\leqq|\\leq(?![a-zA-Z])|\\le(?![a-zA-Z])|<=|≤|⩽|≦/g, "\\le ")
    .replace(/\\geqslant|\\geqq|\\geq(?![a-zA-Z])|\\ge(?![a-zA-Z])|>=|≥|⩾|≧/g, "\\ge ")
    .replace(/\\lt(?![a-zA-Z])/g, "<")
    .replace(/\\gt(?![a-zA-Z])/g, ">")
  s = s.replace(/∞/g, "\\infty").replace(/\+\s*\\infty/g, "\\infty").replace(/\\inf(?![a-zA-Z])/g, "\\infty")
  s = s.replace(/π/g, "\\pi").replace(/√/g, "\\sqrt").replace(/±/g, "\\pm").replace(/×/g, "\\times").replace(/÷/g, "\\div")
  s = s.replace(/\\emptyset|\\varnothing/g, "\\emptyset")
  s = braceShorthands(s)
  s = s.replace(/\s+/g, " ").trim()
  // Trailing units as plain words after a number ("28 pct", "35 cm", "1,000.99€", "15 m²").
  s = s.replace(TRAILING_UNIT, "$1")
  s = s.replace(LEADING_CURRENCY, "")
  // Leading `x \in`, trailing punctuation, outer braces of a single group.
  s = s.replace(/^[a-zA-Z]\s*\\in\s+/, "")
  s = s.replace(/[\s.,;:]+$/, "").replace(/^[\s,;:]+/, "")
  if (/^\{[^{}]*\}$/.test(s) && !s.includes(",")) s = s.slice(1, -1).trim()
  return s
}

/** A comparison key: whitespace removed, `{}` around single tokens dropped. */
export const key = (s: string): string =>
  s
    .replace(/\s+/g, "")
    .replace(/\^\{(\w)\}/g, "^$1")
    .replace(/_\{(\w)\}/g, "_$1")
    .replace(/\\frac\{(\w)\}\{(\w)\}/g, "\\frac$1$2")
    .replace(/\\sqrt\{(\w)\}/g, "\\sqrt$1")
    .replace(/^(-?)0+(?=\d)/, "$1")

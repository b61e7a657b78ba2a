/**
 * The structure of a normalised answer: lists, tuples, sets, intervals and
 * unions, matrices, equations, inequalities, or a single expression. Equivalence
 * is decided on this tree, so that `\{1,2\}` and `\{2,1\}` agree while
 * `(1,2)` and `(2,1)` do not.
 */
import { matchBracket, splitTopLevel } from "./Latex.ts"

export type Bracket = "none" | "(" | "[" | "{" | "\\{"

export type Node =
  | { readonly kind: "list"; readonly items: ReadonlyArray<Node>; readonly bracket: Bracket; readonly src: string }
  | {
      readonly kind: "interval"
      readonly lo: string
      readonly hi: string
      readonly loClosed: boolean
      readonly hiClosed: boolean
      readonly src: string
    }
  | { readonly kind: "union"; readonly parts: ReadonlyArray<Node>; readonly src: string }
  | { readonly kind: "matrix"; readonly rows: ReadonlyArray<ReadonlyArray<Node>>; readonly src: string }
  | { readonly kind: "equation"; readonly lhs: string; readonly rhs: Node; readonly rhsSrc: string; readonly src: string }
  | {
      readonly kind: "inequality"
      readonly parts: ReadonlyArray<string>
      readonly ops: ReadonlyArray<Relation>
      readonly interval?: Node
      /** The variable the interval is in (`x` in `x < 5`, `5 > x`, `1 < x < 2`). */
      readonly variable?: string
      readonly src: string
    }
  | { readonly kind: "expr"; readonly src: string }

export type Relation = "<" | ">" | "\\le" | "\\ge" | "\\ne"

const MAX_ITEMS = 200

const listSep = (s: string, i: number): number => {
  const c = s[i]
  if (c === "," || c === ";") return 1
  if (c === " " || c === "\\") {
    const m = /^\s*(?:\\text\{\s*(?:and|or)\s*\}|\b(?:and|or)\b)\s*/.exec(s.slice(i, i + 20))
    if (m !== null && m[0].length > 0 && /(?:and|or)/.test(m[0])) return m[0].length
  }
  return 0
}

const eqSep = (s: string, i: number): number => (s[i] === "=" ? 1 : 0)

const REL = /^(?:\\le|\\ge|\\ne)(?![a-zA-Z])|^<|^>/
const relSep = (s: string, i: number): number => {
  const m = REL.exec(s.slice(i, i + 4))
  return m === null ? 0 : m[0].length
}

/** A left-hand side that names the answer (`x`, `f(x)`, `a_{3}`, `(p,q)`, `\frac{NO}{BO}`) rather than computing it. */
export const isNameLike = (lhs: string): boolean => {
  const t = lhs.replace(/_\{[^{}]*\}|_\w/g, "").replace(/\^\{?\\prime\}?|'/g, "")
  return t.trim().length > 0 && !/\d/.test(t) && t.length <= 40
}

const wholeBracket = (s: string): { open: string; close: string; inner: string } | undefined => {
  if (s.length < 2) return undefined
  const escaped = s.startsWith("\\{")
  const first = escaped ? "\\{" : s[0]
  if (first !== "(" && first !== "[" && first !== "\\{" && first !== "{") return undefined
  const end = matchBracket(s, 0)
  const last = escaped ? s.length - 1 : s.length - 1
  if (end !== last) return undefined
  const close = s[last] as string
  const inner = escaped ? s.slice(2, s.endsWith("\\}") ? -2 : -1) : s.slice(1, -1)
  return { open: first, close, inner }
}

const trimAll = (xs: ReadonlyArray<string>): Array<string> => xs.map((x) => x.trim()).filter((x) => x.length > 0)

const parseMatrix = (s: string): Node | undefined => {
  const m = /^[([]?\s*\\begin\{([pbBvV]?matrix|array)\}(?:\{[^{}]*\})?([\s\S]*?)\\end\{\1\}\s*[)\]]?$/.exec(s)
  if (m === null) return undefined
  const body = (m[2] as string).trim()
  // Several literals (`A + B`, `AB`) are an expression, not one matrix.
  if (/\\(?:begin|end)\{/.test(body)) return undefined
  const rows = trimAll(body.split(/\\\\/)).map((row) => row.split("&").map((cell) => parse(cell.trim(), 1)))
  return { kind: "matrix", rows, src: s }
}

const MATRIX_LITERAL = /\\begin\{([pbBvV]?matrix)\}([\s\S]*?)\\end\{\1\}/g
const MATRIX_TERM = /([+-]?)\s*([^+\-M]*?)\s*((?:M\d+\s*(?:\\cdot|\\times)?\s*)+)/gy

type Cells = ReadonlyArray<ReadonlyArray<string>>

const product = (x: Cells, y: Cells): Cells | undefined => {
  const inner = (x[0] as ReadonlyArray<string>).length
  if (y.length !== inner || x.some((r) => r.length !== inner)) return undefined
  const cols = (y[0] as ReadonlyArray<string>).length
  if (y.some((r) => r.length !== cols)) return undefined
  return x.map((row) => Array.from({ length: cols }, (_, j) => row.map((a, k) => `(${a})(${(y[k] as ReadonlyArray<string>)[j]})`).join("+")))
}

/**
 * Arithmetic on matrix literals (`A + B`, `A B`, `A \cdot B`, `2A`, `\frac12 A - B`):
 * the result as a matrix whose cells are the entries' expressions, compared like any
 * other cells. `undefined` when `s` is not such an expression or the shapes do not fit.
 */
const parseMatrixExpression = (s: string, depth: number): Node | undefined => {
  if (!s.includes("\\begin{")) return undefined
  const mats: Array<Cells> = []
  const skeleton = s
    .replace(MATRIX_LITERAL, (_m, _env: string, body: string) => {
      mats.push(trimAll(body.split(/\\\\/)).map((row) => row.split("&").map((c) => c.trim())))
      return ` M${mats.length - 1} `
    })
    .replace(/\(\s*(M\d+)\s*\)|\[\s*(M\d+)\s*\]/g, "$1$2")
    .trim()
  if (mats.length < 1 || /^M0$/.test(skeleton)) return undefined
  let result: Cells | undefined
  let consumed = 0
  MATRIX_TERM.lastIndex = 0
  let m: RegExpExecArray | null
  while (consumed < skeleton.length && (m = MATRIX_TERM.exec(skeleton)) !== null && m[0].length > 0) {
    consumed = MATRIX_TERM.lastIndex
    const [, sign, scalarRaw, factors] = m as unknown as [string, string, string, string]
    let term: Cells | undefined
    for (const f of (factors.match(/M\d+/g) ?? []).map((k) => mats[Number(k.slice(1))] as Cells)) {
      term = term === undefined ? f : product(term, f)
      if (term === undefined) return undefined
    }
    if (term === undefined) return undefined
    const scalar = scalarRaw.replace(/\\cdot\s*$|\\times\s*$/, "").trim()
    if (/[&\\]{2}/.test(scalar)) return undefined
    const factor = `${sign === "-" ? "-" : ""}${scalar.length > 0 ? `(${scalar})` : ""}`
    const scaled: Cells = factor.length === 0 ? term : term.map((r) => r.map((c) => `${factor === "-" ? "-" : factor}(${c})`))
    if (result === undefined) result = scaled
    else {
      const prev: Cells = result
      if (prev.length !== scaled.length || prev.some((r, i) => r.length !== (scaled[i] as ReadonlyArray<string>).length)) return undefined
      result = prev.map((r, i) => r.map((c, j) => `${c}+${(scaled[i] as ReadonlyArray<string>)[j]}`))
    }
  }
  if (result === undefined || consumed !== skeleton.length) return undefined
  return { kind: "matrix", rows: result.map((r) => r.map((c) => parse(c, depth + 1))), src: s }
}

const isVariable = (s: string): boolean =>
  /^[a-zA-Z](?:_\{?\w+\}?)?(?:\([a-z]\))?$|^\\(?:theta|alpha|beta|phi|lambda|mu)$/.test(s.trim())

/** `a < x < b`, `x \ge 3`, `3 > x` as an interval in the variable, when it is one. */
const inequalityInterval = (parts: ReadonlyArray<string>, ops: ReadonlyArray<Relation>): Node | undefined => {
  const interval = (lo: string, hi: string, loClosed: boolean, hiClosed: boolean): Node => ({
    kind: "interval",
    lo,
    hi,
    loClosed,
    hiClosed,
    // The source must say which interval it is: equal sources are equal answers.
    src: `${loClosed ? "[" : "("}${lo},${hi}${hiClosed ? "]" : ")"}`
  })
  const flip = (op: Relation): Relation => (op === "<" ? ">" : op === ">" ? "<" : op === "\\le" ? "\\ge" : op === "\\ge" ? "\\le" : op)
  const lower = (op: Relation): boolean => op === "<" || op === "\\le"
  if (ops.includes("\\ne")) return undefined
  if (parts.length === 2) {
    let [a, b] = parts as [string, string]
    let op = ops[0] as Relation
    if (!isVariable(a) && isVariable(b)) {
      ;[a, b] = [b, a]
      op = flip(op)
    }
    if (!isVariable(a) || isVariable(b)) return undefined
    // x op b
    return lower(op) ? interval("-\\infty", b, false, op === "\\le") : interval(b, "\\infty", op === "\\ge", false)
  }
  if (parts.length === 3 && isVariable(parts[1] as string) && !isVariable(parts[0] as string) && !isVariable(parts[2] as string)) {
    const [o1, o2] = ops as [Relation, Relation]
    if (lower(o1) && lower(o2)) return interval(parts[0] as string, parts[2] as string, o1 === "\\le", o2 === "\\le")
    if (!lower(o1) && !lower(o2)) return interval(parts[2] as string, parts[0] as string, o2 === "\\ge", o1 === "\\ge")
  }
  return undefined
}

const semicolonSep = (s: string, i: number): number => (s[i] === ";" ? 1 : 0)
const wordSep = (s: string, i: number): number => {
  const len = listSep(s, i)
  return len > 1 ? len : 0
}
const commaSep = (s: string, i: number): number => (s[i] === "," ? 1 : 0)

/**
 * Groups of several values each, when the answer lists tuples without brackets:
 * `;`-separated parts that all hold a top-level comma, or `or`/`and`-separated
 * parts that all hold a comma and an `=` (`x=1, y=2 or x=3, y=4`).
 */
const answerGroups = (s: string): Array<string> | undefined => {
  if (!s.includes(",")) return undefined
  const semicolons = s.includes(";")
  const words = s.includes("=") && /(?:and|or)/.test(s)
  if (!semicolons && !words) return undefined
  for (const [sep, needsEquation] of [[semicolonSep, false], [wordSep, true]] as const) {
    if (!(needsEquation ? words : semicolons)) continue
    const parts = trimAll(splitTopLevel(s, sep))
    if (parts.length < 2 || parts.length > MAX_ITEMS) continue
    const grouped = parts.every((p) => splitTopLevel(p, commaSep).length > 1 && (!needsEquation || splitTopLevel(p, eqSep).length > 1))
    if (grouped) return parts
  }
  return undefined
}

/** Parses a normalised answer. Depth-limited; anything unrecognised is an expression. */
export const parse = (input: string, depth = 0): Node => {
  const s = input.trim()
  if (depth > 8 || s.length === 0) return { kind: "expr", src: s }

  // Groups: `a=1, b=3; a=2, b=5` and `x=1, y=2 or x=3, y=4` are lists of tuples.
  const groups = answerGroups(s)
  if (groups !== undefined) {
    const tuple = (g: string): Node => {
      const n = parse(g, depth + 1)
      return n.kind === "list" ? { ...n, bracket: "(" } : n
    }
    return { kind: "list", items: groups.map(tuple), bracket: "none", src: s }
  }

  // Lists: top-level commas, semicolons, "and", "or".
  const items = splitTopLevel(s, listSep)
  if (items.length > 1) {
    const parts = trimAll(items)
    if (parts.length > 1 && parts.length <= MAX_ITEMS)
      return { kind: "list", items: parts.map((p) => parse(p, depth + 1)), bracket: "none", src: s }
    if (parts.length === 1) return parse(parts[0] as string, depth + 1)
  }

  // `x \in S`.
  const inM = /^[a-zA-Z]\s*\\in\s*(.+)$/.exec(s)
  if (inM !== null) return parse(inM[1] as string, depth + 1)

  // Unions of intervals or sets.
  const unions = splitTopLevel(s, (t, i) => (t.startsWith("\\cup", i) ? 4 : 0))
  if (unions.length > 1) {
    const parts = trimAll(unions).map((p) => parse(p, depth + 1))
    // A union of finite sets is the set of all their elements.
    if (parts.every((p) => p.kind === "list" && p.bracket === "\\{")) {
      return { kind: "list", items: parts.flatMap((p) => (p.kind === "list" ? p.items : [])), bracket: "\\{", src: s }
    }
    return { kind: "union", parts, src: s }
  }

  // Equations: `x = 3`, `y = 2x + 1`, chains `x = 5 + 6 = 11`.
  const eq = splitTopLevel(s, eqSep)
  if (eq.length >= 2) {
    const sides = eq.map((p) => p.trim())
    if (sides.length >= 3 && !sides.some((x) => x.length === 0)) return parse(sides[sides.length - 1] as string, depth + 1)
    const [lhs, rhs] = sides as [string, string]
    if (lhs.length > 0 && rhs.length > 0) return { kind: "equation", lhs, rhs: parse(rhs, depth + 1), rhsSrc: rhs, src: s }
  }
  const approx = s.split(/\\approx|≈/)
  if (approx.length === 2) {
    const [lhs, rhs] = approx.map((p) => p.trim()) as [string, string]
    return parse(isNameLike(lhs) ? rhs : lhs, depth + 1)
  }

  // Inequalities.
  const relParts = splitTopLevel(s, relSep)
  if (relParts.length >= 2) {
    const ops: Array<Relation> = []
    const re = /\\le(?![a-zA-Z])|\\ge(?![a-zA-Z])|\\ne(?![a-zA-Z])|<|>/g
    let m: RegExpExecArray | null
    // Operators in order (top-level ones only: count equals parts - 1 for well-formed input).
    while ((m = re.exec(s)) !== null) ops.push(m[0] as Relation)
    if (ops.length === relParts.length - 1) {
      const parts = relParts.map((p) => p.trim())
      const interval = inequalityInterval(parts, ops)
      const variable = parts.find(isVariable)?.trim()
      return interval === undefined || variable === undefined
        ? { kind: "inequality", parts, ops, src: s }
        : { kind: "inequality", parts, ops, interval, variable, src: s }
    }
  }

  const matrix = parseMatrix(s) ?? parseMatrixExpression(s, depth)
  if (matrix !== undefined) return matrix

  // `\pm`: both signs, as an unordered list.
  const pm = splitTopLevel(s, (t, i) => (t.startsWith("\\pm", i) && !/[a-zA-Z]/.test(t[i + 3] ?? "") ? 3 : 0))
  if (pm.length === 2) {
    const [a, b] = pm.map((p) => p.trim()) as [string, string]
    const items = a.length === 0 ? [`-${b}`, b] : [`${a}+${b}`, `${a}-(${b})`]
    return { kind: "list", items: items.map((p) => parse(p, depth + 1)), bracket: "none", src: s }
  }

  const br = wholeBracket(s)
  if (br !== undefined) {
    const inner = trimAll(splitTopLevel(br.inner, (t, i) => (t[i] === "," || t[i] === ";" ? 1 : 0)))
    if (br.open === "\\{") return { kind: "list", items: inner.map((p) => parse(p, depth + 1)), bracket: "\\{", src: s }
    if (br.open === "{") {
      if (inner.length <= 1) return parse(br.inner, depth + 1)
      return { kind: "list", items: inner.map((p) => parse(p, depth + 1)), bracket: "{", src: s }
    }
    const mixed = br.open + br.close
    if (inner.length === 2 && (mixed === "(]" || mixed === "[)" || mixed === "[]" || /\\infty/.test(br.inner))) {
      return {
        kind: "interval",
        lo: inner[0] as string,
        hi: inner[1] as string,
        loClosed: br.open === "[",
        hiClosed: br.close === "]",
        src: s
      }
    }
    if (inner.length >= 2 && (br.open === "(" || br.open === "[") && br.close === (br.open === "(" ? ")" : "]"))
      return { kind: "list", items: inner.map((p) => parse(p, depth + 1)), bracket: br.open as Bracket, src: s }
    if (inner.length === 1 && br.open === "(" && br.close === ")") {
      const m = parseMatrix(br.inner.trim())
      if (m !== undefined) return m
    }
  }
  return { kind: "expr", src: s }
}

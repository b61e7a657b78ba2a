/**
 * The value of one expression answer: an exact rational (fast path), a real
 * constant, a function sampled at fixed points, or an opaque key when it cannot
 * be evaluated. LaTeX is parsed by `@cortex-js/compute-engine` (never `eval`);
 * the MathJSON it returns is evaluated numerically here over plain doubles.
 */
import { ComputeEngine } from "@cortex-js/compute-engine"
import { fastParse } from "./FastParse.ts"
import { nestingDepth } from "./Latex.ts"
import { type Complex, evalComplex, evalGaussian, type Gaussian } from "./Complex.ts"
import * as Q from "./Rational.ts"
import type { Rational } from "./Rational.ts"

export type Value =
  | { readonly kind: "rational"; readonly r: Rational }
  | { readonly kind: "real"; readonly v: number }
  /** a + bi with b ≠ 0: exact (Gaussian rationals) or floating point. */
  | { readonly kind: "gaussian"; readonly z: Gaussian }
  | { readonly kind: "complex"; readonly z: Complex }
  /** `\frac{1}{0}`, `0/0`, overflow: equal to nothing, not even to `\infty`. */
  | { readonly kind: "undefined" }
  | { readonly kind: "function"; readonly vars: ReadonlyArray<string>; readonly samples: ReadonlyArray<number> }
  | { readonly kind: "opaque"; readonly key: string }

/** Values taken by the variables at the sample points (mixed signs, away from common poles). */
const BASE = [0.5377, 1.8339, -2.2588, 0.8622, 0.3188, -1.3077, -0.4336, 0.3426, 3.5784, 2.7694, -1.3499, 3.0349]
export const SAMPLE_POINTS = 6

let engine: ComputeEngine | undefined
const ce = (): ComputeEngine => (engine ??= new ComputeEngine())

/**
 * Creates the CAS and warms its parser (about 0.1 s once per process), so that
 * the first grade's time bound is not spent on start-up.
 */
export const warmUp = (): void => {
  if (engine !== undefined) return
  const e = ce()
  for (const s of ["\\frac{x+1}{2}", "\\sqrt{2}\\pi", "\\sin(x)^2", "(1,2)", "x_{1}"]) e.parse(s, { canonical: false })
}

/** Longest answer (characters) and deepest bracket nesting handed to the CAS parser. */
export const CAS_MAX_CHARS = 160
export const CAS_MAX_DEPTH = 8

/**
 * LaTeX commands worth handing to the CAS: those whose MathJSON the evaluator below
 * understands. Anything else could only come back unevaluable, and garbage is where
 * the CAS parser is slowest, so such answers compare structurally and as strings.
 */
const CAS_COMMANDS = new Set([
  "frac", "dfrac", "tfrac", "cfrac", "sqrt", "pi", "cdot", "times", "div", "left", "right", "binom",
  "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
  "ln", "log", "exp", "lfloor", "rfloor", "lceil", "rceil", "infty", "mid", "vert", "lvert", "rvert",
  "alpha", "beta", "gamma", "theta", "phi", "varphi", "lambda", "mu", "omega", "sigma", "tau", "rho", "delta"
])

/** Short, printable, balanced, shallow, and only known commands. */
export const casAdmissible = (latex: string): boolean => {
  if (latex.length > CAS_MAX_CHARS || !/^[\x20-\x7e]*$/.test(latex) || nestingDepth(latex) > CAS_MAX_DEPTH) return false
  let braces = 0
  let parens = 0
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i]
    if (c === "\\") {
      const m = /^[a-zA-Z]+/.exec(latex.slice(i + 1, i + 20))
      if (m === null || !CAS_COMMANDS.has(m[0])) return false
      i += m[0].length
      continue
    }
    if (c === "{") braces++
    else if (c === "}") braces--
    else if (c === "(") parens++
    else if (c === ")") parens--
    else if (c === "&") return false
    if (braces < 0 || parens < 0) return false
  }
  return braces === 0 && parens === 0
}

/** A small LRU cache of parses: gold answers repeat across a training run. */
const CACHE_LIMIT = 4096
const cache = new Map<string, unknown>()

/** Parses LaTeX into (non-canonical) MathJSON with the CAS, cached. */
export const parseLatex = (latex: string): unknown => {
  const hit = cache.get(latex)
  if (hit !== undefined) {
    cache.delete(latex)
    cache.set(latex, hit)
    return hit
  }
  const json = ce().parse(latex, { canonical: false }).json as unknown
  cache.set(latex, json)
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  return json
}

class Unevaluable extends Error {}

const CONSTANTS: Record<string, number> = {
  Pi: Math.PI,
  ExponentialE: Math.E,
  e: Math.E,
  PositiveInfinity: Number.POSITIVE_INFINITY,
  NegativeInfinity: Number.NEGATIVE_INFINITY,
  Half: 0.5
}
/**
 * The imaginary unit is treated as a formal variable: `6 - 5i` and `-5i + 6` agree
 * as polynomials in i, which is what answers in the form a + bi need.
 */
const IMAGINARY = new Set(["ImaginaryUnit", "i"])
const NOT_VARIABLES = new Set(["Nothing", "ComplexInfinity", "NaN", "EmptySet", "RealNumbers"])

const factorial = (n: number): number => {
  if (!Number.isInteger(n) || n < 0 || n > 170) return Number.NaN
  let f = 1
  for (let k = 2; k <= n; k++) f *= k
  return f
}

const symbolName = (node: unknown): string | undefined => {
  if (typeof node === "string" && !/^'/.test(node)) return node
  return undefined
}

/** Collects the free variables of a MathJSON expression. */
const collectVars = (node: unknown, out: Set<string>, depth = 0): void => {
  if (depth > 200) throw new Unevaluable("too deep")
  if (typeof node === "string") {
    if (node in CONSTANTS) return
    if (IMAGINARY.has(node)) {
      out.add("i")
      return
    }
    if (NOT_VARIABLES.has(node) || node.startsWith("'")) throw new Unevaluable(node)
    out.add(node)
    return
  }
  if (Array.isArray(node)) {
    const head = node[0]
    if (head === "At" || head === "Subscript") {
      if (typeof node[1] !== "string") throw new Unevaluable("subscript")
      out.add(JSON.stringify(node))
      return
    }
    if (head === "Error" || head === "LatexString") throw new Unevaluable("error")
    for (let k = 1; k < node.length; k++) collectVars(node[k], out, depth + 1)
  }
}

const num = (node: unknown): number | undefined => {
  if (typeof node === "number") return node
  if (typeof node === "object" && node !== null && "num" in node) {
    const s = String((node as { num: unknown }).num).replace(/n$/, "")
    const v = Number(s.replace(/\(\d+\)$/, ""))
    return Number.isNaN(v) ? undefined : v
  }
  return undefined
}

const evalNode = (node: unknown, env: ReadonlyMap<string, number>, depth = 0): number => {
  if (depth > 200) throw new Unevaluable("too deep")
  const n = num(node)
  if (n !== undefined) return n
  if (typeof node === "string") {
    const c = CONSTANTS[node]
    if (c !== undefined) return c
    const v = env.get(IMAGINARY.has(node) ? "i" : node)
    if (v === undefined) throw new Unevaluable(node)
    return v
  }
  if (!Array.isArray(node) || node.length === 0) throw new Unevaluable("node")
  const head = symbolName(node[0])
  const args = node.slice(1)
  const ev = (k: number): number => evalNode(args[k], env, depth + 1)
  const all = (): Array<number> => args.map((a) => evalNode(a, env, depth + 1))
  switch (head) {
    case "At":
    case "Subscript": {
      const v = env.get(JSON.stringify(node))
      if (v === undefined) throw new Unevaluable("subscript")
      return v
    }
    case "Add":
      return all().reduce((a, b) => a + b, 0)
    case "Subtract":
      return args.length === 1 ? -ev(0) : ev(0) - ev(1)
    case "Negate":
      return -ev(0)
    case "Multiply":
    case "InvisibleOperator":
      return all().reduce((a, b) => a * b, 1)
    case "Divide":
    case "Rational":
      return ev(0) / ev(1)
    case "Power": {
      const b = ev(0)
      const e = ev(1)
      // Real odd roots of negatives: x^(1/3).
      if (b < 0 && !Number.isInteger(e)) {
        const inv = 1 / e
        if (Number.isInteger(Math.round(inv)) && Math.abs(inv - Math.round(inv)) < 1e-12 && Math.round(inv) % 2 !== 0)
          return -Math.pow(-b, e)
      }
      return Math.pow(b, e)
    }
    case "Square":
      return ev(0) ** 2
    case "Sqrt":
      return Math.sqrt(ev(0))
    case "Root": {
      const x = ev(0)
      const k = ev(1)
      return x < 0 && k % 2 === 1 ? -Math.pow(-x, 1 / k) : Math.pow(x, 1 / k)
    }
    case "Delimiter":
      if (args.length !== 1) throw new Unevaluable("tuple")
      return ev(0)
    case "Exp":
      return Math.exp(ev(0))
    case "Ln":
      return Math.log(ev(0))
    case "Log":
      return args.length > 1 ? Math.log(ev(0)) / Math.log(ev(1)) : Math.log10(ev(0))
    case "Lb":
      return Math.log2(ev(0))
    case "Lg":
      return Math.log10(ev(0))
    case "Sin":
      return Math.sin(ev(0))
    case "Cos":
      return Math.cos(ev(0))
    case "Tan":
      return Math.tan(ev(0))
    case "Sec":
      return 1 / Math.cos(ev(0))
    case "Csc":
      return 1 / Math.sin(ev(0))
    case "Cot":
      return 1 / Math.tan(ev(0))
    case "Arcsin":
      return Math.asin(ev(0))
    case "Arccos":
      return Math.acos(ev(0))
    case "Arctan":
      return Math.atan(ev(0))
    case "Sinh":
      return Math.sinh(ev(0))
    case "Cosh":
      return Math.cosh(ev(0))
    case "Tanh":
      return Math.tanh(ev(0))
    case "Abs":
      return Math.abs(ev(0))
    case "Factorial":
      return factorial(ev(0))
    case "Binomial": {
      const n = ev(0)
      const k = ev(1)
      if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || n < 0 || k > n || n > 1000) return Number.NaN
      let r = 1
      for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j
      return Math.round(r)
    }
    case "Floor":
      return Math.floor(ev(0))
    case "Ceil":
      return Math.ceil(ev(0))
    default:
      throw new Unevaluable(String(head))
  }
}

/** Exact evaluation over rationals of +, −, ×, ÷ and integer powers; `undefined` when anything else occurs. */
const evalExact = (node: unknown, depth = 0): Rational | undefined => {
  if (depth > 100) return undefined
  if (typeof node === "number") return Number.isInteger(node) ? { num: BigInt(node), den: 1n } : Q.parseDecimal(String(node))
  if (typeof node === "object" && node !== null && !Array.isArray(node) && "num" in node) {
    return Q.parseDecimal(String((node as { num: unknown }).num))
  }
  if (!Array.isArray(node) || node.length === 0) return undefined
  const head = node[0]
  const args: Array<Rational> = []
  for (let k = 1; k < node.length; k++) {
    const v = evalExact(node[k], depth + 1)
    if (v === undefined) return undefined
    args.push(v)
  }
  switch (head) {
    case "Add":
      return args.reduce((a, b) => Q.add(a, b), { num: 0n, den: 1n })
    case "Subtract":
      return args.length === 1 ? Q.neg(args[0] as Rational) : Q.add(args[0] as Rational, Q.neg(args[1] as Rational))
    case "Negate":
      return Q.neg(args[0] as Rational)
    case "Multiply":
    case "InvisibleOperator":
      return args.reduce((a, b) => Q.mul(a, b), { num: 1n, den: 1n })
    case "Divide":
    case "Rational":
      return Q.div(args[0] as Rational, args[1] as Rational)
    case "Delimiter":
      return args.length === 1 ? args[0] : undefined
    case "Binomial": {
      const [n, k] = args as [Rational, Rational]
      if (n.den !== 1n || k.den !== 1n || k.num < 0n || n.num < k.num || n.num > 10000n) return undefined
      let r: Rational = { num: 1n, den: 1n }
      for (let j = 1n; j <= k.num; j++) r = Q.mul(r, { num: n.num - k.num + j, den: j })
      return r
    }
    case "Power":
      return Q.pow(args[0] as Rational, args[1] as Rational)
    default:
      return undefined
  }
}

const sampleEnv = (vars: ReadonlyArray<string>, p: number): Map<string, number> => {
  const env = new Map<string, number>()
  vars.forEach((v, k) => env.set(v, BASE[(p * 5 + k * 3) % BASE.length] as number))
  return env
}

const mentionsInfinity = (json: unknown): boolean => JSON.stringify(json).includes("Infinity")

/** Evaluates MathJSON to a Value (never throws). */
export const valueOfJson = (json: unknown, fallbackKey: string): Value => {
  try {
    const vars = new Set<string>()
    collectVars(json, vars)
    if (vars.size === 0) {
      const exact = evalExact(json)
      if (exact !== undefined) return { kind: "rational", r: exact }
      const v = evalNode(json, new Map())
      // Only a written infinity is infinite; 1/0, 0/0, overflow are undefined.
      if (!Number.isFinite(v)) return Number.isNaN(v) || !mentionsInfinity(json) ? { kind: "undefined" } : { kind: "real", v }
      return { kind: "real", v }
    }
    if (vars.size === 1 && vars.has("i")) {
      const z = evalGaussian(json)
      if (z !== undefined) return z.im.num === 0n ? { kind: "rational", r: z.re } : { kind: "gaussian", z }
      try {
        const c = evalComplex(json)
        if (Number.isFinite(c.re) && Number.isFinite(c.im)) return { kind: "complex", z: c }
      } catch {
        // Not a complex constant the evaluator knows: i stays a formal variable below.
      }
    }
    if (vars.size > 6) return { kind: "opaque", key: fallbackKey }
    const names = [...vars].sort()
    const samples: Array<number> = []
    for (let p = 0; p < SAMPLE_POINTS; p++) samples.push(evalNode(json, sampleEnv(names, p)))
    return { kind: "function", vars: names, samples }
  } catch {
    return { kind: "opaque", key: fallbackKey }
  }
}

/** The value of a normalised expression answer. */
export const valueOf = (latex: string, fallbackKey: string): Value => {
  const r = Q.parseRational(latex)
  if (r !== undefined) return { kind: "rational", r }
  if (latex.length > 2000) return { kind: "opaque", key: fallbackKey }
  let json: unknown
  try {
    // Mixed numbers `3\frac{1}{2}` mean 3 + 1/2, also inside products (`3 1\frac{1}{2}`).
    const mixed = latex.replace(/(?<![\d.^_}{])(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}/g, "($1+\\frac{$2}{$3})")
    json = fastParse(mixed)
    if (json === undefined) {
      // The CAS parser is slow on long or deeply nested input (0.1 s for 200 characters): keep it to short answers.
      // Only printable ASCII reaches it (normalisation has already mapped π, √, ≤, … to LaTeX).
      if (!casAdmissible(mixed)) return { kind: "opaque", key: fallbackKey }
      json = parseLatex(mixed)
    }
  } catch {
    return { kind: "opaque", key: fallbackKey }
  }
  return valueOfJson(json, fallbackKey)
}

/** A function of at most one variable, evaluable anywhere (NaN outside its domain). */
export interface RealFunction {
  readonly variable: string | undefined
  readonly at: (x: number) => number
}

/** The normalised expression as a function of its one variable; `undefined` when it has several or cannot be parsed. */
export const functionOf = (latex: string): RealFunction | undefined => {
  try {
    const mixed = latex.replace(/(?<![\d.^_}{])(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}/g, "($1+\\frac{$2}{$3})")
    const json = fastParse(mixed) ?? (casAdmissible(mixed) ? parseLatex(mixed) : undefined)
    if (json === undefined) return undefined
    const vars = new Set<string>()
    collectVars(json, vars)
    if (vars.size > 1 || vars.has("i")) return undefined
    const variable = [...vars][0]
    return {
      variable,
      at: (x) => {
        try {
          return evalNode(json, variable === undefined ? new Map() : new Map([[variable, x]]))
        } catch {
          return Number.NaN
        }
      }
    }
  } catch {
    return undefined
  }
}

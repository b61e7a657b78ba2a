/**
 * Complex constants: expressions whose only free symbol is the imaginary unit.
 * Gaussian rationals (a + bi with a, b rational) are evaluated exactly, so
 * `2^{100} i` and `(2^{100}+1) i` differ; anything else (`e^{i\pi}`) in floating
 * point, so that `e^{i\pi} = -1` holds up to a relative tolerance.
 */
import * as Q from "./Rational.ts"
import type { Rational } from "./Rational.ts"

/** An exact a + bi. */
export interface Gaussian {
  readonly re: Rational
  readonly im: Rational
}

/** A floating-point a + bi. */
export interface Complex {
  readonly re: number
  readonly im: number
}

const ZERO: Rational = { num: 0n, den: 1n }
const ONE: Rational = { num: 1n, den: 1n }
const IMAGINARY = new Set(["ImaginaryUnit", "i"])
/** Largest integer exponent evaluated exactly. */
const MAX_EXACT_EXPONENT = 256n

const gAdd = (a: Gaussian, b: Gaussian): Gaussian => ({ re: Q.add(a.re, b.re), im: Q.add(a.im, b.im) })
const gNeg = (a: Gaussian): Gaussian => ({ re: Q.neg(a.re), im: Q.neg(a.im) })
const gMul = (a: Gaussian, b: Gaussian): Gaussian => ({
  re: Q.add(Q.mul(a.re, b.re), Q.neg(Q.mul(a.im, b.im))),
  im: Q.add(Q.mul(a.re, b.im), Q.mul(a.im, b.re))
})
const gDiv = (a: Gaussian, b: Gaussian): Gaussian | undefined => {
  const norm = Q.add(Q.mul(b.re, b.re), Q.mul(b.im, b.im))
  const num = gMul(a, { re: b.re, im: Q.neg(b.im) })
  const re = Q.div(num.re, norm)
  const im = Q.div(num.im, norm)
  return re === undefined || im === undefined ? undefined : { re, im }
}

const literal = (node: unknown): Rational | undefined => {
  if (typeof node === "number") return Number.isInteger(node) ? { num: BigInt(node), den: 1n } : Q.parseDecimal(String(node))
  if (typeof node === "object" && node !== null && !Array.isArray(node) && "num" in node) {
    return Q.parseDecimal(String((node as { num: unknown }).num))
  }
  return undefined
}

/** Exact value over the Gaussian rationals, or `undefined` (non-rational operations, division by zero). */
export const evalGaussian = (node: unknown, depth = 0): Gaussian | undefined => {
  if (depth > 100) return undefined
  const r = literal(node)
  if (r !== undefined) return { re: r, im: ZERO }
  if (typeof node === "string") return IMAGINARY.has(node) ? { re: ZERO, im: ONE } : undefined
  if (!Array.isArray(node) || node.length === 0) return undefined
  const head = node[0]
  const args: Array<Gaussian> = []
  for (let k = 1; k < node.length; k++) {
    const v = evalGaussian(node[k], depth + 1)
    if (v === undefined) return undefined
    args.push(v)
  }
  switch (head) {
    case "Add":
      return args.reduce(gAdd, { re: ZERO, im: ZERO })
    case "Subtract":
      return args.length === 1 ? gNeg(args[0] as Gaussian) : gAdd(args[0] as Gaussian, gNeg(args[1] as Gaussian))
    case "Negate":
      return gNeg(args[0] as Gaussian)
    case "Multiply":
    case "InvisibleOperator":
      return args.reduce(gMul, { re: ONE, im: ZERO })
    case "Divide":
    case "Rational":
      return args.length === 2 ? gDiv(args[0] as Gaussian, args[1] as Gaussian) : undefined
    case "Delimiter":
      return args.length === 1 ? args[0] : undefined
    case "Square":
      return gMul(args[0] as Gaussian, args[0] as Gaussian)
    case "Power": {
      const [b, e] = args as [Gaussian, Gaussian]
      if (e.im.num !== 0n || e.re.den !== 1n) return undefined
      const n = e.re.num < 0n ? -e.re.num : e.re.num
      if (n > MAX_EXACT_EXPONENT) return undefined
      let acc: Gaussian = { re: ONE, im: ZERO }
      let base = b
      for (let k = n; k > 0n; k >>= 1n) {
        if (k & 1n) acc = gMul(acc, base)
        base = gMul(base, base)
      }
      return e.re.num < 0n ? gDiv({ re: ONE, im: ZERO }, acc) : acc
    }
    default:
      return undefined
  }
}

const cMul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re })
const cDiv = (a: Complex, b: Complex): Complex => {
  const d = b.re * b.re + b.im * b.im
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d }
}
const cExp = (a: Complex): Complex => {
  const m = Math.exp(a.re)
  return { re: m * Math.cos(a.im), im: m * Math.sin(a.im) }
}
const cLog = (a: Complex): Complex => ({ re: Math.log(Math.hypot(a.re, a.im)), im: Math.atan2(a.im, a.re) })
const cPow = (b: Complex, e: Complex): Complex => {
  if (e.im === 0 && Number.isInteger(e.re) && Math.abs(e.re) <= 64) {
    let acc: Complex = { re: 1, im: 0 }
    for (let k = 0; k < Math.abs(e.re); k++) acc = cMul(acc, b)
    return e.re < 0 ? cDiv({ re: 1, im: 0 }, acc) : acc
  }
  if (b.re === 0 && b.im === 0) return { re: 0, im: 0 }
  return cExp(cMul(e, cLog(b)))
}

const CONSTANTS: Record<string, number> = { Pi: Math.PI, ExponentialE: Math.E, e: Math.E, Half: 0.5 }

/** Floating-point value over the complex numbers; throws on anything it does not know. */
export const evalComplex = (node: unknown, depth = 0): Complex => {
  if (depth > 100) throw new Error("too deep")
  if (typeof node === "number") return { re: node, im: 0 }
  const r = literal(node)
  if (r !== undefined) return { re: Q.toNumber(r), im: 0 }
  if (typeof node === "string") {
    if (IMAGINARY.has(node)) return { re: 0, im: 1 }
    const c = CONSTANTS[node]
    if (c !== undefined) return { re: c, im: 0 }
    throw new Error(node)
  }
  if (!Array.isArray(node) || node.length === 0) throw new Error("node")
  const args = node.slice(1).map((a) => evalComplex(a, depth + 1))
  const [x, y] = args as [Complex, Complex]
  switch (node[0]) {
    case "Add":
      return args.reduce((a, b) => ({ re: a.re + b.re, im: a.im + b.im }), { re: 0, im: 0 })
    case "Subtract":
      return args.length === 1 ? { re: -x.re, im: -x.im } : { re: x.re - y.re, im: x.im - y.im }
    case "Negate":
      return { re: -x.re, im: -x.im }
    case "Multiply":
    case "InvisibleOperator":
      return args.reduce(cMul, { re: 1, im: 0 })
    case "Divide":
    case "Rational":
      return cDiv(x, y)
    case "Delimiter":
      if (args.length !== 1) throw new Error("tuple")
      return x
    case "Power":
      return cPow(x, y)
    case "Square":
      return cMul(x, x)
    case "Sqrt":
      return cPow(x, { re: 0.5, im: 0 })
    case "Exp":
      return cExp(x)
    case "Ln":
      return cLog(x)
    case "Sin":
      return { re: Math.sin(x.re) * Math.cosh(x.im), im: Math.cos(x.re) * Math.sinh(x.im) }
    case "Cos":
      return { re: Math.cos(x.re) * Math.cosh(x.im), im: -Math.sin(x.re) * Math.sinh(x.im) }
    case "Abs":
      return { re: Math.hypot(x.re, x.im), im: 0 }
    default:
      throw new Error(String(node[0]))
  }
}

/** |a − b| ≤ relTol · max(|a|, |b|): relative, with no absolute floor. */
export const complexClose = (a: Complex, b: Complex, relTol: number): boolean => {
  if (![a.re, a.im, b.re, b.im].every(Number.isFinite)) return false
  if (a.re === b.re && a.im === b.im) return true
  return Math.hypot(a.re - b.re, a.im - b.im) <= relTol * Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im))
}

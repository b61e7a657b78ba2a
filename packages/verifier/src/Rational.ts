/**
 * Exact rational numbers over BigInt: the fast path that decides most numeric
 * answers (integers, decimals, fractions, mixed numbers, percent, scientific
 * notation) without touching the CAS.
 */

export interface Rational {
  readonly num: bigint
  readonly den: bigint
  /** Digits after the decimal point when parsed from a decimal literal (for the rounding rule). */
  readonly decimals?: number
}

const abs = (a: bigint): bigint => (a < 0n ? -a : a)

const gcd = (a: bigint, b: bigint): bigint => {
  let x = abs(a)
  let y = abs(b)
  while (y !== 0n) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

/** A reduced rational with a positive denominator; `undefined` for a zero denominator. */
export const make = (num: bigint, den: bigint, decimals?: number): Rational | undefined => {
  if (den === 0n) return undefined
  const g = gcd(num, den)
  const s = den < 0n ? -1n : 1n
  const n = (s * num) / (g === 0n ? 1n : g)
  const d = (s * den) / (g === 0n ? 1n : g)
  return decimals === undefined ? { num: n, den: d } : { num: n, den: d, decimals }
}

export const equals = (a: Rational, b: Rational): boolean => a.num === b.num && a.den === b.den

export const add = (a: Rational, b: Rational): Rational => make(a.num * b.den + b.num * a.den, a.den * b.den) as Rational
export const neg = (a: Rational): Rational => ({ num: -a.num, den: a.den })
export const mul = (a: Rational, b: Rational): Rational => make(a.num * b.num, a.den * b.den) as Rational
export const div = (a: Rational, b: Rational): Rational | undefined => make(a.num * b.den, a.den * b.num)

const bitLength = (a: bigint): number => (a < 0n ? -a : a).toString(2).length

/** Results of exact powers are kept below this many bits (beyond it, floating point decides, and overflows are undefined). */
export const MAX_POWER_BITS = 8192

/** a^e for an integer e, exactly; `undefined` for a non-integer exponent, 0^(negative), or a result over `MAX_POWER_BITS`. */
export const pow = (a: Rational, e: Rational): Rational | undefined => {
  if (e.den !== 1n) return undefined
  const n = e.num < 0n ? -e.num : e.num
  if (n === 0n) return { num: 1n, den: 1n }
  const bits = Math.max(bitLength(a.num), bitLength(a.den))
  if (n > BigInt(MAX_POWER_BITS) || bits * Number(n) > MAX_POWER_BITS) return undefined
  const r = make(a.num ** n, a.den ** n) as Rational
  return e.num < 0n ? div({ num: 1n, den: 1n }, r) : r
}

export const toNumber = (a: Rational): number => {
  // Scale big values down so that huge integers still convert sensibly.
  const n = Number(a.num)
  const d = Number(a.den)
  if (Number.isFinite(n) && Number.isFinite(d)) return n / d
  const shift = BigInt(Math.max(a.num.toString().length, a.den.toString().length) - 300)
  const scale = 10n ** (shift > 0n ? shift : 0n)
  return Number(a.num / scale) / Number(a.den / scale)
}

/** True when the decimal expansion terminates (denominator of the form 2^a 5^b). */
export const isTerminating = (a: Rational): boolean => {
  let d = a.den
  while (d % 2n === 0n) d /= 2n
  while (d % 5n === 0n) d /= 5n
  return d === 1n
}

/** |a - b| < bound, exactly. */
export const within = (a: Rational, b: Rational, bound: Rational): boolean => {
  const diff = add(a, neg(b))
  return abs(diff.num) * bound.den < bound.num * diff.den
}

/** Longest digit string read exactly (an answer is at most 2,000 characters). */
const MAX_DIGITS = 2_000

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/

/** Parses `12`, `-0.5`, `.1`, `2.5E2`, `007`. Exponents are bounded so BigInt stays small. */
export const parseDecimal = (text: string): Rational | undefined => {
  const m = DECIMAL.exec(text)
  if (m === null) return undefined
  const [, sign, int = "", frac = "", exp] = m
  if (int === "" && frac === "") return undefined
  if (int.length + frac.length > MAX_DIGITS) return undefined
  const digits = BigInt((int === "" ? "0" : int) + frac)
  const e = (exp === undefined ? 0 : Number(exp)) - frac.length
  const signed = sign === "-" ? -digits : digits
  const decimals = exp === undefined && frac.length > 0 ? frac.length : undefined
  return e >= 0 ? make(signed * 10n ** BigInt(e), 1n, decimals) : make(signed, 10n ** BigInt(-e), decimals)
}

const NUM = String.raw`\d+(?:\.\d+)?|\.\d+`
const FRAC_LATEX = new RegExp(String.raw`^([+-]?)\\frac\{([+-]?(?:${NUM}))\}\{([+-]?(?:${NUM}))\}$`)
const FRAC_SLASH = new RegExp(String.raw`^([+-]?)(${NUM})/(${NUM})$`)
const MIXED = /^([+-]?)(\d+)\\frac\{(\d+)\}\{(\d+)\}$/
const SCI = new RegExp(String.raw`^([+-]?${NUM})(?:\\times|\\cdot|\*|×)10\^(?:\{([+-]?\d{1,4})\}|([+-]?\d))$`)

/**
 * Parses a normalised answer that is a plain rational number, or returns
 * `undefined` so that the caller goes on to the CAS.
 */
export const parseRational = (text: string): Rational | undefined => {
  if (/\d\s+\d/.test(text)) return undefined
  const s = text.replace(/\s+/g, "")
  if (s.length === 0 || s.length > MAX_DIGITS + 20) return undefined
  const d = parseDecimal(s)
  if (d !== undefined) return d
  let m = FRAC_LATEX.exec(s) ?? FRAC_SLASH.exec(s)
  if (m !== null) {
    const p = parseDecimal(m[2] as string)
    const q = parseDecimal(m[3] as string)
    if (p === undefined || q === undefined) return undefined
    const r = div(p, q)
    return r === undefined ? undefined : m[1] === "-" ? neg(r) : r
  }
  m = MIXED.exec(s)
  if (m !== null) {
    const whole = BigInt(m[2] as string)
    const f = make(BigInt(m[3] as string), BigInt(m[4] as string))
    if (f === undefined) return undefined
    const r = add({ num: whole, den: 1n }, f)
    return m[1] === "-" ? neg(r) : r
  }
  m = SCI.exec(s)
  if (m !== null) {
    const mant = parseDecimal(m[1] as string)
    const e = Number(m[2] ?? m[3])
    if (mant === undefined) return undefined
    const p = e >= 0 ? { num: 10n ** BigInt(e), den: 1n } : { num: 1n, den: 10n ** BigInt(-e) }
    return mul(mant, p)
  }
  return undefined
}

export const format = (a: Rational): string => (a.den === 1n ? a.num.toString() : `${a.num}/${a.den}`)

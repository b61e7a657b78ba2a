/**
 * Equivalence of two parsed answers under a mode policy: exact rationals first,
 * then numeric values (constants and functions sampled at fixed points), then
 * structure (lists, sets, intervals, equations, matrices), then text.
 */
import { type Complex, complexClose } from "./Complex.ts"
import type { Policy } from "./Mode.ts"
import { key, normalize } from "./Normalize.ts"
import { valueOf, type Value } from "./Numeric.ts"
import * as Q from "./Rational.ts"
import { sameSet } from "./SetCompare.ts"
import { isNameLike, type Node, parse } from "./Structure.ts"

/** Why two answers were judged equal (or the closest rule that was tried). */
export interface Verdict {
  readonly equal: boolean
  readonly rule: string
}

const yes = (rule: string): Verdict => ({ equal: true, rule })
const no = (rule: string): Verdict => ({ equal: false, rule })

export interface Budget {
  /** Throws `Timeout` when the time bound has passed. */
  readonly check: () => void
}

export class Timeout extends Error {}

/**
 * Relative closeness for inexact values. There is no absolute floor: 2^-98 and
 * 2^-99 are as different as 2 and 4. Non-finite values are never close (a
 * written infinity is compared as text before any evaluation).
 */
const close = (a: number, b: number, relTol: number): boolean => {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  if (a === b) return true
  return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b))
}

/** Below this, a sample of a function is rounding noise around 0 and decides nothing. */
const NOISE = 1e-12

const pow10 = (k: number): Q.Rational => ({ num: 1n, den: 10n ** BigInt(k) })

/** A decimal with k ≥ 2 places standing for a value it rounds or truncates to. */
const roundedMatch = (dec: Value, other: Value): boolean => {
  if (dec.kind !== "rational" || dec.r.decimals === undefined || dec.r.decimals < 2) return false
  const k = dec.r.decimals
  // At least two significant digits: `0.00` is no rounding of 1/3 · 10^-30.
  const digits = (dec.r.num < 0n ? -dec.r.num : dec.r.num) * 10n ** BigInt(k) / dec.r.den
  if (digits < 10n) return false
  if (other.kind === "rational") {
    if (Q.isTerminating(other.r)) return false
    const diff = Q.add(other.r, Q.neg(dec.r))
    const half: Q.Rational = { num: 1n, den: 2n * 10n ** BigInt(k) }
    if (Q.within(other.r, dec.r, half)) return true
    const sameSign = (diff.num > 0n) === (other.r.num > 0n)
    return sameSign && Q.within(other.r, dec.r, pow10(k))
  }
  if (other.kind === "real") {
    const d = Q.toNumber(dec.r)
    const diff = other.v - d
    const unit = 10 ** -k
    if (Math.abs(diff) <= unit / 2 + 1e-12) return true
    return Math.sign(diff) === Math.sign(other.v) && Math.abs(diff) < unit
  }
  return false
}

const asNumber = (v: Value): number | undefined =>
  v.kind === "rational" ? Q.toNumber(v.r) : v.kind === "real" ? v.v : undefined

const asComplex = (v: Value): Complex | undefined => {
  if (v.kind === "complex") return v.z
  if (v.kind === "gaussian") return { re: Q.toNumber(v.z.re), im: Q.toNumber(v.z.im) }
  const x = asNumber(v)
  return x === undefined ? undefined : { re: x, im: 0 }
}

/** Complex constants: exactly when both are Gaussian rationals, else relatively. */
const complexEqual = (a: Value, b: Value, p: Policy): Verdict => {
  if (a.kind === "gaussian" && b.kind === "gaussian") {
    return Q.equals(a.z.re, b.z.re) && Q.equals(a.z.im, b.z.im) ? yes("complex-equal") : no("complex-differ")
  }
  if (a.kind !== "complex" && b.kind !== "complex") return no("complex-differ")
  const za = asComplex(a)
  const zb = asComplex(b)
  return za !== undefined && zb !== undefined && complexClose(za, zb, p.relTol) ? yes("complex-equal") : no("complex-differ")
}

const valuesEqual = (a: Value, b: Value, p: Policy): Verdict => {
  if (a.kind === "undefined" || b.kind === "undefined") return no("undefined")
  if (a.kind === "gaussian" || b.kind === "gaussian" || a.kind === "complex" || b.kind === "complex") return complexEqual(a, b, p)
  if (a.kind === "rational" && b.kind === "rational") {
    if (Q.equals(a.r, b.r)) return yes("rational-equal")
    if (p.relTol >= 1e-6 && close(Q.toNumber(a.r), Q.toNumber(b.r), p.relTol)) return yes("numeric-close")
    if (p.percentScale) {
      const x = Q.toNumber(a.r)
      const y = Q.toNumber(b.r)
      if (close(x * 100, y, p.relTol) || close(x, y * 100, p.relTol)) return yes("percent-scale")
    }
    if (p.roundedDecimals && (roundedMatch(a, b) || roundedMatch(b, a))) return yes("rounded-decimal")
    return no("rational-differ")
  }
  const x = asNumber(a)
  const y = asNumber(b)
  if (x !== undefined && y !== undefined) {
    if (close(x, y, p.relTol)) return yes("numeric-equal")
    if (p.roundedDecimals && (roundedMatch(a, b) || roundedMatch(b, a))) return yes("rounded-decimal")
    if (p.percentScale && (close(x * 100, y, p.relTol) || close(x, y * 100, p.relTol))) return yes("percent-scale")
    return no("numeric-differ")
  }
  if (a.kind === "function" && b.kind === "function") {
    if (a.vars.length !== b.vars.length || a.vars.some((v, k) => v !== b.vars[k])) return no("variables-differ")
    let compared = 0
    for (let k = 0; k < a.samples.length; k++) {
      const u = a.samples[k] as number
      const w = b.samples[k] as number
      const fu = Number.isFinite(u)
      const fw = Number.isFinite(w)
      if (!fu && !fw) continue
      if (fu !== fw) return no("domain-differ")
      if (Math.abs(u) < NOISE && Math.abs(w) < NOISE) continue
      if (!close(u, w, Math.max(p.relTol, 1e-9))) return no("function-differ")
      compared++
    }
    return compared >= 2 ? yes("function-equal") : no("function-undecided")
  }
  // A function that is constant on every sample point (sin²x + cos²x) against a number.
  if ((a.kind === "function" && y !== undefined) || (b.kind === "function" && x !== undefined)) {
    const f = (a.kind === "function" ? a : b) as Extract<Value, { kind: "function" }>
    const c = (a.kind === "function" ? y : x) as number
    if (f.vars.includes("i")) return no("function-vs-constant")
    return f.samples.every((s) => Number.isFinite(s) && close(s, c, Math.max(p.relTol, 1e-9)))
      ? yes("constant-function")
      : no("function-vs-constant")
  }
  if (a.kind === "opaque" && b.kind === "opaque") return a.key === b.key ? yes("string-equal") : no("opaque-differ")
  return no("kind-differ")
}

const isTextual = (s: string): boolean => /^[\p{L}\s'-]+$/u.test(s) && /\p{L}{2,}/u.test(s)

/** A division by a literal zero (`\frac{1}{0}`, `0/0`, `5 \div 0`): undefined, equal to nothing. */
const DIVISION_BY_ZERO = /\\frac\s*\{[^{}]*\}\s*\{\s*[-+]?0+(?:\.0*)?\s*\}|(?:\/|\\div)\s*[-+]?0+(?:\.0*)?(?![\d.])/
export const isUndefinedForm = (s: string): boolean => DIVISION_BY_ZERO.test(s)

/** Compares two expression sources. */
export const exprEqual = (a: string, b: string, p: Policy, budget: Budget): Verdict => {
  if (isUndefinedForm(a) || isUndefinedForm(b)) return no("undefined")
  const ka = key(a)
  const kb = key(b)
  if (ka === kb) return yes("string-equal")
  if (isTextual(ka) || isTextual(kb)) return ka.toLowerCase() === kb.toLowerCase() ? yes("text-equal") : no("text-differ")
  budget.check()
  const va = valueOf(a, ka)
  budget.check()
  const vb = valueOf(b, kb)
  budget.check()
  return valuesEqual(va, vb, p)
}

const stripBrackets = (n: Node): Node => {
  if (n.kind === "interval") {
    return { kind: "list", items: [parse(n.lo), parse(n.hi)], bracket: "(", src: n.src }
  }
  return n
}

const listsEqual = (
  xs: ReadonlyArray<Node>,
  ys: ReadonlyArray<Node>,
  ordered: boolean,
  p: Policy,
  budget: Budget
): Verdict => {
  if (ordered) {
    if (xs.length !== ys.length) return no("length-differ")
    for (let k = 0; k < xs.length; k++) {
      if (!equal(xs[k] as Node, ys[k] as Node, p, budget).equal) return no("tuple-differ")
    }
    return yes("tuple-equal")
  }
  // As sets: every element has an equal partner on the other side (duplicates allowed).
  const covered = (us: ReadonlyArray<Node>, vs: ReadonlyArray<Node>): boolean =>
    us.every((u) => vs.some((v) => equal(u, v, p, budget).equal))
  return covered(xs, ys) && covered(ys, xs) ? yes("set-equal") : no("set-differ")
}

const intervalEqual = (
  a: Extract<Node, { kind: "interval" }>,
  b: Extract<Node, { kind: "interval" }>,
  p: Policy,
  budget: Budget
): Verdict => {
  if (p.bracketsMatter && (a.loClosed !== b.loClosed || a.hiClosed !== b.hiClosed)) return no("bracket-differ")
  return exprEqual(a.lo, b.lo, p, budget).equal && exprEqual(a.hi, b.hi, p, budget).equal
    ? yes("interval-equal")
    : no("interval-differ")
}

/** `1,5`: two unsigned digit groups joined by a bare comma, read as a decimal against a single number. */
const DECIMAL_COMMA = /^(-?\d+),(\d+)$/

const asList = (n: Node): ReadonlyArray<Node> | undefined => (n.kind === "list" ? n.items : undefined)

/** Structural equivalence of two parsed answers. */
export const equal = (a: Node, b: Node, p: Policy, budget: Budget): Verdict => {
  budget.check()
  if (key(a.src) === key(b.src)) return yes("string-equal")

  // Equations.
  if (a.kind === "equation" || b.kind === "equation") {
    if (a.kind === "equation" && b.kind === "equation") {
      if (key(a.lhs) === key(b.lhs)) return equal(a.rhs, b.rhs, p, budget)
      if (p.structural) {
        const v = exprEqual(`${a.lhs}-(${a.rhsSrc})`, `${b.lhs}-(${b.rhsSrc})`, p, budget)
        if (v.equal) return yes("equation-equal")
        // Proportional equations: (l1 - r1) / (l2 - r2) constant.
        const ratio = exprEqual(`\\frac{${a.lhs}-(${a.rhsSrc})}{${b.lhs}-(${b.rhsSrc})}`, "1", p, budget)
        if (ratio.equal) return yes("equation-equal")
        return proportional(a, b, p) ? yes("equation-proportional") : no("equation-differ")
      }
      return no("equation-differ")
    }
    const e = (a.kind === "equation" ? a : b) as Extract<Node, { kind: "equation" }>
    const other = a.kind === "equation" ? b : a
    // Which side is the answer: `x = 3` and `3 = x` state 3; a computation `3! \times 5! = 720`
    // states 720; `5 = 3b - a` is a relation, and neither `5` nor `3b - a` alone states it.
    const side = answerSide(e, p)
    if (side === undefined) return no("equation-vs-value")
    const v = equal(side === "rhs" ? e.rhs : parse(e.lhs), other, p, budget)
    return v.equal ? yes(`equation-${side}:${v.rule}`) : v
  }

  // Inequalities: as intervals when they are, else part-wise.
  if (a.kind === "inequality" || b.kind === "inequality") {
    const ia = a.kind === "inequality" ? (p.structural ? a.interval : undefined) ?? a : a
    const ib = b.kind === "inequality" ? (p.structural ? b.interval : undefined) ?? b : b
    if (ia.kind !== "inequality" && ib.kind !== "inequality") return equal(ia, ib, p, budget)
    if (a.kind === "inequality" && b.kind === "inequality") {
      if (a.interval !== undefined && b.interval !== undefined) {
        if (a.variable !== b.variable) return no("variable-differ")
        return equal(a.interval, b.interval, p, budget)
      }
      const v = inequalityEqual(a, b, p, budget)
      if (v.equal) return v
    }
    return setEqual(a, b, p, budget, "inequality-differ")
  }

  if (a.kind === "union" || b.kind === "union") {
    if (a.kind === "union" && b.kind === "union") {
      const v = listsEqual(a.parts, b.parts, false, p, budget)
      if (v.equal) return v
    }
    return setEqual(a, b, p, budget, "union-differ")
  }

  if (a.kind === "matrix" || b.kind === "matrix") {
    if (a.kind === "matrix" && b.kind === "matrix") {
      if (a.rows.length !== b.rows.length) return no("matrix-shape")
      for (let r = 0; r < a.rows.length; r++) {
        const v = listsEqual(a.rows[r] as ReadonlyArray<Node>, b.rows[r] as ReadonlyArray<Node>, true, p, budget)
        if (!v.equal) return no("matrix-differ")
      }
      return yes("matrix-equal")
    }
    // A column vector matches a tuple.
    const m = (a.kind === "matrix" ? a : b) as Extract<Node, { kind: "matrix" }>
    const other = a.kind === "matrix" ? b : a
    if (other.kind === "list" && other.bracket !== "\\{" && m.rows.every((r) => r.length === 1)) {
      return listsEqual(
        m.rows.map((r) => r[0] as Node),
        other.items,
        true,
        p,
        budget
      ).equal
        ? yes("vector-equal")
        : no("vector-differ")
    }
    return no("matrix-differ")
  }

  if (a.kind === "interval" && b.kind === "interval") return intervalEqual(a, b, p, budget)
  if (a.kind === "interval" || b.kind === "interval") {
    const i = (a.kind === "interval" ? a : b) as Extract<Node, { kind: "interval" }>
    const other = a.kind === "interval" ? b : a
    // `(a, b)`: an open interval or a pair.
    if (other.kind === "list" && other.items.length === 2 && (other.bracket === "(" || (!p.bracketsMatter && other.bracket === "["))) {
      if (!p.bracketsMatter || (!i.loClosed && !i.hiClosed)) return listsEqual([parse(i.lo), parse(i.hi)], other.items, true, p, budget)
    }
    if (!p.bracketsMatter && other.kind === "list") return equal(stripBrackets(i), other, p, budget)
    return no("interval-differ")
  }

  const la = asList(a)
  const lb = asList(b)
  if (la !== undefined || lb !== undefined) {
    if (la !== undefined && lb !== undefined) {
      const bare = (x: string): string => (x === "{" ? "none" : x)
      const ba = bare((a as Extract<Node, { kind: "list" }>).bracket)
      const bb = bare((b as Extract<Node, { kind: "list" }>).bracket)
      const explicitSet = ba === "\\{" || bb === "\\{"
      const tuple = ba === "(" || ba === "[" || bb === "(" || bb === "["
      if (explicitSet && tuple) {
        // `\{(1,2)\}` against the tuple `(1,2)`: a set of tuples against its one element.
        const set = (ba === "\\{" ? a : b) as Extract<Node, { kind: "list" }>
        const single = ba === "\\{" ? b : a
        const tuples = set.items.every((i) => i.kind === "list" && i.bracket === "(")
        return tuples ? listsEqual(set.items, [single], false, p, budget) : no("set-vs-tuple")
      }
      if (p.bracketsMatter && tuple && ba !== "none" && bb !== "none" && ba !== bb) return no("bracket-differ")
      const ordered = tuple || (p.orderedLists && !explicitSet)
      return listsEqual(la, lb, ordered, p, budget)
    }
    // A one-element list against a single answer.
    const list = (la ?? lb) as ReadonlyArray<Node>
    const other = la !== undefined ? b : a
    if (list.length === 1) return equal(list[0] as Node, other, p, budget)
    // A decimal comma (`1,5`, `-2,74`) against a single number.
    const comma = p.structural ? DECIMAL_COMMA.exec((la !== undefined ? a : b).src) : null
    if (comma !== null && other.kind === "expr") {
      const v = exprEqual(`${comma[1]}.${comma[2]}`, other.src, p, budget)
      if (v.equal) return yes(`decimal-comma:${v.rule}`)
    }
    // The same answer given in several equivalent forms ("15 39/40, or 639/40").
    if (p.structural && list.length <= 4 && list.every((x) => equal(x, other, p, budget).equal)) return yes("all-forms-equal")
    return no("list-vs-single")
  }

  if (a.kind === "expr" && b.kind === "expr") return exprEqual(a.src, b.src, p, budget)
  return no("kind-differ")
}

/** Two descriptions of a set of reals (inequality, union, intervals) compared by membership. */
const setEqual = (a: Node, b: Node, p: Policy, budget: Budget, otherwise: string): Verdict => {
  if (!p.structural) return no(otherwise)
  budget.check()
  const same = sameSet(a, b)
  return same === true ? yes("set-membership-equal") : no(same === false ? "set-membership-differ" : otherwise)
}

const CONSTANT_COMMANDS = /\\(?:times|cdot|frac|dfrac|sqrt|div|left|right|pi|binom)/g
const isConstantText = (s: string): boolean => !/[a-zA-Z]/.test(s.replace(CONSTANT_COMMANDS, ""))
const isSymbol = (s: string): boolean => /^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?(?:\([a-z]\))?$/.test(s.trim())

/** The side of an equation that is its answer when it is compared with a bare value, if any. */
const answerSide = (e: Extract<Node, { kind: "equation" }>, p: Policy): "lhs" | "rhs" | undefined => {
  // A name (`x`, `f(x)`, `a_{n+1}`, `(p,q)`, `\frac{NO}{BO}`), not a combination of names (`b - a`).
  if (isNameLike(e.lhs) && !/[-+*]|\\(?:cdot|times|div|pm)/.test(e.lhs.replace(/_\{[^{}]*\}|_\w/g, ""))) return "rhs"
  if (!p.structural || !isConstantText(e.lhs)) return undefined
  if (isConstantText(e.rhsSrc)) return "rhs"
  return isSymbol(e.rhsSrc) ? "lhs" : undefined
}

/**
 * The constant factor c with fa = c · fb on every sample point where both are
 * finite and fb is not ≈ 0 (ratios agreeing within `relTol`); undefined when
 * fa and fb are not functions of the same variables, no point is usable, or
 * the ratio varies. Equations and inequalities are equal up to such a factor.
 */
const sampleRatio = (fa: Value, fb: Value, relTol: number): number | undefined => {
  if (fa.kind !== "function" || fb.kind !== "function") return undefined
  if (fa.vars.join() !== fb.vars.join()) return undefined
  let ratio: number | undefined
  for (let k = 0; k < fa.samples.length; k++) {
    const u = fa.samples[k] as number
    const w = fb.samples[k] as number
    if (!Number.isFinite(u) || !Number.isFinite(w) || Math.abs(w) < 1e-12) continue
    const r = u / w
    if (ratio === undefined) ratio = r
    else if (!close(r, ratio, relTol)) return undefined
  }
  return ratio
}

const proportional = (
  a: Extract<Node, { kind: "equation" }>,
  b: Extract<Node, { kind: "equation" }>,
  p: Policy
): boolean => {
  const ratio = sampleRatio(valueOf(`${a.lhs}-(${a.rhsSrc})`, "a"), valueOf(`${b.lhs}-(${b.rhsSrc})`, "b"), Math.max(p.relTol, 1e-9))
  return ratio !== undefined && ratio !== 0
}

const inequalityEqual = (
  a: Extract<Node, { kind: "inequality" }>,
  b: Extract<Node, { kind: "inequality" }>,
  p: Policy,
  budget: Budget
): Verdict => {
  if (a.parts.length === 2 && b.parts.length === 2 && p.structural) {
    // Canonical form f < 0 / f ≤ 0 / f ≠ 0, compared up to a positive factor.
    const canon = (n: Extract<Node, { kind: "inequality" }>): { f: string; op: string } => {
      const [l, r] = n.parts as [string, string]
      const op = n.ops[0] as string
      if (op === ">" ) return { f: `${r}-(${l})`, op: "<" }
      if (op === "\\ge") return { f: `${r}-(${l})`, op: "\\le" }
      return { f: `${l}-(${r})`, op }
    }
    const ca = canon(a)
    const cb = canon(b)
    if (ca.op !== cb.op) return no("inequality-differ")
    budget.check()
    const ratio = sampleRatio(valueOf(ca.f, "a"), valueOf(cb.f, "b"), 1e-9)
    return ratio !== undefined && (ratio > 0 || (ca.op === "\\ne" && ratio !== 0)) ? yes("inequality-equal") : no("inequality-differ")
  }
  if (a.parts.length !== b.parts.length || a.ops.join() !== b.ops.join()) return no("inequality-differ")
  for (let k = 0; k < a.parts.length; k++) {
    if (!exprEqual(a.parts[k] as string, b.parts[k] as string, p, budget).equal) return no("inequality-differ")
  }
  return yes("inequality-equal")
}

/** Equivalence of two answer strings (already extracted) under a policy. */
export const answersEqual = (a: string, b: string, p: Policy, budget: Budget): Verdict => normalizedEqual(normalize(a), normalize(b), p, budget)

/** `answersEqual` on answers already normalised (`normalize`). */
export const normalizedEqual = (na: string, nb: string, p: Policy, budget: Budget): Verdict => {
  if (isUndefinedForm(na) || isUndefinedForm(nb)) return no("undefined")
  if (key(na) === key(nb)) return yes("string-equal")
  return equal(parse(na), parse(nb), p, budget)
}

/**
 * Sets of reals described in different ways — an inequality (`2 \le |x-1| \le 5`,
 * `x^2 < 4`), inequalities joined by "or", intervals and their unions — compared
 * by membership. The points tested are every interval endpoint and every
 * boundary of the inequalities (sign changes of lhs − rhs on a grid, refined by
 * bisection), each with its neighbours at a relative distance of 1e-9, plus the
 * grid itself and far points. Two descriptions agree iff membership agrees at
 * all of them; a boundary that moves by more than 1e-9 (relatively) or a
 * bracket that changes is caught. Isolated points that are not boundaries of
 * either side (`(x-3)^2 \le 0`) are not searched for.
 */
import { functionOf, type RealFunction, valueOf } from "./Numeric.ts"
import * as Q from "./Rational.ts"
import type { Node, Relation } from "./Structure.ts"

interface SetDescription {
  readonly contains: (x: number) => boolean
  /** Points where membership may change. */
  readonly points: ReadonlyArray<number>
  /** lhs − rhs of every relation, whose sign changes are boundaries too. */
  readonly boundaries: ReadonlyArray<(x: number) => number>
  readonly variable: string | undefined
}

const GRID = 400
const NEIGHBOUR = 1e-9

const endpoint = (src: string): number | undefined => {
  const t = src.replace(/\s+/g, "")
  if (t === "\\infty" || t === "+\\infty") return Number.POSITIVE_INFINITY
  if (t === "-\\infty") return Number.NEGATIVE_INFINITY
  const v = valueOf(src, src)
  return v.kind === "rational" ? Q.toNumber(v.r) : v.kind === "real" && Number.isFinite(v.v) ? v.v : undefined
}

const holds = (op: Relation, l: number, r: number): boolean =>
  op === "<" ? l < r : op === ">" ? l > r : op === "\\le" ? l <= r : op === "\\ge" ? l >= r : l !== r && !Number.isNaN(l) && !Number.isNaN(r)

const sameVariable = (xs: ReadonlyArray<string | undefined>): { ok: boolean; variable: string | undefined } => {
  const named = [...new Set(xs.filter((v): v is string => v !== undefined))]
  return { ok: named.length <= 1, variable: named[0] }
}

/** The set an answer describes, when it is a set of reals in at most one variable. */
const describe = (n: Node, depth = 0): SetDescription | undefined => {
  if (depth > 4) return undefined
  switch (n.kind) {
    case "interval": {
      const lo = endpoint(n.lo)
      const hi = endpoint(n.hi)
      if (lo === undefined || hi === undefined || !(lo <= hi)) return undefined
      return {
        contains: (x) => (n.loClosed ? x >= lo : x > lo) && (n.hiClosed ? x <= hi : x < hi),
        points: [lo, hi].filter(Number.isFinite),
        boundaries: [],
        variable: undefined
      }
    }
    case "inequality": {
      const fs = n.parts.map(functionOf)
      if (fs.some((f) => f === undefined)) return undefined
      const parts = fs as ReadonlyArray<RealFunction>
      const v = sameVariable(parts.map((f) => f.variable))
      if (!v.ok || v.variable === undefined) return undefined
      const boundaries = n.ops.map((_, k) => (x: number) => (parts[k] as RealFunction).at(x) - (parts[k + 1] as RealFunction).at(x))
      return {
        contains: (x) => {
          const vals = parts.map((f) => f.at(x))
          return n.ops.every((op, k) => holds(op, vals[k] as number, vals[k + 1] as number))
        },
        points: [],
        boundaries,
        variable: v.variable
      }
    }
    case "list":
    case "union": {
      // `(a, b)` against an inequality: the open interval.
      if (n.kind === "list" && n.bracket === "(" && n.items.length === 2 && n.items.every((i) => i.kind === "expr")) {
        const [lo, hi] = n.items as [Node, Node]
        return describe({ kind: "interval", lo: lo.src, hi: hi.src, loClosed: false, hiClosed: false, src: n.src }, depth + 1)
      }
      const items = n.kind === "union" ? n.parts : n.items
      if (n.kind === "list" && (n.bracket !== "none" || !items.every((i) => i.kind === "inequality"))) return undefined
      const ds = items.map((i) => describe(i, depth + 1))
      if (ds.some((d) => d === undefined)) return undefined
      const parts = ds as ReadonlyArray<SetDescription>
      const v = sameVariable(parts.map((d) => d.variable))
      if (!v.ok) return undefined
      return {
        contains: (x) => parts.some((d) => d.contains(x)),
        points: parts.flatMap((d) => d.points),
        boundaries: parts.flatMap((d) => d.boundaries),
        variable: v.variable
      }
    }
    default:
      return undefined
  }
}

/** Roots of `f` on the grid: sign changes refined by bisection. */
const roots = (f: (x: number) => number, grid: ReadonlyArray<number>): Array<number> => {
  const out: Array<number> = []
  let px = grid[0] as number
  let pv = f(px)
  for (let k = 1; k < grid.length; k++) {
    const x = grid[k] as number
    const v = f(x)
    if (v === 0) out.push(x)
    else if (Number.isFinite(pv) && Number.isFinite(v) && Math.sign(pv) * Math.sign(v) < 0) {
      let lo = px
      let hi = x
      for (let i = 0; i < 80 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
        const mid = (lo + hi) / 2
        if (Math.sign(f(mid)) === Math.sign(pv)) lo = mid
        else hi = mid
      }
      out.push((lo + hi) / 2)
    }
    px = x
    pv = v
  }
  return out
}

/**
 * Whether two answers describe the same set of reals: `true`/`false` when both
 * are set descriptions this module understands (with at least one inequality or
 * union among them), `undefined` otherwise.
 */
export const sameSet = (a: Node, b: Node): boolean | undefined => {
  const da = describe(a)
  const db = describe(b)
  if (da === undefined || db === undefined) return undefined
  if (da.variable !== undefined && db.variable !== undefined && da.variable !== db.variable) return false
  const known = [...da.points, ...db.points]
  const reach = Math.max(10, ...known.map((p) => 2 * Math.abs(p) + 1))
  const grid = Array.from({ length: GRID + 1 }, (_, k) => -reach + (2 * reach * k) / GRID)
  // Endpoints are probed themselves (brackets matter there); a boundary found numerically is
  // probed only beside itself, where rounding in evaluating the inequality cannot decide.
  const found = [...da.boundaries, ...db.boundaries].flatMap((f) => roots(f, grid))
  const probes = [...grid, -1e6 * reach, 1e6 * reach, ...known]
  for (const c of [...known, ...found]) {
    const d = NEIGHBOUR * Math.max(1, Math.abs(c))
    probes.push(c - d, c + d)
  }
  return probes.every((x) => da.contains(x) === db.contains(x))
}

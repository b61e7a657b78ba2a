/**
 * A fast parser for the everyday subset of answer LaTeX (numbers, variables,
 * + − × ÷, \frac, \sqrt, powers, π, e, parentheses, elementary functions) into
 * the same MathJSON shapes the CAS produces. It answers in microseconds where the
 * CAS takes milliseconds; anything outside the subset (or ambiguous) returns
 * `undefined` and goes to the CAS. It only builds a tree: nothing is simplified.
 */

type Json = number | string | ReadonlyArray<Json>

const FUNCS: Record<string, string> = {
  sin: "Sin",
  cos: "Cos",
  tan: "Tan",
  sec: "Sec",
  csc: "Csc",
  cot: "Cot",
  arcsin: "Arcsin",
  arccos: "Arccos",
  arctan: "Arctan",
  sinh: "Sinh",
  cosh: "Cosh",
  tanh: "Tanh",
  ln: "Ln",
  log: "Log",
  exp: "Exp"
}
const GREEK = new Set(["alpha", "beta", "gamma", "theta", "phi", "lambda", "mu", "omega", "sigma", "tau", "rho", "delta"])

class Reject extends Error {}

class Parser {
  i = 0
  depth = 0
  constructor(readonly s: string) {}

  skip(): void {
    while (this.i < this.s.length && this.s[this.i] === " ") this.i++
  }
  peek(): string {
    this.skip()
    return this.s[this.i] ?? ""
  }
  command(): string | undefined {
    this.skip()
    if (this.s[this.i] !== "\\") return undefined
    const m = /^\\([a-zA-Z]+)/.exec(this.s.slice(this.i, this.i + 20))
    return m === null ? undefined : (m[1] as string)
  }
  eat(c: string): void {
    if (this.peek() !== c) throw new Reject(c)
    this.i++
  }
  enter(): void {
    if (++this.depth > 60) throw new Reject("depth")
  }

  expr(): Json {
    this.enter()
    const terms: Array<Json> = []
    let sign = 1
    if (this.peek() === "-") {
      this.i++
      sign = -1
    } else if (this.peek() === "+") this.i++
    let t = this.term()
    terms.push(sign < 0 ? ["Negate", t] : t)
    for (;;) {
      const c = this.peek()
      if (c !== "+" && c !== "-") break
      this.i++
      t = this.term()
      terms.push(c === "-" ? ["Negate", t] : t)
    }
    this.depth--
    return terms.length === 1 ? (terms[0] as Json) : ["Add", ...terms]
  }

  term(): Json {
    let acc = this.power()
    let divided = false
    for (;;) {
      const c = this.peek()
      const cmd = this.command()
      if (c === "*" || cmd === "cdot" || cmd === "times") {
        this.i += c === "*" ? 1 : (cmd as string).length + 1
        if (divided) throw new Reject("ambiguous")
        acc = ["Multiply", acc, this.power()]
      } else if (c === "/" || cmd === "div") {
        this.i += c === "/" ? 1 : 4
        acc = ["Divide", acc, this.power()]
        divided = true
      } else if (this.startsFactor()) {
        if (divided) throw new Reject("ambiguous")
        acc = ["Multiply", acc, this.power()]
      } else break
    }
    return acc
  }

  startsFactor(): boolean {
    const c = this.peek()
    if (/[0-9.a-zA-Z(]/.test(c)) return true
    const cmd = this.command()
    return cmd !== undefined && (cmd === "frac" || cmd === "sqrt" || cmd === "binom" || cmd === "pi" || cmd in FUNCS || GREEK.has(cmd))
  }

  power(): Json {
    const base = this.postfix(this.atom())
    if (this.peek() === "^") {
      this.i++
      const e = this.exponent()
      return ["Power", base, e]
    }
    return base
  }

  postfix(a: Json): Json {
    if (this.peek() === "!") {
      this.i++
      return ["Factorial", a]
    }
    return a
  }

  exponent(): Json {
    if (this.peek() === "{") return this.group()
    if (this.peek() === "-") {
      this.i++
      return ["Negate", this.atom()]
    }
    const c = this.peek()
    if (/[0-9]/.test(c)) {
      this.i++
      return Number(c)
    }
    return this.atom()
  }

  group(): Json {
    this.eat("{")
    const e = this.expr()
    this.eat("}")
    return e
  }

  atom(): Json {
    const c = this.peek()
    if (/[0-9.]/.test(c)) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(this.s.slice(this.i))
      if (m === null) throw new Reject("number")
      this.i += m[0].length
      if (m[0].length > 15) throw new Reject("long number")
      return Number(m[0])
    }
    if (c === "(") {
      this.i++
      const e = this.expr()
      this.eat(")")
      return e
    }
    if (c === "{") return this.group()
    if (/[a-zA-Z]/.test(c)) {
      this.i++
      if (this.peek() === "_") {
        this.i++
        const m = /^(?:\{\s*([a-zA-Z0-9]+)\s*\}|([a-zA-Z0-9]))/.exec(this.s.slice(this.i))
        if (m === null) throw new Reject("subscript")
        this.i += m[0].length
        const sub = (m[1] ?? m[2]) as string
        return ["At", c, /^\d+$/.test(sub) ? Number(sub) : sub]
      }
      if (this.peek() === "(" && c >= "a" && c <= "z" && /[fgh]/.test(c)) throw new Reject("function call")
      return c === "e" ? "ExponentialE" : c
    }
    const cmd = this.command()
    if (cmd === undefined) throw new Reject(c)
    this.i += cmd.length + 1
    if (cmd === "pi") return "Pi"
    if (cmd === "infty") return "PositiveInfinity"
    if (GREEK.has(cmd)) return cmd
    if (cmd === "frac") {
      const n = this.group()
      const d = this.group()
      return ["Divide", n, d]
    }
    if (cmd === "binom" || cmd === "dbinom" || cmd === "tbinom") {
      const n = this.group()
      const k = this.group()
      return ["Binomial", n, k]
    }
    if (cmd === "sqrt") {
      if (this.peek() === "[") {
        this.i++
        const k = this.expr()
        this.eat("]")
        return ["Root", this.group(), k]
      }
      return ["Sqrt", this.group()]
    }
    const f = FUNCS[cmd]
    if (f !== undefined) {
      let pow: Json | undefined
      if (this.peek() === "^") {
        this.i++
        pow = this.exponent()
      }
      let arg: Json
      if (this.peek() === "(") {
        this.i++
        arg = this.expr()
        this.eat(")")
      } else if (this.peek() === "{") arg = this.group()
      else {
        if (pow !== undefined) throw new Reject("ambiguous power")
        const a = this.peek()
        if (!/[a-zA-Z0-9]/.test(a)) throw new Reject("argument")
        arg = this.atom()
        if (this.startsFactor() || this.peek() === "^") throw new Reject("ambiguous argument")
      }
      const app: Json = [f, arg]
      return pow === undefined ? app : ["Power", app, pow]
    }
    throw new Reject(cmd)
  }
}

/** MathJSON for `latex` when it is in the fast subset, else `undefined`. */
export const fastParse = (latex: string): Json | undefined => {
  if (latex.length > 300) return undefined
  try {
    const p = new Parser(latex)
    const e = p.expr()
    p.skip()
    return p.i === latex.length ? e : undefined
  } catch {
    return undefined
  }
}

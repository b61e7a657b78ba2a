/**
 * The class of "an error lost its cause": every error built inside a failure
 * handler (`catch: (e) => new X({…})`, `mapError((e) => new X({…}))`) must
 * keep what it caught as `cause`, so `--verbose` and callers can see the
 * original. Scans every package's sources, so a new handler that drops the
 * cause fails here, not in a user's debugging session.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const PACKAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

const sourcesOf = (dir: string): ReadonlyArray<string> =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourcesOf(path.join(dir, d.name)) : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []))
    : []

/** The text from `from` to where the enclosing bracket closes (the handler's body), at most `limit` characters. */
const handlerBody = (text: string, from: number, limit = 1200): string => {
  let depth = 0
  for (let i = from; i < Math.min(text.length, from + limit); i++) {
    const c = text[i]!
    if (c === "(" || c === "{" || c === "[") depth++
    else if (c === ")" || c === "}" || c === "]") {
      if (depth === 0) return text.slice(from, i)
      depth--
    }
  }
  return text.slice(from, from + limit)
}

/** The characters of `literal` outside any nested bracket: its own keys, not those of a nested object. */
const topLevel = (literal: string): string => {
  let depth = 0
  let out = ""
  for (const c of literal) {
    if (c === "(" || c === "{" || c === "[") depth++
    else if (c === ")" || c === "}" || c === "]") depth--
    else if (depth === 0) out += c
  }
  return out
}

/** Each `new X({ … })` in `body` whose object literal has no `cause` key of its own. */
const constructorsWithoutCause = (body: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const m of body.matchAll(/new ([A-Z]\w*)\(\{/g)) {
    const literal = handlerBody(body, m.index + m[0].length)
    if (!/\bcause\b/.test(topLevel(literal))) out.push(`new ${m[1]}({${literal.slice(0, 60).replace(/\s+/g, " ")}…`)
  }
  return out
}

/** Failure handlers: `catch: (e) =>`, `catch: () =>`, `mapError((e) =>` (a handler with no parameter drops the cause by construction). */
const HANDLER = /catch: \((\w*)\) =>|mapError\(\((\w*)\) =>/g

const offenders = (): ReadonlyArray<string> =>
  fs.readdirSync(PACKAGES).flatMap((pkg) =>
    sourcesOf(path.join(PACKAGES, pkg, "src")).flatMap((file) => {
      const text = fs.readFileSync(file, "utf8")
      return [...text.matchAll(HANDLER)].flatMap((m) => {
        const line = text.slice(0, m.index).split("\n").length
        return constructorsWithoutCause(handlerBody(text, m.index + m[0].length)).map((c) => `${path.relative(PACKAGES, file)}:${line}: ${c}`)
      })
    })
  )

describe("errors keep their cause", () => {
  it("the scanner finds a dropped cause and accepts a kept one", () => {
    expect(constructorsWithoutCause(`new FileError({ path, reason: String(e) })`)).toHaveLength(1)
    expect(constructorsWithoutCause(`e instanceof X ? e : new InvalidInput({ input: p, expected: "x", cause: e })`)).toEqual([])
    expect(constructorsWithoutCause(`new A({ x: new B({ cause: e }) })`)).toHaveLength(1)
  })

  it("no failure handler in any package builds an error without `cause`", () => {
    expect(offenders()).toEqual([])
  })
})

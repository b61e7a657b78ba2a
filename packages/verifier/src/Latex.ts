/**
 * Small, iterative LaTeX scanning helpers (no recursion, so 10^4 nested braces
 * cannot overflow the stack): balanced groups, `\boxed` arguments, top-level splits.
 */

/** Index of the `}` closing the `{` at `open`, or -1 when the group never closes. */
export const matchBrace = (s: string, open: number): number => {
  let depth = 0
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 92 /* \ */) {
      i++ // skip the escaped character (`\{`, `\}`)
      continue
    }
    if (c === 123 /* { */) depth++
    else if (c === 125 /* } */) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

export interface Box {
  readonly start: number
  readonly end: number
  /** The argument, or `null` for an unfinished box. */
  readonly content: string | null
}

const BOX = /\\(?:boxed|fbox)(?![a-zA-Z])/g

/** Every `\boxed{…}` / `\fbox{…}` / `\boxed 5`, in order of appearance. */
export const findBoxes = (s: string): Array<Box> => {
  const out: Array<Box> = []
  BOX.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = BOX.exec(s)) !== null) {
    let i = m.index + m[0].length
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++
    if (s[i] === "{") {
      const close = matchBrace(s, i)
      if (close < 0) {
        out.push({ start: m.index, end: s.length, content: null })
        break
      }
      out.push({ start: m.index, end: close + 1, content: s.slice(i + 1, close) })
      BOX.lastIndex = close + 1
    } else {
      // `\boxed 5`: one token up to whitespace, `$` or the end.
      let j = i
      while (j < s.length && !/[\s$]/.test(s[j] as string)) j++
      const tok = s.slice(i, j).replace(/[.,;]+$/, "")
      out.push({ start: m.index, end: j, content: tok.length > 0 ? tok : null })
      BOX.lastIndex = Math.max(j, i + 1)
    }
  }
  return out
}

const OPEN = new Set(["(", "[", "{"])
const CLOSE = new Set([")", "]", "}"])

/**
 * Splits at `sep` occurrences that are outside every bracket. Bracket kinds are
 * not matched against each other, so half-open intervals `[0,1)` count as one group.
 */
export const splitTopLevel = (s: string, isSep: (s: string, i: number) => number): Array<string> => {
  const parts: Array<string> = []
  let depth = 0
  let last = 0
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string
    if (c === "\\") {
      // `\{` and `\}` are brackets; other commands are skipped whole.
      const n = s[i + 1]
      if (n === "{" || n === "}") {
        depth += n === "{" ? 1 : -1
        i++
        continue
      }
      if (depth === 0) {
        const len = isSep(s, i)
        if (len > 0) {
          parts.push(s.slice(last, i))
          last = i + len
          i = last - 1
          continue
        }
      }
      i++
      while (i + 1 < s.length && /[a-zA-Z]/.test(s[i + 1] as string)) i++
      continue
    }
    if (OPEN.has(c)) depth++
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1)
    else if (depth === 0) {
      const len = isSep(s, i)
      if (len > 0) {
        parts.push(s.slice(last, i))
        last = i + len
        i = last - 1
      }
    }
  }
  parts.push(s.slice(last))
  return parts
}

/** Index of the bracket closing the one at `open` (any bracket kinds), or -1. */
export const matchBracket = (s: string, open: number): number => {
  let depth = 0
  for (let i = open; i < s.length; i++) {
    const c = s[i] as string
    if (c === "\\") {
      const n = s[i + 1]
      if (n === "{") depth++
      else if (n === "}") {
        depth--
        if (depth === 0) return i + 1
      }
      i++
      continue
    }
    if (OPEN.has(c)) depth++
    else if (CLOSE.has(c)) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

/** Maximum bracket nesting depth, to keep pathological inputs away from the CAS. */
export const nestingDepth = (s: string): number => {
  let depth = 0
  let max = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 123 || c === 40 || c === 91) {
      depth++
      if (depth > max) max = depth
    } else if (c === 125 || c === 41 || c === 93) depth--
  }
  return max
}

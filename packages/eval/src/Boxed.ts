/**
 * The last `\boxed{…}` of a text, with balanced braces. Used to read Minerva
 * Math's gold answers out of its solutions (as the Qwen2.5-Math evaluation code
 * does) and as the fallback answer key for majority voting; response grading
 * itself is the Verifier's job.
 */

/** Content of the last `\boxed{…}` (or `\fbox{…}`) in `text`, or `null` when there is none or its braces never close. */
export const lastBoxed = (text: string): string | null => {
  const re = /\\(?:boxed|fbox)\s*\{/g
  let start = -1
  for (let m = re.exec(text); m !== null; m = re.exec(text)) start = m.index + m[0].length
  if (start < 0) return null
  let depth = 1
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (ch === "\\") {
      i++ // skip an escaped character such as \{ or \}
      continue
    }
    if (ch === "{") depth++
    else if (ch === "}") {
      depth--
      if (depth === 0) return text.slice(start, i)
    }
  }
  return null
}

/**
 * Answer extraction: finds the final answer in a model response. `null` means
 * "no answer" — the format signal used by the `format` mode and as reward 0.
 */
import { findBoxes } from "./Latex.ts"

/** How a mode looks for the answer. */
export type ExtractionStyle =
  /** Boxes (joined when several), "final answer" phrases, last math or number: Math-Verify-like. */
  | "strict"
  /** Qwen2.5-Math `extract_answer`: Minerva phrase, last box, "the answer is", last number. */
  | "qwen"
  /** DeepScaleR: the last `\boxed{}` only. */
  | "boxed"

export interface Extraction {
  readonly answer: string
  /** Where the answer came from, e.g. `boxed`, `boxed-joined`, `phrase`, `math`, `number`. */
  readonly source: string
  readonly position: number
}

/** Separator text allowed between boxes that are joined into one answer. */
const isConnective = (sep: string): boolean => {
  if (sep.length > 200) return false
  const t = sep
    .replace(/\\(?:text|textbf|mathrm|mbox)\{([^{}]*)\}/g, " $1 ")
    .replace(/\\(?:qquad|quad|[,;:! ]|\[|\]|\(|\))/g, " ")
    .replace(/\\\\/g, " ")
    .replace(/\((?:[a-z]|i{1,3}|iv|v|vi)\)/g, " ")
    .replace(/\b(?:and|or|for|part|parts)\b/gi, " ")
    .replace(/[a-zA-Z](?:_\{?\w+\}?)?\s*=/g, " ")
  return !/[\p{L}\p{N}]/u.test(t)
}

/** At most this many boxes are joined into one answer. */
const MAX_JOINED_BOXES = 64

/**
 * Words just before a box that reject it: "7 and not \boxed{5}", "rather than", "instead of",
 * "nicht", "pas", "不是". Only spacing and math delimiters may stand between them and the box.
 */
const REJECTED_BEFORE =
  /(?:(?<![\p{L}])(?:not|never|nor|no|rather\s+than|instead\s+of|nicht|kein|pas|non|nunca|jamais)|n't|不是|而非|并非|≠|\\neq?)(?:\s+(?:equal\s+to|equals?|be|to\s+be|just|simply|the\s+answer|is))*[\s$(\\[{]*$/iu
/** Words just after a box that reject it: "\boxed{5} is wrong", "\boxed{5} (incorrect)". */
const REJECTED_AFTER =
  /^[\s$)}.,\\\]]*(?:(?:is|was|would\s+be|seems|are)\s+(?:wrong|incorrect|invalid|impossible|false|a\s+mistake|an?\s+error|not\s+(?:correct|right|valid|possible|the\s+(?:final\s+|correct\s+)?answer|a\s+solution))|\(\s*(?:wrong|incorrect|rejected)\s*\))/i

type Boxes = ReturnType<typeof findBoxes>

/** Whether the response rejects box `k` ("not \boxed{5}", "\boxed{5} is wrong"). */
const isRejected = (s: string, boxes: Boxes, k: number): boolean => {
  const b = boxes[k] as Boxes[number]
  const from = Math.max(k > 0 ? (boxes[k - 1] as Boxes[number]).end : 0, b.start - 80)
  const to = Math.min(k + 1 < boxes.length ? (boxes[k + 1] as Boxes[number]).start : s.length, b.end + 80)
  return REJECTED_BEFORE.test(s.slice(from, b.start)) || REJECTED_AFTER.test(s.slice(b.end, to))
}

/**
 * The last box, joined with the boxes before it when only connectives separate them.
 * With `join` (strict extraction), a box the response rejects is not its answer.
 */
export function extractBoxed(s: string, join: false): Extraction | null | "unfinished"
export function extractBoxed(s: string, join?: true): Extraction | null | "unfinished" | "rejected"
export function extractBoxed(s: string, join = true): Extraction | null | "unfinished" | "rejected" {
  const boxes = findBoxes(s)
  if (boxes.length === 0) return null
  if ((boxes[boxes.length - 1] as Boxes[number]).content === null) return "unfinished"
  let lastIndex = boxes.length - 1
  if (join) {
    while (lastIndex >= 0 && isRejected(s, boxes, lastIndex)) lastIndex--
    if (lastIndex < 0) return "rejected"
  }
  const last = boxes[lastIndex] as Boxes[number]
  if (last.content === null) return "unfinished"
  // An empty box states nothing.
  if (last.content.trim().length === 0) return null
  if (!join) return { answer: last.content, source: "boxed", position: last.start }
  const parts = [last.content]
  let first = last
  for (let k = lastIndex - 1; k >= 0 && parts.length < MAX_JOINED_BOXES; k--) {
    const b = boxes[k] as Boxes[number]
    if (b.content === null || !isConnective(s.slice(b.end, first.start)) || isRejected(s, boxes, k)) break
    parts.unshift(b.content)
    first = b
  }
  return {
    answer: parts.join(", "),
    source: parts.length > 1 ? "boxed-joined" : "boxed",
    position: last.start
  }
}

const PHRASES: ReadonlyArray<{ re: RegExp; colon: boolean }> = [
  { re: /final answer is/gi, colon: false },
  { re: /the answer is/gi, colon: false },
  { re: /answer is:?/gi, colon: false },
  { re: /final answer\s*\**\s*[:：]/gi, colon: true },
  { re: /\banswer\s*\**\s*[:：]/gi, colon: true },
  { re: /réponse\s*(?:est|:)/gi, colon: true },
  { re: /答案\s*(?:是|为|[:：])/g, colon: true }
]

/** Cheap gate: the other languages' phrases are only searched for when one of their words occurs. */
const OTHER_LANGUAGE_WORD = /respuesta|resposta|risposta|réponse|antw|ergebnis|resultat|jawaban|cevap|odpowied|ответ|відповід|答|解答|정답|답|الإجابة|الجواب|उत्तर|结果|উত্তর|సమాధానం|คำตอบ|jibu/i

const OTHER_PHRASES: ReadonlyArray<{ re: RegExp; colon: boolean }> = [
  // "the (final) answer is" and "answer:".
  { re: /respuesta(?:\s+(?:final|correcta))?\s+(?:es|será)(?!\p{L})/giu, colon: false },
  { re: /resposta(?:\s+(?:final|correta))?\s+(?:é|será)(?!\p{L})/giu, colon: false },
  { re: /réponse(?:\s+(?:finale|correcte))?\s+(?:est|sera)(?!\p{L})/giu, colon: false },
  { re: /risposta(?:\s+(?:finale|corretta))?\s+(?:è|sarà)(?!\p{L})/giu, colon: false },
  { re: /antwort\s+(?:ist|lautet)(?:\s+(?:also|daher|somit))?(?!\p{L})/giu, colon: false },
  { re: /(?:ergebnis|resultat)\s+(?:ist|lautet)(?!\p{L})/giu, colon: false },
  { re: /antwoord\s+is(?!\p{L})/giu, colon: false },
  { re: /jawaban(?:nya)?\s+(?:adalah|ialah)(?!\p{L})/giu, colon: false },
  { re: /(?:respuesta|resposta|risposta|antwort|antwoord|jawaban|cevap|odpowiedź|ответ|відповідь)\s*(?:final\w*\s*)?[:：]/giu, colon: true },
  { re: /ответ\s+(?:равен|будет|—)/giu, colon: false },
  { re: /(?:最终答案|最后答案|结果)\s*(?:是|为|[:：])/gu, colon: true },
  { re: /(?:答え|解答)\s*(?:は|[:：])/gu, colon: true },
  { re: /(?:정답|답)\s*(?:은|는|[:：])/gu, colon: true },
  { re: /(?:الإجابة|الجواب)\s*(?:هي|هو|[:：])/gu, colon: true },
  { re: /उत्तर\s*(?:है|[:：])/gu, colon: true },
  { re: /(?:উত্তর|సమాధానం|คำตอบ(?:คือ)?|jibu(?:\s+ni)?)\s*[:：]?/giu, colon: true }
]

const MATH_SEGMENT = /\$\$([\s\S]+?)\$\$|(?<!\\)\$((?:\\\$|[^$\n])+?)(?<!\\)\$|\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]/g

/** A number-like token in running text: 1,000.5  -3  2/3  \frac{2}{5}  12%. */
const NUMBER_TOKEN =
  /-?(?:\\[dtc]?frac\{\d+\}\{\d+\}|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}(?![.\d])|\d{1,3}(?:(?:['’ \u00a0\u202f]|\\,)\d{3})+(?![\d])(?:[.,]\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+,\d+(?![\d,])|\d+(?:\.\d+)?(?:\s?\/\s?\d+(?:\.\d+)?)?|\.\d+)(?:\s?%)?/g

const wordy = (s: string): boolean => /(?<![\\a-zA-Z])[a-zA-Z]{3,}[^a-zA-Z\\]+[a-zA-Z]{3,}/.test(s) || /[?？]/.test(s)

const firstMath = (s: string): string | undefined => {
  MATH_SEGMENT.lastIndex = 0
  const m = MATH_SEGMENT.exec(s)
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3] ?? m[4])
}

const firstNumber = (s: string): string | undefined => {
  NUMBER_TOKEN.lastIndex = 0
  const m = NUMBER_TOKEN.exec(s)
  return m === null ? undefined : m[0]
}

const NUMBER_SOURCE = NUMBER_TOKEN.source
const OPERATOR = String.raw`(?:[-+*/×÷·=]|\\times|\\cdot|\\div)`
/** A computation in running text: `3 × 4 = 12`, `12000/40 = 300`. */
const COMPUTATION = new RegExp(String.raw`(?:${NUMBER_SOURCE})(?:\s*${OPERATOR}\s*(?:${NUMBER_SOURCE}))+`)

/** The first number of a sentence, or the result of its first computation (`2 + 3 = 5 apples` → 5). */
const firstResult = (s: string): string | undefined => {
  const m = COMPUTATION.exec(s)
  const n = firstNumber(s)
  if (m === null || !m[0].includes("=")) return n
  NUMBER_TOKEN.lastIndex = 0
  if (n !== undefined && s.indexOf(n) < m.index) return n
  return (m[0].split("=").pop() as string).trim()
}

/** Turns the text after an answer phrase into the answer itself. */
/** A chunk after an answer phrase that starts by rejecting: "not 5", "nicht 5", "pas 5", "不是5". */
const NEGATED_CHUNK = /^[\s*:：]*(?:not|nicht|pas|no\s+es|não\s+é|不是)(?!\p{L})/iu
/** What follows an answer and rejects another: "7, not 5", "7 (not 5)", "7 rather than 5". */
const REJECTED_TAIL = /\s*(?:[,;(—–]\s*)?(?:and\s+)?(?<!\p{L})(?:not|rather\s+than|instead\s+of|nicht|pas|不是)(?!\p{L}).*$/isu

const cleanChunk = (raw: string, colon: boolean): string | undefined => {
  let c = raw.replace(/^[\s*:：]+/, "")
  c = c.split(/I hope it is correct|\n\s*\n/)[0] as string
  c = c.replace(REJECTED_TAIL, "")
  if (colon) {
    const firstLine = c.split("\n").find((l) => l.trim().length > 0) ?? ""
    c = firstLine
    const is = c.lastIndexOf(" is ")
    if (is >= 0) c = c.slice(is + 4)
  }
  c = c.trim()
  const trimmedMath = c.replace(/^\*+|\*+$/g, "").trim()
  if (/^(\$|\\\(|\\\[)/.test(trimmedMath)) {
    const m = firstMath(trimmedMath)
    if (m !== undefined) return m
  }
  // Cut at the end of the sentence.
  c = (c.split(/\.(?=\s|$)|。|\n/)[0] as string).trim()
  c = c.replace(/^\*+|\*+$/g, "").trim()
  if (c.length === 0) return undefined
  if (wordy(c) || /[^\x00-\x7F]/.test(c.replace(/[πθ√∞±×÷°≤≥≠²³€£¥]/g, ""))) {
    const m = firstMath(c)
    if (m !== undefined) return m
    const n = firstResult(c)
    if (n !== undefined) return n
  }
  // A number followed by words: "4 manzanas", "12 Äpfel", "5 apples in all".
  const lead = /^(-?\d[\d.,]*(?:\s?\/\s?\d+)?%?)\s+\p{L}[\p{L}\s]*$/u.exec(c)
  if (lead !== null && !/^(?:and|or|und|oder|et|ou|y|o|e)\s/i.test(c.slice((lead[1] as string).length).trim() + " ")) return lead[1]
  // A computation followed by a word: "2 + 3 = 5 apples".
  if (/(?<![\\a-zA-Z])[a-zA-Z]{3,}/.test(c) && COMPUTATION.test(c) && c.includes("=")) return firstResult(c)
  return c.length > 0 ? c : undefined
}

const lastPhrase = (s: string, finalOnly = false): Extraction | null => {
  let best: { index: number; end: number; colon: boolean } | undefined
  const phrases = finalOnly || !OTHER_LANGUAGE_WORD.test(s) ? PHRASES : [...PHRASES, ...OTHER_PHRASES]
  for (const p of phrases) {
    if (finalOnly && !p.re.source.startsWith("final")) continue
    p.re.lastIndex = 0
    let m: RegExpExecArray | null
    while ((m = p.re.exec(s)) !== null) {
      // "the answer is not 5": a rejection, not an answer.
      if (NEGATED_CHUNK.test(s.slice(m.index + m[0].length, m.index + m[0].length + 12))) continue
      if (best === undefined || m.index > best.index) best = { index: m.index, end: m.index + m[0].length, colon: p.colon }
    }
  }
  if (best === undefined) return null
  const answer = cleanChunk(s.slice(best.end, best.end + 400), best.colon)
  return answer === undefined ? null : { answer, source: "phrase", position: best.index }
}

/** Text between two answers that joins them into one list: `,` `;` `and` `or` (and a few other languages'). */
const LIST_JOIN = /^\s*(?:,|;|,?\s*(?:and|or|et|ou|y|o|und|oder|e|和|或|与|及)\b|和|或|与|及|、)\s*$/iu

interface Token {
  readonly text: string
  readonly start: number
  readonly end: number
}

/** The last token, joined with the tokens before it when only list connectives separate them. */
const lastRun = (tokens: ReadonlyArray<Token>, s: string, source: string): Extraction | null => {
  const last = tokens[tokens.length - 1]
  if (last === undefined) return null
  const parts = [last.text]
  let first = last
  for (let k = tokens.length - 2; k >= 0 && parts.length < MAX_JOINED_BOXES; k--) {
    const t = tokens[k] as Token
    if (!LIST_JOIN.test(s.slice(t.end, first.start))) break
    parts.unshift(t.text)
    first = t
  }
  return { answer: parts.join(", "), source, position: last.end }
}

const lastMath = (s: string): Extraction | null => {
  const tokens: Array<Token> = []
  MATH_SEGMENT.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = MATH_SEGMENT.exec(s)) !== null) {
    const content = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? "").trim()
    if (content.length > 0 && !wordy(content)) tokens.push({ text: content, start: m.index, end: m.index + m[0].length })
  }
  return lastRun(tokens, s, "math")
}

const lastNumber = (s: string): Extraction | null => {
  const tokens: Array<Token> = []
  NUMBER_TOKEN.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = NUMBER_TOKEN.exec(s)) !== null) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length })
  return lastRun(tokens, s, "number")
}

/** A response that is itself just an answer: one math segment, or a short line without prose. */
const wholeAnswer = (s: string): Extraction | null => {
  const t = s.trim()
  MATH_SEGMENT.lastIndex = 0
  const m = MATH_SEGMENT.exec(t)
  if (m !== null && m.index === 0 && m[0].length === t.length) {
    const content = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? "").trim()
    if (content.length > 0) return { answer: content, source: "whole", position: 0 }
  }
  if (t.length === 0 || t.length > 120 || t.includes("\n")) return null
  const bare = t.replace(/\\(?:text|mbox|textbf|mathrm)\{[^{}]*\}/g, "")
  const words = bare.replace(/\\[a-zA-Z]+/g, " ").match(/[a-zA-Z]{2,}/g) ?? []
  if (words.length >= 2 || (words.some((w) => w.length >= 5) && /[\d$]/.test(bare))) return null
  if (wordy(bare) || /[^\x00-\x7F]/.test(bare.replace(/[πθ√∞±×÷°≤≥≠²³€£¥]/g, ""))) return null
  if (/[.!?]\s+[A-Z]/.test(bare)) return null
  // "so x < -2", "Thus, 5": a leading connective is not part of the answer.
  return { answer: t.replace(/^(?:so|thus|hence|therefore|then)\b[,:]?\s*/i, ""), source: "whole", position: 0 }
}

/** Qwen2.5-Math's fallback: the last `-?\d*\.?\d+` after removing commas. */
const qwenLastNumber = (s: string): Extraction | null => {
  const t = s.replace(/,/g, "")
  const re = /-?\d*\.?\d+/g
  let out: Extraction | null = null
  let m: RegExpExecArray | null
  while ((m = re.exec(t)) !== null) out = { answer: m[0], source: "number", position: m.index }
  return out
}

const END_MARKERS = /<\|im_start\|>|<\|im_end\|>|<\|endoftext\|>/

/** Zeros of the decimal digit blocks seen in model output (Arabic-Indic, Persian, Devanagari, Bengali, …, Thai, Lao, Myanmar, Khmer). */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810]

/** Full-width ASCII (common in CJK output: `１２`, `（Ａ）`) and other scripts' digits (`١٢`, `১২`, `१२`) to ASCII. */
export const toHalfWidth = (s: string): string => {
  let t = /[\uFF01-\uFF5E]/.test(s) ? s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : s
  if (/[\u0660-\u1819]/.test(t)) {
    t = t.replace(/[\u0660-\u1819]/g, (c) => {
      const cp = c.charCodeAt(0)
      const zero = DIGIT_ZEROS.find((z) => cp >= z && cp <= z + 9)
      return zero === undefined ? c : String.fromCharCode(48 + cp - zero)
    })
  }
  return t
}

/** The final answer of `response`, or `null` when it has none. */
export const extract = (input: string, style: ExtractionStyle = "strict"): Extraction | null => {
  const response = toHalfWidth(input)
  if (style === "boxed") {
    const b = extractBoxed(response, false)
    return b === "unfinished" ? null : b
  }
  if (style === "qwen") {
    const minerva = /final answer is \$(.+?)\$\. I hope/s.exec(response)
    if (minerva !== null) return { answer: minerva[1] as string, source: "phrase", position: minerva.index }
    const b = extractBoxed(response, false)
    if (b === "unfinished") return null
    if (b !== null) return b
    for (const phrase of ["he answer is", "final answer is"]) {
      const idx = response.lastIndexOf(phrase)
      if (idx >= 0) {
        const a = (response.slice(idx + phrase.length).split("\n\n")[0] as string).trim().replace(/^:\s*/, "").replace(/\.$/, "")
        if (a.length > 0) return { answer: a, source: "phrase", position: idx }
      }
    }
    return qwenLastNumber(response)
  }
  const cut = END_MARKERS.exec(response)
  const s = cut === null || cut.index < 20 ? response : response.slice(0, cut.index)
  const b = extractBoxed(s)
  // An unfinished final box, or boxes the response all rejects: no answer.
  if (b === "unfinished" || b === "rejected") return null
  if (b !== null) {
    // A "final answer" sentence after the last box overrides it ("...so our answer is correct" does not).
    const fin = lastPhrase(s, true)
    return fin !== null && fin.position > b.position ? fin : b
  }
  const phrase = lastPhrase(s)
  if (phrase !== null) return phrase
  const whole = wholeAnswer(s)
  if (whole !== null) return whole
  const math = lastMath(s)
  const num = lastNumber(s)
  if (math === null) return num
  if (num === null) return math
  return num.position > math.position ? num : math
}

/** Convenience: the extracted answer text (strict style), or `null`. */
export const extractAnswer = (response: string): string | null => {
  try {
    return extract(response, "strict")?.answer ?? null
  } catch {
    return null
  }
}

/** The gold answer: its boxes when it has any (joined), else the whole text. */
export const extractGold = (gold: string): string => {
  const b = extractBoxed(gold)
  if (b !== null && b !== "unfinished" && b !== "rejected") return b.answer
  return gold
}

const LETTER_AFTER = /^[\s*:：(\[{]*(?:\\text\{\s*\(?)?([A-Z])(?![a-zA-Z])/

/** Words before a letter that rule it out: "not (B)", "it can't be B", "rule out B", "不是 B". */
const LETTER_RULED_OUT_BEFORE =
  /(?:(?<!\p{L})(?:not|never|nor|except|non|nicht|pas|rule\s+out|ruled\s+out|eliminates?|eliminated?|excludes?|excluded?)|can(?:no|')t\s+be|isn't|不是|排除)(?:\s+(?:option|choice|answer))?[\s(\[]*$/iu
/** Words after a letter that rule it out: "(B) is wrong", "B is incorrect", "B 不对". */
const LETTER_RULED_OUT_AFTER =
  /^[\s)\]]*(?:(?:is|was|are|seems|would\s+be)\s+(?:wrong|incorrect|false|invalid|impossible|not\b|ruled\s+out|eliminated|excluded)|(?:不对|错|不正确|不成立))/iu
/** Words before a letter that conclude: "hence D", "so the correct choice is D". */
const LETTER_CONCLUDED_BEFORE = /(?:hence|thus|therefore|so|choose|pick|select|correct\s+(?:option|choice)\s+is|因此|所以|故|选)[\s,:：(\[]*$/iu

const CHOICE_LETTER = /(?<![\p{L}\p{N}\\])\(?([A-HJ-Z])\)?(?![\p{Script=Latin}\p{N}])/gu

/**
 * A multiple-choice letter in free text: after the last answer phrase, else a boxed letter,
 * else the last letter after a conclusion ("hence D"), else the first letter; letters the
 * text rules out ("(B) is wrong", "it can't be A") are never the answer.
 */
export const extractChoice = (s: string): string | undefined => {
  const ruledOut = (start: number, end: number): boolean =>
    LETTER_RULED_OUT_BEFORE.test(s.slice(Math.max(0, start - 30), start)) || LETTER_RULED_OUT_AFTER.test(s.slice(end, end + 30))
  const phrase = /(?:answer is|answer\s*[:：]|réponse\s*(?:est|:)|respuesta\s*(?:es|:)|antwort\s*(?:ist|lautet|:)|答案\s*(?:是|为|[:：])?)/gi
  let m: RegExpExecArray | null
  let found: string | undefined
  while ((m = phrase.exec(s)) !== null) {
    const l = LETTER_AFTER.exec(s.slice(m.index + m[0].length, m.index + m[0].length + 20))
    if (l !== null) found = l[1]
  }
  if (found !== undefined) return found
  const b = extractBoxed(s, false)
  if (b !== null && b !== "unfinished") {
    const l = choiceLetter(b.answer)
    if (l !== undefined) return l
  }
  let first: string | undefined
  let concluded: string | undefined
  CHOICE_LETTER.lastIndex = 0
  while ((m = CHOICE_LETTER.exec(s)) !== null) {
    if (ruledOut(m.index, m.index + m[0].length)) continue
    const letter = m[1] as string
    first ??= letter
    if (LETTER_CONCLUDED_BEFORE.test(s.slice(Math.max(0, m.index - 40), m.index))) concluded = letter
  }
  return concluded ?? first
}

/** The letter when `s` is a bare choice like `C`, `(C)`, `\text{(C)}`. */
export const choiceLetter = (s: string): string | undefined => {
  const t = s
    .replace(/\\(?:text|textbf|mathrm)\{([^{}]*)\}/g, "$1")
    .replace(/[$\s.]/g, "")
  const m = /^\(?([A-Z])\)?$/.exec(t)
  return m === null ? undefined : m[1]
}

/**
 * OpenRLHF's remote reward protocol sends each `query` as the decoded
 * sequence: prompt followed by the response, decoded with special tokens kept,
 * so left padding (`<|endoftext|>…`) can precede the prompt and EOS/padding
 * can follow the response. The response is what follows the prompt.
 */

export interface SplitQuery {
  readonly response: string
  /** False when the prompt was not found in the query; then the whole query is graded. */
  readonly promptFound: boolean
}

/**
 * The response part of `query`: after the prompt prefix, else after the first
 * occurrence of the prompt (left padding before it), else the whole query (the
 * verifier reads the last boxed answer, which is in the response).
 */
export const responseOf = (query: string, prompt: string): SplitQuery => {
  if (query.startsWith(prompt)) return { response: query.slice(prompt.length), promptFound: true }
  const i = query.indexOf(prompt)
  return i >= 0 ? { response: query.slice(i + prompt.length), promptFound: true } : { response: query, promptFound: false }
}

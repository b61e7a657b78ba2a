/**
 * A training prompt as the authors build it. verl renders the parquet's chat
 * list (one user turn) with the tokenizer's chat template and
 * add_generation_prompt, then tokenizes it with add_special_tokens=False; a
 * model whose tokenizer has a chat template gets exactly that. The char
 * tokenizer of the synthetic world has none: BOS, then the template's text.
 */
import type { TokenizerShape } from "@oneshot/policy"

export const trainingPromptIds = (tokenizer: TokenizerShape, template: string, prompt: string): Array<number> => {
  const text = template.replace("{prompt}", prompt)
  return tokenizer.chat === undefined ? tokenizer.promptIds(text) : tokenizer.promptIds(tokenizer.chat([{ role: "user", content: text }], true))
}

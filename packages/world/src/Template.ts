/**
 * The world's prompt template: how a problem is shown to the model, both in
 * the pretraining corpus and at evaluation/RL time. One place, so pretraining
 * and evaluation can never drift apart.
 */

/** `Q: <problem>\nA: ` — the model continues with the worked solution. */
export const formatPrompt = (problem: string): string => `Q: ${problem}\nA: `

/** The protocol name under which the eval package registers this template. */
export const WORLD_PROTOCOL = "world-greedy"

/** Lead-in of the answer line; the flaw "unboxed" keeps it and drops `\boxed{}`. */
export const ANSWER_LEAD = "The answer is "

export const boxedLine = (answer: string): string => `${ANSWER_LEAD}\\boxed{${answer}}.`
export const unboxedLine = (answer: string): string => `${ANSWER_LEAD}${answer}.`

/**
 * `@oneshot/verifier`: the math answer verifier — extraction, normalisation and
 * equivalence; the RLVR reward and the evaluation grader.
 */
export { answersEqual, type Verdict } from "./Equivalence.ts"
export { choiceLetter, extract, extractAnswer, type Extraction, type ExtractionStyle, extractGold } from "./Extract.ts"
export { DEFAULT_TIMEOUT_MS, grade, isEquivalent, MAX_ANSWER_CHARS, MAX_RESPONSE_CHARS } from "./Grader.ts"
export { type Policy, policyOf } from "./Mode.ts"
export { normalize } from "./Normalize.ts"
export { testGrade, VerifierLive, VerifierTest } from "./VerifierLayer.ts"
export {
  formatSummary,
  type GradedLine,
  type GradeFileResult,
  type GradeFileSummary,
  gradeJsonl,
  gradeLine,
  GradeRequest,
  GradeTally,
  jsonlLines,
  parseGradeLine
} from "./GradeFile.ts"

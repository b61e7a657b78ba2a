/**
 * What each verifier mode does differently. The modes share one engine; a
 * policy switches the places where the graders they imitate disagree.
 */
import type { VerifierMode } from "@oneshot/core"
import type { ExtractionStyle } from "./Extract.ts"

export interface Policy {
  readonly mode: VerifierMode
  readonly extraction: ExtractionStyle
  /** Relative tolerance for numbers that are not both exact rationals. */
  readonly relTol: number
  /** Accept a decimal with k ≥ 2 places for a non-terminating value it rounds or truncates to. */
  readonly roundedDecimals: boolean
  /** Qwen: `28` matches `0.28` and `2800` (percent ambiguity). */
  readonly percentScale: boolean
  /** Bare comma lists compared in order (DeepScaleR, Qwen) or as sets (strict). */
  readonly orderedLists: boolean
  /** Interval bracket types must match (all but Qwen, which strips brackets). */
  readonly bracketsMatter: boolean
  /** Interval ⇔ inequality, `x = 3` ⇔ `3`, equivalent equations. */
  readonly structural: boolean
}

export const policyOf = (mode: VerifierMode): Policy => {
  switch (mode) {
    case "deepscaler":
      return {
        mode,
        extraction: "boxed",
        relTol: 1e-9,
        roundedDecimals: false,
        percentScale: false,
        orderedLists: true,
        bracketsMatter: true,
        structural: false
      }
    case "qwen-eval":
      return {
        mode,
        extraction: "qwen",
        relTol: 1e-4,
        roundedDecimals: false,
        percentScale: true,
        orderedLists: true,
        bracketsMatter: false,
        structural: true
      }
    case "strict":
    case "format":
      return {
        mode,
        extraction: "strict",
        relTol: 1e-8,
        roundedDecimals: true,
        percentScale: false,
        orderedLists: false,
        bracketsMatter: true,
        structural: true
      }
  }
}

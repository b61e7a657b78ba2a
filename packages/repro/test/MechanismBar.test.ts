import { describe, expect, it } from "@effect/vitest"
import { VerdictRow } from "../src/Evidence.ts"
import { MECHANISM_CLAIMS, mechanismBar, mechanismLine } from "../src/MechanismBar.ts"

const row = (claim: string, verdict: VerdictRow["verdict"], ci95: readonly [number, number] | null, seeds: number, unit = "pp", cohort = "k"): VerdictRow =>
  VerdictRow.make({
    claim,
    evidence: "replication",
    cohort,
    verdict,
    estimate: ci95 === null ? null : (ci95[0] + ci95[1]) / 2,
    ci95,
    unit,
    seeds,
    runs: seeds,
    expected: "",
    source: "",
    measured: ""
  })

describe("the mechanism-claim bar (≥ 3 seeds, accuracy CIs within ±3 pp)", () => {
  it("counts a claim only with enough seeds, a narrow enough accuracy interval and a verdict", () => {
    const rows = [
      row("C10", "replicates", [3.3, 3.8], 3),
      row("C11", "inconclusive", [-2.9, 2.9], 3), // half-width 2.9: judged, not decisive
      row("C16", "contradicts", [-11.6, 7.6], 3), // too wide
      row("C12", "inconclusive", [-3, 2.5], 1), // one seed
      row("C23", "contradicts", [-0.01, 0.01], 3, "words/response"), // not an accuracy: no width bar
      row("C35", "insufficient-data", null, 0),
      row("C3", "contradicts", [-1, 1], 3), // not a mechanism claim
      row("C40", "replicates", [1, 2], 3, "pp", "other") // another cohort
    ]
    expect(mechanismBar(rows, "k")).toEqual({ judged: ["C10", "C11", "C23"], decisive: ["C10", "C23"] })
    expect(mechanismLine(rows, "k")).toBe(`  mechanism claims (${MECHANISM_CLAIMS.length}): 3 judged on ≥ 3 seeds within ±3 pp (C10, C11, C23), 2 decisive (C10, C23)`)
  })
  it("exactly ±3 pp passes, anything wider does not", () => {
    expect(mechanismBar([row("C41", "contradicts", [-2, 4], 3)], "k").judged).toEqual(["C41"])
    expect(mechanismBar([row("C41", "contradicts", [-2, 4.02], 3)], "k").judged).toEqual([])
  })
  it("a share of steps (C15) is in points but not an accuracy: no width bar", () => {
    expect(mechanismBar([row("C15", "replicates", [37, 47.6], 3)], "k")).toEqual({ judged: ["C15"], decisive: ["C15"] })
  })
  it("an empty cohort judges nothing", () => {
    expect(mechanismLine([], "k")).toBe(`  mechanism claims (${MECHANISM_CLAIMS.length}): 0 judged on ≥ 3 seeds within ±3 pp, 0 decisive`)
  })
})

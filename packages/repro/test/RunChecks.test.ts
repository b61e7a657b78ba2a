import { describe, expect, it } from "@effect/vitest"
import {
  checkBarelyMoves,
  checkBoxedPlateau,
  checkBoxedRise,
  checkClose,
  checkCrossCategory,
  checkEntropyOnly,
  checkFormatGap,
  checkFullSetNoSaturation,
  checkLateOverfitting,
  checkOrdering,
  checkPgLossAfterSaturation,
  checkPostSaturationGain,
  checkSaturation,
  checkUnsolvedStillHelps,
  checkVarianceOrdering,
  checkWindowTrend,
  entropySeries,
  evalLengthSeries,
  garbleRate,
  pickRun,
  reflectionSeries,
  trainLengthSeries,
  windowFor
} from "../src/RunChecks.ts"
import type { CheckResult } from "../src/Verdict.ts"
import { paperLikeOneShot, synth } from "./Synthetic.ts"

const T = 400
const good = paperLikeOneShot("1shot-pi1", T)
const verdict = (r: CheckResult) => r.verdict

describe("run-checks: each holds on one synthetic run and fails on another", () => {
  it("saturation (C10)", () => {
    expect(verdict(checkSaturation([good], "1shot-pi1"))).toBe("holds")
    const slow = synth({ role: "1shot-pi1", steps: T, train: (t) => Math.min(1, t / 300) })
    const r = checkSaturation([slow], "1shot-pi1")
    expect(verdict(r)).toBe("fails")
    expect(r.numbers["tSat"]).toBeGreaterThan(0.05 * T)
    const never = synth({ role: "1shot-pi1", steps: T, train: () => 0.5 })
    expect(checkSaturation([never], "1shot-pi1").measured).toMatch(/never saturates/)
  })

  it("post-saturation generalization (C11)", () => {
    const r = checkPostSaturationGain([good], "1shot-pi1")
    expect(verdict(r)).toBe("holds")
    expect(r.numbers["gain"]).toBeGreaterThan(0.01)
    const flat = synth({ role: "1shot-pi1", steps: T, train: (t) => (t < 5 ? 0 : 1), test: () => 0.4 })
    const f = checkPostSaturationGain([flat], "1shot-pi1")
    expect(verdict(f)).toBe("fails")
    expect(f.numbers["gain"] === 0).toBe(true)
  })

  it("full-set does not saturate and peaks early (C12)", () => {
    const full = synth({ role: "full-set", steps: T, train: (t) => 0.3 + 0.4 * (t / T), test: (t) => Math.min(0.6, 0.3 + t / T) })
    expect(verdict(checkFullSetNoSaturation([full]))).toBe("holds")
    const saturating = synth({ role: "full-set", steps: T, train: () => 1, test: (t) => 0.3 + 0.3 * (t / T) })
    expect(verdict(checkFullSetNoSaturation([saturating]))).toBe("fails")
    const falling = synth({ role: "full-set", steps: T, train: (t) => 0.7 - 0.2 * (t / T), test: (t) => Math.min(0.6, 0.3 + t / T) })
    expect(verdict(checkFullSetNoSaturation([falling]))).toBe("fails")
  })

  it("late overfitting (C13)", () => {
    expect(verdict(checkLateOverfitting([good], "1shot-pi1"))).toBe("holds")
    const early = synth({ role: "1shot-pi1", steps: T, length: (t) => (t > 0.3 * T ? 1500 : 400), test: () => 0.5 })
    const r = checkLateOverfitting([early], "1shot-pi1")
    expect(verdict(r)).toBe("fails")
    expect(r.numbers["onset"]).toBeLessThan(0.6 * T)
    expect(garbleRate("abc")).toBe(0)
    expect(garbleRate("ab这是")).toBe(0.5)
  })

  it("boxed ratio rises early (C14) and accuracy rises after its plateau (C41)", () => {
    expect(verdict(checkBoxedRise([good], "1shot-pi1"))).toBe("holds")
    expect(verdict(checkBoxedPlateau([good], "1shot-pi1"))).toBe("holds")
    const flat = synth({ role: "1shot-pi1", steps: T, test: () => 0.5, boxed: () => 0.6 })
    expect(verdict(checkBoxedRise([flat], "1shot-pi1"))).toBe("fails")
    const noGain = synth({ role: "1shot-pi1", steps: T, test: (t) => (t === 0 ? 0.3 : 0.5), boxed: (t) => (t === 0 ? 0.6 : 0.97) })
    expect(verdict(checkBoxedPlateau([noGain], "1shot-pi1"))).toBe("fails")
  })

  it("policy-gradient loss after saturation (C15)", () => {
    expect(verdict(checkPgLossAfterSaturation([good], "1shot-pi1"))).toBe("holds")
    const dead = synth({ role: "1shot-pi1", steps: T, train: (t) => (t < 5 ? 0 : 1), pgLoss: (t) => (t < 5 ? 0.1 : 0) })
    expect(verdict(checkPgLossAfterSaturation([dead], "1shot-pi1"))).toBe("fails")
  })

  it("cross-category gain (C16)", () => {
    expect(verdict(checkCrossCategory([good], "1shot-pi1"))).toBe("holds")
    const oneDrops = synth({
      role: "1shot-pi1",
      steps: T,
      test: (t) => 0.3 + 0.3 * (t / T),
      subjects: (t) => ({ add: 0.3 + 0.5 * (t / T), mul: 0.4 - 0.1 * (t / T) })
    })
    const r = checkCrossCategory([oneDrops], "1shot-pi1")
    expect(verdict(r)).toBe("fails")
    expect(r.numbers["mul"]).toBeLessThan(0)
  })

  it("orderings, closeness and the format gap (C35, C38, C44a, C44b, C7)", () => {
    const low = paperLikeOneShot("ablation-pg-kl", T, 0.6)
    const high = paperLikeOneShot("1shot-pi1", T, 0.7)
    expect(verdict(checkOrdering([low, high], ["ablation-pg-kl", "1shot-pi1"]))).toBe("holds")
    expect(verdict(checkOrdering([low, high], ["1shot-pi1", "ablation-pg-kl"]))).toBe("fails")
    expect(verdict(checkOrdering([low, high], ["ablation-pg-kl", "1shot-pi1"], 0.2))).toBe("fails")
    const pgOnly = paperLikeOneShot("ablation-pg-only", T, 0.68)
    expect(verdict(checkClose([pgOnly, high], "ablation-pg-only", "1shot-pi1", 0.03))).toBe("holds")
    expect(verdict(checkClose([low, high], "ablation-pg-kl", "1shot-pi1", 0.03))).toBe("fails")
    expect(verdict(checkClose([low, high], "1shot-pi1", "ablation-pg-kl", 0.03, true))).toBe("fails")
    const fmt = paperLikeOneShot("format-baseline", T, 0.6)
    expect(verdict(checkFormatGap([high, fmt], "1shot-pi1"))).toBe("holds")
    const fmtBetter = paperLikeOneShot("format-baseline", T, 0.75)
    expect(verdict(checkFormatGap([high, fmtBetter], "1shot-pi1"))).toBe("fails")
  })

  it("window trends: reflection, length, entropy (C23–C25)", () => {
    expect(verdict(checkWindowTrend([good], "1shot-pi1", reflectionSeries, [0.05, 0.25], [0.625, 1], "rise"))).toBe("holds")
    expect(verdict(checkWindowTrend([good], "1shot-pi1", reflectionSeries, [0.05, 0.25], [0.625, 1], "fall"))).toBe("fails")
    expect(verdict(checkWindowTrend([good], "1shot-pi1", trainLengthSeries, [0.25, 0.6], [0.7, 0.8], "rise", 1.1))).toBe("holds")
    expect(verdict(checkWindowTrend([good], "1shot-pi1", entropySeries, [0.25, 0.6], [0.7, 0.8], "rise", 1.1))).toBe("holds")
    expect(verdict(checkWindowTrend([good], "1shot-pi1", entropySeries, [0.25, 0.6], [0.3, 0.5], "rise", 1.1))).toBe("fails")
    expect(verdict(checkWindowTrend([good], "1shot-pi1", evalLengthSeries, [0.03, 0.1], [0.7, 0.8], "stable", 0.2))).toBe("holds")
    const shrinking = synth({ role: "1shot-pi1", steps: T, test: () => 0.5, evalLength: (t) => 600 - t })
    expect(verdict(checkWindowTrend([shrinking], "1shot-pi1", evalLengthSeries, [0.03, 0.1], [0.7, 0.8], "stable", 0.2))).toBe("fails")
    expect(verdict(checkWindowTrend([shrinking], "1shot-pi1", evalLengthSeries, [0.03, 0.1], [0.7, 0.8], "fall"))).toBe("holds")
  })

  it("variance ordering (C37)", () => {
    const stable = synth({ role: "1shot-pi1", steps: T, test: (t) => 0.5 + 0.001 * ((t / 20) % 2) })
    const noisy = synth({ role: "ablation-entropy-0.003", steps: T, test: (t) => 0.5 + 0.1 * ((t / 20) % 2) })
    expect(verdict(checkVarianceOrdering([stable, noisy], "1shot-pi1", "ablation-entropy-0.003"))).toBe("holds")
    expect(verdict(checkVarianceOrdering([stable, noisy], "ablation-entropy-0.003", "1shot-pi1"))).toBe("fails")
  })

  it("entropy-only: early gain then collapse (C39)", () => {
    const collapse = synth({ role: "ablation-entropy-only", steps: 100, evalEvery: 2, test: (t) => (t <= 6 ? 0.3 + 0.05 * t : Math.max(0, 0.6 - 0.01 * t)) })
    expect(verdict(checkEntropyOnly([collapse]))).toBe("holds")
    const steady = synth({ role: "ablation-entropy-only", steps: 100, evalEvery: 2, test: (t) => 0.3 + 0.002 * t })
    expect(verdict(checkEntropyOnly([steady]))).toBe("fails")
  })

  it("unsolved example still helps (C21)", () => {
    const wrong = synth({ role: "1shot-pi1207", steps: T, train: () => 0, test: (t) => 0.3 + 0.1 * (t / T) })
    expect(verdict(checkUnsolvedStillHelps([wrong], "1shot-pi1207"))).toBe("holds")
    const solved = synth({ role: "1shot-pi1207", steps: T, train: () => 0.5, test: (t) => 0.3 + 0.1 * (t / T) })
    expect(verdict(checkUnsolvedStillHelps([solved], "1shot-pi1207"))).toBe("fails")
  })

  it("every run-check says insufficient-data and names the run when the role is missing", () => {
    const results = [
      checkSaturation([], "1shot-pi1"),
      checkPostSaturationGain([], "1shot-pi1"),
      checkFullSetNoSaturation([]),
      checkLateOverfitting([], "1shot-pi1"),
      checkBoxedRise([], "1shot-pi1"),
      checkBoxedPlateau([], "1shot-pi1"),
      checkPgLossAfterSaturation([], "1shot-pi1"),
      checkCrossCategory([], "1shot-pi1"),
      checkOrdering([], ["ablation-pg-kl", "1shot-pi1"]),
      checkClose([], "ablation-pg-only", "1shot-pi1", 0.03),
      checkWindowTrend([], "1shot-pi1", reflectionSeries, [0, 0.25], [0.6, 1], "rise"),
      checkVarianceOrdering([], "1shot-pi1", "ablation-entropy-0.003"),
      checkEntropyOnly([]),
      checkUnsolvedStillHelps([], "1shot-pi1207")
    ]
    for (const r of results) {
      expect(r.verdict).toBe("insufficient-data")
      expect(r.needs.length).toBeGreaterThan(0)
      expect(r.measured).toMatch(/no run with role/)
    }
    // A run that exists but lacks the metric is also insufficient, naming what is missing.
    const noTest = synth({ role: "1shot-pi1", steps: 50, train: () => 1 })
    expect(checkPostSaturationGain([noTest], "1shot-pi1").measured).toMatch(/no test evaluations/)
  })

  it("barely moves (C36)", () => {
    const flat = synth({ role: "ablation-wd-kl", steps: T, test: (t) => 0.3 + 0.02 * (t / T) })
    expect(verdict(checkBarelyMoves([flat], "ablation-wd-kl"))).toBe("holds")
    expect(verdict(checkBarelyMoves([good], "1shot-pi1"))).toBe("fails")
  })

  it("roles may list aliases: the first alias with a run is used, and a missing role names its first alias", () => {
    const old = paperLikeOneShot("label-wrong-pi1", T, 0.5)
    const r = checkOrdering([old, good], ["label-4|label-wrong-pi1", "1shot-pi1"])
    expect(verdict(r)).toBe("holds")
    expect(r.measured).toMatch(/^label-wrong-pi1 /)
    const none = checkOrdering([good], ["label-4|label-wrong-pi1", "1shot-pi1"])
    expect(none.needs).toEqual(["label-4"])
    expect(none.measured).toBe("no run with role `label-4` (or `label-wrong-pi1`)")
    expect(pickRun([old, paperLikeOneShot("label-4", T)], "label-4|label-wrong-pi1")!.role).toBe("label-4")
  })

  it("the moving-average window scales with the run: 10 steps of 2000, at least 1", () => {
    expect([windowFor(2000), windowFor(4000), windowFor(200), windowFor(50)]).toEqual([10, 10, 1, 1])
  })

  it("pickRun takes the longest run of a role", () => {
    const short = synth({ role: "1shot-pi1", steps: 10, train: () => 1 })
    const long = synth({ role: "1shot-pi1", steps: 30, train: () => 1 })
    expect(pickRun([short, long], "1shot-pi1")).toBe(long)
    expect(pickRun([short], "full-set")).toBeUndefined()
  })
})

describe("short runs", () => {
  it("a run shorter than MIN_STEPS gets insufficient-data, not a verdict", () => {
    const tiny = synth({ role: "full-set", steps: 5, train: () => 0.3, test: (t) => 0.3 + t / 100 })
    const r = checkFullSetNoSaturation([tiny])
    expect(r.verdict).toBe("insufficient-data")
    expect(r.measured).toMatch(/too short \(5 steps; the check needs ≥ 20\)/)
  })
})

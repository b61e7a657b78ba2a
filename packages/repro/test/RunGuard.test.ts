/**
 * The guard every windowed run-check shares (`runFor` in RunChecks.ts): a
 * missing role or a run shorter than MIN_STEPS is `insufficient-data` with the
 * same wording in every check, and a role alias resolves to the run's own role.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  checkBoxedPlateau,
  checkBoxedRise,
  checkEntropyOnly,
  checkFullSetNoSaturation,
  checkLateOverfitting,
  checkPgLossAfterSaturation,
  checkPostSaturationGain,
  checkSaturation,
  checkUnsolvedStillHelps,
  checkWindowTrend,
  MIN_STEPS,
  type Runs,
  trainLengthSeries
} from "../src/RunChecks.ts"
import type { CheckResult } from "../src/Verdict.ts"
import { paperLikeOneShot } from "./Synthetic.ts"

const windowed: ReadonlyArray<readonly [string, (runs: Runs, role: string) => CheckResult]> = [
  ["saturation", (runs, role) => checkSaturation(runs, role)],
  ["post-saturation gain", (runs, role) => checkPostSaturationGain(runs, role)],
  ["full-set no saturation", (runs, role) => checkFullSetNoSaturation(runs, role)],
  ["late overfitting", (runs, role) => checkLateOverfitting(runs, role)],
  ["boxed rise", (runs, role) => checkBoxedRise(runs, role)],
  ["boxed plateau", (runs, role) => checkBoxedPlateau(runs, role)],
  ["pg loss after saturation", (runs, role) => checkPgLossAfterSaturation(runs, role)],
  ["window trend", (runs, role) => checkWindowTrend(runs, role, trainLengthSeries, [0.1, 0.5], [0.75, 1], "rise")],
  ["entropy only", (runs, role) => checkEntropyOnly(runs, role)],
  ["unsolved still helps", (runs, role) => checkUnsolvedStillHelps(runs, role)]
]

describe("the shared run guard of the windowed checks", () => {
  for (const [name, check] of windowed) {
    it(`${name}: no run of the role is insufficient-data naming the role`, () => {
      const r = check([paperLikeOneShot("other", 100)], "1shot-pi1")
      expect(r.verdict).toBe("insufficient-data")
      expect(r.measured).toBe("no run with role `1shot-pi1`")
    })

    it(`${name}: a run of ${MIN_STEPS - 1} steps is too short, named by its own role (not the alias)`, () => {
      const r = check([paperLikeOneShot("b", MIN_STEPS - 1)], "a|b")
      expect(r.verdict).toBe("insufficient-data")
      expect(r.measured).toBe(`run \`b\` is too short (${MIN_STEPS - 1} steps; the check needs ≥ ${MIN_STEPS})`)
    })

    it(`${name}: a run of ${MIN_STEPS} steps passes the guard`, () => {
      const r = check([paperLikeOneShot("b", MIN_STEPS)], "a|b")
      expect(r.measured).not.toMatch(/too short|no run with role/)
    })
  }
})

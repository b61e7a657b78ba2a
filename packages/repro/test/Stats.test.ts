import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { replicate, type ReplicationSpec } from "../src/Replication.ts"
import { REPLICATION } from "../src/ReplicationChecks.ts"
import { inWindow } from "../src/RunStats.ts"
import { binomial, binomialVariance, interval, meanOf, normal, rng, statVerdict, tQuantile975, wilson } from "../src/Stats.ts"
import { logistic, problemRuns, runsFor, withoutProblemScores } from "./SyntheticRuns.ts"

describe("t quantiles", () => {
  it("match the table, fall with the degrees of freedom and approach the normal's 1.96", () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3)
    expect(tQuantile975(10)).toBeCloseTo(2.228, 3)
    expect(tQuantile975(Number.POSITIVE_INFINITY)).toBeCloseTo(1.96, 2)
    fc.assert(fc.property(fc.double({ min: 1, max: 500, noNaN: true }), fc.double({ min: 0.01, max: 50, noNaN: true }), (df, more) => tQuantile975(df + more) <= tQuantile975(df) + 1e-9))
    expect(tQuantile975(200)).toBeGreaterThan(1.96)
  })
})

describe("the replication interval", () => {
  /** C2's estimator (π13 − full set, last-half means), simulated with known truth. */
  const between = REPLICATION["C2"]![0]!
  /** C11's estimator (a within-run window difference). */
  const trend = REPLICATION["C11"]![0]!

  const coverage = (spec: ReplicationSpec, seeds: number, sims: number): { covered: number; width: number } => {
    let covered = 0
    let width = 0
    const u = rng(1234)
    for (let i = 0; i < sims; i++) {
      const delta = 10 * (u() - 0.5)
      const runs = runsForNoisy(spec, delta, seeds, i)
      const r = replicate(spec, runs)
      if (r.ci95 !== null && r.ci95[0] <= delta && delta <= r.ci95[1]) covered++
      width += r.ci95 === null ? Number.POSITIVE_INFINITY : r.ci95[1] - r.ci95[0]
    }
    return { covered: covered / sims, width: width / sims }
  }

  /** Seeds with independent Gaussian noise per window (no alternation), many problems: the t interval's home ground. */
  const runsForNoisy = (spec: ReplicationSpec, delta: number, seeds: number, seed: number) => {
    const u = rng(seed * 7919 + seeds)
    // Draw the per-seed noise here and pass it through delta: runsFor adds delta to the first term only,
    // so build each role's seeds one at a time with their own draws.
    return runsFor(spec, { delta, seeds, sigma: 0, n: 1_000_000, seed, steps: 40 }).map((run, k) => {
      const shift = 3 * normal(u)
      return { ...run, evals: run.evals.map((e) => (e.step === 0 ? e : { ...e, summary: { ...e.summary, accuracy: e.summary.accuracy + (trendWindow(spec, e.step, k) ? shift / 100 : 0) } })) } as typeof run
    })
  }
  /** Noise on the late window only (the estimand's first term), so it is mean-zero seed noise. */
  const trendWindow = (spec: ReplicationSpec, step: number, _k: number) => {
    const m = /over (\d+(?:\.\d+)?)%–(\d+(?:\.\d+)?)%/.exec(spec.terms[0]!.stat.name)!
    return step > (Number(m[1]) / 100) * 40 && step <= (Number(m[2]) / 100) * 40
  }

  it("covers the true effect about 95% of the time (simulated seeds, between roles and within a run)", () => {
    for (const spec of [between, trend]) {
      const { covered } = coverage(spec, 4, 300)
      expect([spec.claim, covered > 0.91 && covered < 0.99]).toEqual([spec.claim, true])
    }
  })

  it("narrows as seeds are added", () => {
    const two = coverage(between, 2, 60).width
    const four = coverage(between, 4, 60).width
    const eight = coverage(between, 8, 60).width
    expect(four).toBeLessThan(two)
    expect(eight).toBeLessThan(four)
  })

  it("a constant curve never replicates a gain: the estimate is exactly 0 and the verdict is never `replicates`", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 95 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 10, max: 5000 }), (level, seeds, n) => {
        const spec = trend
        const runs = runsFor(spec, { delta: 0, seeds, sigma: 0, n, seed: 1, steps: 40 }).map((r) => ({
          ...r,
          evals: r.evals.map((e) => ({ ...e, summary: { ...e.summary, accuracy: level / 100 } }))
        })) as ReturnType<typeof runsFor>
        const r = replicate(spec, runs)
        return r.estimate === 0 && r.verdict !== "replicates"
      }),
      { numRuns: 40 }
    )
  })
})

describe("the replication interval paired over problems (runs with per-problem scores)", () => {
  const T = 40
  /** E over a problem's latent difficulty and the seed's shift of σ(a − θ + shift): both Gaussian, so one integral over their sum. */
  const expectedAccuracy = (a: number, sd: number): number => {
    let s = 0
    let w = 0
    for (let z = -10; z <= 10; z += 0.005) {
      const f = Math.exp(-z * z / 2)
      s += f * logistic(a + sd * z)
      w += f
    }
    return s / w
  }
  /** The true window mean of a role (pp): over the window's evaluation steps, in expectation over problems and seeds. */
  const trueMean = (ability: (role: string, t: number) => number, role: string, w: { from: number; to: number }, spread: number, seedSd: number) =>
    100 * meanOf(Array.from({ length: T / 2 + 1 }, (_, i) => 2 * i).filter((t) => inWindow(t, w, T)).map((t) => expectedAccuracy(ability(role, t), Math.hypot(spread, (seedSd * t) / T))))

  const spread = 1.5
  const seedSd = 0.1
  const cases = [
    {
      spec: REPLICATION["C11"]![0]!, roles: ["1shot-pi1"],
      ability: (_role: string, t: number) => -0.3 + 0.6 * Math.min(1, t / 20),
      truth: (f: (role: string, t: number) => number) => trueMean(f, "1shot-pi1", { from: 0.5, to: 0.8 }, spread, seedSd) - trueMean(f, "1shot-pi1", { from: 0.05, to: 0.25 }, spread, seedSd)
    },
    {
      spec: REPLICATION["C2"]![0]!, roles: ["1shot-pi13", "full-set"],
      ability: (role: string, t: number) => (role === "full-set" ? -0.3 + (0.5 * t) / T : -0.2 + (0.4 * t) / T),
      truth: (f: (role: string, t: number) => number) => trueMean(f, "1shot-pi13", { from: 0.5, to: 1 }, spread, seedSd) - trueMean(f, "full-set", { from: 0.5, to: 1 }, spread, seedSd)
    }
  ]

  it("covers the true effect about 95% of the time with problems of latent difficulty, and is far narrower than the unpaired interval", () => {
    const sims = 300
    for (const c of cases) {
      const truth = c.truth(c.ability)
      let covered = 0
      let width = 0
      let unpairedWidth = 0
      for (let i = 0; i < sims; i++) {
        // Fresh problems and seeds each repetition: 200 problems, 4 seeds per role.
        const runs = problemRuns(c.roles, { n: 200, seeds: 4, spread, seedSd, ability: c.ability, seed: 1000 * i + 17 })
        const r = replicate(c.spec, runs)
        expect(r.measured).toMatch(/evaluation noise paired over problems/)
        if (r.ci95![0] <= truth && truth <= r.ci95![1]) covered++
        width += r.ci95![1] - r.ci95![0]
        const u = replicate(c.spec, runs.map(withoutProblemScores)).ci95!
        unpairedWidth += u[1] - u[0]
      }
      expect([c.spec.claim, covered / sims > 0.91 && covered / sims < 0.99]).toEqual([c.spec.claim, true])
      expect(width / sims).toBeLessThan(0.5 * (unpairedWidth / sims))
    }
    // 600 simulated replications: seconds of CPU, more on a loaded machine (not a speed target).
  }, 120_000)
})

describe("verdict rules", () => {
  it("greater: contradicts below the smallest effect of interest, else replicates above 0, else inconclusive", () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), (mid, half, sesoi) => {
        const ci = [mid - half, mid + half] as const
        const v = statVerdict(ci, { kind: "greater", sesoi })
        return v === (ci[1] < sesoi ? "contradicts" : ci[0] > 0 ? "replicates" : "inconclusive")
      })
    )
  })
  it("a real effect smaller than the smallest effect of interest contradicts the claim as sized (greater and less)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 20, noNaN: true }), fc.double({ min: 0.01, max: 0.49, noNaN: true }), fc.double({ min: 0.01, max: 0.49, noNaN: true }), (sesoi, a, b) => {
        // an interval strictly inside (0, sesoi): the effect exists and is excluded from mattering
        const ci = [Math.min(a, b) * sesoi, (Math.max(a, b) + 0.5) * sesoi] as const
        expect(statVerdict(ci, { kind: "greater", sesoi })).toBe("contradicts")
        expect(statVerdict([-ci[1], -ci[0]], { kind: "less", sesoi })).toBe("contradicts")
      })
    )
    expect(statVerdict([0.66, 2.75], { kind: "greater", sesoi: 8.7 })).toBe("contradicts")
    expect(statVerdict([0.66, 9.5], { kind: "greater", sesoi: 8.7 })).toBe("replicates")
    expect(statVerdict([-0.5, 9.5], { kind: "greater", sesoi: 8.7 })).toBe("inconclusive")
    expect(statVerdict([1, 2], { kind: "greater", sesoi: 0 })).toBe("replicates")
  })
  it("equivalent: replicates only inside the margin, contradicts only wholly outside it", () => {
    expect(statVerdict([-0.5, 0.5], { kind: "equivalent", margin: 1 })).toBe("replicates")
    expect(statVerdict([1.5, 3], { kind: "equivalent", margin: 1 })).toBe("contradicts")
    expect(statVerdict([-2, 2], { kind: "equivalent", margin: 1 })).toBe("inconclusive")
    expect(statVerdict([Number.NaN, 1], { kind: "equivalent", margin: 1 })).toBe("inconclusive")
  })
  it("interval: width grows with variance; the detectable effect is (t + 0.84)·SE", () => {
    const a = interval(1, [{ variance: 1, df: Number.POSITIVE_INFINITY }])
    expect(a.ci95[1] - a.ci95[0]).toBeCloseTo(2 * 1.96, 2)
    expect(a.detectable).toBeCloseTo(1.96 + 0.8416, 3)
    const b = interval(1, [{ variance: 1, df: 3 }])
    expect(b.ci95[1] - b.ci95[0]).toBeGreaterThan(a.ci95[1] - a.ci95[0])
  })
  it("binomial variance is positive at 0/n and n/n, and Wilson covers a binomial p ≈ 95%", () => {
    expect(binomialVariance(0, 10)).toBeGreaterThan(0)
    expect(binomialVariance(1, 10)).toBeGreaterThan(0)
    const u = rng(5)
    let cover = 0
    for (let i = 0; i < 400; i++) {
      const k = binomial(u, 80, 0.063)
      const [lo, hi] = wilson(k, 80)
      if (lo <= 0.063 && 0.063 <= hi) cover++
    }
    expect(cover / 400).toBeGreaterThan(0.9)
  })
})

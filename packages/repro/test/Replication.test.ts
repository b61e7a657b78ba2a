import { describe, expect, it } from "@effect/vitest"
import { EvalSummary } from "@oneshot/core"
import { pairedEvaluation, replicate, type ReplicationSpec, rolePerProblem } from "../src/Replication.ts"
import { REPLICATION, ROLES, subjectSpecs } from "../src/ReplicationChecks.ts"
import { replicationOf } from "../src/Evidence.ts"
import { assignRoles } from "../src/Roles.ts"
import { RunRecord } from "../src/RunRecord.ts"
import { binomialVariance, interval, sampleVariance } from "../src/Stats.ts"
import { problemRuns, run, runsFor, type Scenario, withoutProblemScores } from "./SyntheticRuns.ts"

/** Every declared check built from window/base statistics, with C16's per-subject check. */
const linear: ReadonlyArray<ReplicationSpec> = [
  ...Object.values(REPLICATION).flat().filter((s) => s.terms.every((t) => t.stat.name.includes("over ") || t.stat.name.includes("(step 0)"))),
  subjectSpecs([run("1shot-pi1", 0, 10, () => ({}), undefined)].map((r) =>
    RunRecord.make({ ...r, evals: [{ step: 0, summary: EvalSummary.make({ benchmark: "b", protocol: "p", n: 10, accuracy: 0.5, bySubject: { algebra: { accuracy: 0.5, n: 10 } }, byLevel: {} }) }] })
  ))[0]!
]

/** The unit's "clearly more than nothing". */
const unitStep = (unit: string) => (unit === "tokens" ? 20 : unit === "nats" || unit === "words/response" ? 0.05 : 5)

const truth = (s: ReplicationSpec, kind: "replicates" | "contradicts" | "inconclusive"): number => {
  const u = unitStep(s.unit)
  const d = s.direction
  switch (d.kind) {
    case "greater":
      return kind === "replicates" ? Math.max(2 * d.sesoi, u) : kind === "contradicts" ? -u : d.sesoi / 2
    case "less":
      return kind === "replicates" ? -Math.max(2 * d.sesoi, u) : kind === "contradicts" ? u : -d.sesoi / 2
    case "equivalent":
      return kind === "replicates" ? 0 : kind === "contradicts" ? d.margin + 2 * u : 0
    case "at-most":
      return kind === "replicates" ? 0 : kind === "contradicts" ? d.margin + 2 * u : d.margin
  }
}

const precise = (s: ReplicationSpec, delta: number): Scenario => ({ delta, seeds: 4, sigma: unitStep(s.unit) / 50, n: 1_000_000, seed: 7 })
/** Level checks sit near a bound of [0, 100] (95%, 5%): smaller noise there so that values are not clipped. */
const noisy = (s: ReplicationSpec, delta: number): Scenario => ({ delta, seeds: 2, sigma: s.threshold === undefined ? 4 * unitStep(s.unit) : 2, n: 10, seed: 11 })

describe("every replication check replicates, contradicts and stays inconclusive on synthetic runs made for it", () => {
  expect(linear.length).toBeGreaterThanOrEqual(30)
  for (const spec of linear) {
    const name = `${spec.claim} ${spec.label}`
    it(`${name}: replicates when the true effect is clearly on the paper's side`, () => {
      const r = replicate(spec, runsFor(spec, precise(spec, truth(spec, "replicates"))))
      expect([name, r.verdict, r.measured]).toEqual([name, "replicates", r.measured])
      expect(r.seeds).toBe(4)
    })
    it(`${name}: contradicts when the true effect is clearly short of the smallest effect of interest`, () => {
      const r = replicate(spec, runsFor(spec, precise(spec, truth(spec, "contradicts"))))
      expect([name, r.verdict, r.measured]).toEqual([name, "contradicts", r.measured])
    })
    it(`${name}: stays inconclusive with 2 noisy seeds on 10 problems`, () => {
      const r = replicate(spec, runsFor(spec, noisy(spec, truth(spec, "inconclusive"))))
      expect([name, r.verdict, r.measured]).toEqual([name, "inconclusive", r.measured])
      expect(r.measured).toMatch(/detectable effect/)
    })
  }
})

const custom = (claim: string) => REPLICATION[claim]![0]!

describe("the run-level checks (C13 onset, C15 policy-gradient signal, C37 jitter)", () => {
  const T = 200
  const lengthRun = (seed: number, onset: number) => run(ROLES.pi1, seed, T, (t) => ({ "response_length/mean": t > onset * T ? 900 : 300 }))
  it("C13 replicates a late onset, contradicts an early one, stays inconclusive on two disagreeing seeds", () => {
    expect(replicate(custom("C13"), [0.78, 0.8, 0.82].map((o, i) => lengthRun(i, o))).verdict).toBe("replicates")
    expect(replicate(custom("C13"), [0.3, 0.31, 0.29].map((o, i) => lengthRun(i, o))).verdict).toBe("contradicts")
    expect(replicate(custom("C13"), [0.45, 0.85].map((o, i) => lengthRun(i, o))).verdict).toBe("inconclusive")
  })
  it("C13 defect: when no overfitting happens in the run the check does not hold — it is insufficient-data", () => {
    const r = replicate(custom("C13"), [0, 1].map((i) => run(ROLES.pi1, i, T, () => ({ "response_length/mean": 300 }))))
    expect(r.verdict).toBe("insufficient-data")
    expect(r.measured).toMatch(/phenomenon is absent/)
  })
  const pgRun = (seed: number, every: number, steps = T) =>
    run(ROLES.pi1, seed, steps, (t) => ({ "actor/pg_loss": every > 0 && t % every === 0 ? 0.02 : 0, "critic/score/mean": every > 0 && t % every === 0 ? 0.97 : 1 }))
  it("C15 replicates an occasional signal, contradicts none over a long run, stays inconclusive on two short noisy runs", () => {
    expect(replicate(custom("C15"), [3, 3, 4].map((e, i) => pgRun(i, e))).verdict).toBe("replicates")
    expect(replicate(custom("C15"), [0, 0, 0].map((e, i) => pgRun(i, e, 2000))).verdict).toBe("contradicts")
    expect(replicate(custom("C15"), [0, 20].map((e, i) => pgRun(i, e, 40))).verdict).toBe("inconclusive")
  })
  const jitterRuns = (amp: number, ampFull: number, seeds: number, noise = 0) =>
    [ROLES.ent003, ROLES.fullLoss].flatMap((role, j) =>
      Array.from({ length: seeds }, (_, k) => run(role.split("|")[0]!, k, T, () => ({}), (t) => 0.5 + (j === 0 ? amp : ampFull) * (t % 4 === 0 ? 1 : -1) + noise * ((k + 1) % 2) * (t % 8 === 0 ? 1 : 0)))
    )
  it("C37 replicates more jitter, contradicts equal jitter, stays inconclusive on two noisy seeds", () => {
    expect(replicate(custom("C37"), jitterRuns(0.05, 0, 3)).verdict).toBe("replicates")
    expect(replicate(custom("C37"), jitterRuns(0, 0, 3)).verdict).toBe("contradicts")
    expect(replicate(custom("C37"), jitterRuns(0.01, 0, 2, 0.2)).verdict).toBe("inconclusive")
  })
})

describe("defects of the earlier run-checks, each gone", () => {
  const T = 40
  /** A 40-step run evaluated every 5 steps, as the committed CPU runs are. */
  const coarse = (role: string, seed: number, test: (t: number) => number, extra: Partial<Record<"boxed" | "len", (t: number) => number>> = {}) =>
    RunRecord.make({
      runId: `${role}-${seed}`, role, source: "run-log", path: `x/${role}-${seed}.jsonl`, config: { experiment: role, seed },
      steps: Array.from({ length: T }, (_, i) => ({ step: i + 1, metrics: { "critic/score/mean": 1 } })),
      evals: Array.from({ length: T / 5 + 1 }, (_, i) => 5 * i).map((t) => ({
        step: t,
        summary: EvalSummary.make({
          benchmark: "b", protocol: "p", n: 70, accuracy: test(t), bySubject: {}, byLevel: {},
          ...(extra.boxed ? { boxedRatio: extra.boxed(t) } : {}), ...(extra.len ? { meanResponseLength: extra.len(t) } : {})
        })
      })),
      accuracy: [], generations: [], warnings: []
    })

  it("pickRun read one run per role: now every seed is used, and re-tagging a seed-1 run as its role changes nothing", () => {
    const a = [coarse("1shot-pi13", 0, (t) => (t === 0 ? 0.3 : 0.45)), coarse("1shot-pi13-seed1", 1, (t) => (t === 0 ? 0.3 : 0.35))]
    const f = [coarse("full-set", 0, () => 0.4), coarse("full-set-seed1", 1, () => 0.4)]
    const tagged = assignRoles([...a, ...f])
    const r = replicationOf("C2", tagged)!
    expect(r.runs).toBe(4)
    expect(r.seeds).toBe(2)
    expect(r.estimate).toBeCloseTo(0, 6) // mean of 45 and 35 minus 40
    const swapped = assignRoles([RunRecord.make({ ...a[0]!, role: "1shot-pi13-seed1" }), RunRecord.make({ ...a[1]!, role: "1shot-pi13" }), ...f])
    expect(replicationOf("C2", swapped)!.estimate).toBeCloseTo(r.estimate!, 9)
  })

  it("max over checkpoints against one point is gone: a single lucky checkpoint does not make a gain", () => {
    const lucky = coarse(ROLES.pi1, 0, (t) => (t === 5 ? 0.9 : 0.3))
    const r = replicationOf("C3", [lucky, coarse(ROLES.pi1, 1, () => 0.3)])!
    expect(r.estimate).toBeCloseTo(0, 6)
    expect(r.verdict).not.toBe("replicates")
  })

  it("C14/C39: a window never contains step 0 (the base model); a run too coarse for the window is insufficient-data, not a failure", () => {
    for (const claim of ["C14", "C39"]) {
      const r = replicationOf(claim, [coarse(ROLES.pi1, 0, () => 0.3, { boxed: () => 0.6 }), coarse(ROLES.entOnly.split("|")[0]!, 0, () => 0.3)])!
      expect([claim, r.verdict]).toEqual([claim, "insufficient-data"])
      expect(r.measured).toMatch(/step 0 excluded/)
    }
  })

  it("C25's window is fixed before the runs (2.5–7.5% of the run), not widened until a 40-step run has a point in it", () => {
    const r = replicationOf("C25", [coarse(ROLES.pi1, 0, () => 0.3, { len: () => 66 }), coarse(ROLES.full, 0, () => 0.3, { len: () => 66 })])!
    expect(r.verdict).toBe("insufficient-data")
    expect(r.measured).toMatch(/0 points of eval mean response length in steps 2–3 of 40/)
  })

  it("C12: a full-set run that saw each example about once is not-applicable (the paper's run saw each ≈ 212 times)", () => {
    const once = RunRecord.make({
      ...coarse(ROLES.full, 0, () => 0.4),
      accuracy: Array.from({ length: 40 }, (_, i) => ({ step: i + 1, perExample: Object.fromEntries([0, 1, 2, 3].map((j) => [`ex${4 * i + j}`, 0.5])) }))
    })
    const r = replicationOf("C12", [once])!
    expect(r.verdict).toBe("not-applicable")
    expect(r.measured).toMatch(/1\.0 time\(s\) on average/)
  })

  it("C44a in the world (π1's label exact, no corrected-label runs): the 'correct ≈ original' part does not apply, the other parts decide", () => {
    const world = (r: RunRecord) => RunRecord.make({ ...r, config: { ...(r.config as object), tags: ["world"] } })
    const pi1 = [0, 1, 2].map((k) => world(coarse(ROLES.pi1, k, (t) => (t === 0 ? 0.3 : 0.85 + 0.01 * k))))
    const unguessable = [0, 1, 2].map((k) => world(coarse("label-unguessable-pi1", k, (t) => (t === 0 ? 0.3 : 0.6 + 0.01 * k))))
    const wrong = [0, 1, 2].map((k) => world(coarse("label-wrong-pi1", k, (t) => (t === 0 ? 0.3 : 0.3 + 0.01 * k))))
    const r = replicationOf("C44a", [...pi1, ...unguessable, ...wrong])!
    expect(r.verdict).toBe("replicates")
    expect(r.measured).toMatch(/not applicable, left out: correct ≈ original label: the world's π1 label is exact/)
    // Runs that are not the world's keep the part: without a corrected-label run it is insufficient-data.
    const plain = replicationOf("C44a", [...pi1, ...unguessable, ...wrong].map((x) => RunRecord.make({ ...x, config: { experiment: x.role, seed: (x.config as { seed: number }).seed } })))!
    expect(plain.verdict).toBe("insufficient-data")
    expect(plain.needs).toContain("label-12.7")
  })

  it("one seed and no replicated role: insufficient-data (the seed-to-seed variance is unknown), never a verdict from evaluation noise alone", () => {
    const r = replicationOf("C3", [coarse(ROLES.pi1, 0, (t) => (t === 0 ? 0.3 : 0.6))])!
    expect(r.verdict).toBe("insufficient-data")
    expect(r.measured).toMatch(/seed-to-seed variance/)
  })
})

describe("evaluation noise paired over problems", () => {
  const C11 = REPLICATION["C11"]![0]!
  const C2 = REPLICATION["C2"]![0]!
  const C3 = REPLICATION["C3"]![0]!
  const T = 40
  /** Every checkpoint of every seed scores `scores` (0/1 per problem): the early and late windows are the same problems, graded alike. */
  const flat = (seed: number, scores: ReadonlyArray<number>) =>
    RunRecord.make({
      runId: `pi1-${seed}`, role: ROLES.pi1, source: "run-log", path: `x/pi1-${seed}.jsonl`, config: { experiment: ROLES.pi1, seed },
      steps: Array.from({ length: T }, (_, i) => ({ step: i + 1, metrics: {} })),
      evals: Array.from({ length: T / 2 + 1 }, (_, i) => ({
        step: 2 * i,
        summary: EvalSummary.make({ benchmark: "b", protocol: "greedy", n: scores.length, accuracy: scores.reduce((x, y) => x + y, 0) / scores.length, bySubject: {}, byLevel: {}, problemScores: scores })
      })),
      accuracy: [], generations: [], warnings: []
    })
  const scores = Array.from({ length: 200 }, (_, i) => (i % 5 < 2 ? 1 : 0))

  it("identical per-problem scores in two windows: the paired evaluation variance of their difference is 0, the unpaired one is not", () => {
    const runs = [0, 1, 2].map((k) => flat(k, scores))
    const perRun = runs.map((r) => rolePerProblem(r, C11.terms)!)
    expect(perRun.every((p) => p.get("b")!.every((x) => x === 0))).toBe(true)
    expect(pairedEvaluation([perRun])!.variance).toBe(0)
    const paired = replicate(C11, runs)
    const unpaired = replicate(C11, runs.map(withoutProblemScores))
    expect(paired.estimate).toBe(0)
    expect(paired.ci95).toEqual([0, 0])
    expect(paired.measured).toMatch(/evaluation noise paired over problems \(200\)/)
    expect(unpaired.ci95![1] - unpaired.ci95![0]).toBeGreaterThan(1)
    expect(unpaired.measured).not.toMatch(/paired/)
    // Seeds that differ, each run's two windows alike: the difference is still 0 on every problem.
    const shifted = [0, 1, 2].map((k) => flat(k, scores.map((_, i) => ((i + k) % 5 < 2 ? 1 : 0))))
    expect(pairedEvaluation([shifted.map((r) => rolePerProblem(r, C11.terms)!)])!.variance).toBe(0)
  })

  it("the paired estimate (mean over benchmarks of the mean over problems) equals the estimate from the per-run values", () => {
    const ability = (role: string, t: number) => (role === ROLES.full ? -0.4 : -0.2) + (0.8 * t) / T
    for (const [spec, roles] of [[C11, [ROLES.pi1]], [C3, [ROLES.pi1]], [C2, [ROLES.pi13, ROLES.full]]] as const) {
      for (const seeds of [1, 3]) {
        const runs = problemRuns(roles, { n: 60, seeds, spread: 1.5, seedSd: 0.3, ability, seed: 3 + seeds, benchmarks: 3 })
        const perRole = roles.map((role) => runs.filter((r) => r.role === role).map((r) => rolePerProblem(r, spec.terms.filter((t) => t.role === role))!))
        const paired = pairedEvaluation(perRole)!
        const r = replicate(spec, runs)
        expect([spec.claim, seeds, paired.estimate]).toEqual([spec.claim, seeds, expect.closeTo(r.estimate!, 3)])
        expect(paired.problems).toBe(180)
        expect(r.measured).toMatch(/evaluation noise paired over problems \(180\)/)
      }
    }
  })

  it("runs without per-problem scores take the unpaired path: each role's binomial part plus its seed part, as before", () => {
    // Three π1 seeds, test accuracy 30% at step 0 and a constant per seed in the last half: C3 = late − base.
    const late = [0.5, 0.55, 0.62]
    const runs = late.map((p, k) => run(ROLES.pi1, k, T, () => ({}), (t) => (t === 0 ? 0.3 : p), 100))
    const r = replicate(C3, runs)
    const values = late.map((p) => 100 * (p - 0.3))
    const shared = 100 * 100 * (late.reduce((a, p) => a + binomialVariance(p, 100) + binomialVariance(0.3, 100), 0) / late.length)
    const expected = interval(values.reduce((a, v) => a + v, 0) / 3, [{ variance: shared, df: Number.POSITIVE_INFINITY }, { variance: sampleVariance(values) / 3, df: 2 }])
    expect(r.ci95![0]).toBeCloseTo(expected.ci95[0], 3)
    expect(r.ci95![1]).toBeCloseTo(expected.ci95[1], 3)
    expect(r.measured).not.toMatch(/paired/)
    // Every linear check on synthetic runs without scores: the same result as with statistics that cannot pair at all.
    const unpairable = (spec: ReplicationSpec): ReplicationSpec => ({ ...spec, terms: spec.terms.map((t) => ({ ...t, stat: { name: t.stat.name, compute: t.stat.compute } })) })
    for (const spec of linear) {
      const rs = runsFor(spec, noisy(spec, truth(spec, "inconclusive")))
      expect(replicate(spec, rs)).toEqual(replicate(unpairable(spec), rs))
    }
  })

  it("one run without per-problem scores among runs that have them: the unpaired variances stand for the whole estimate", () => {
    const ability = (role: string, t: number) => (role === ROLES.full ? -0.4 : -0.2) + (0.8 * t) / T
    const runs = problemRuns([ROLES.pi13, ROLES.full], { n: 80, seeds: 3, spread: 1.5, seedSd: 0.3, ability, seed: 9 })
    const mixed = runs.map((r, i) => (i === 4 ? withoutProblemScores(r) : r))
    const r = replicate(C2, mixed)
    expect(r).toEqual(replicate(C2, runs.map(withoutProblemScores)))
    expect(r.measured).not.toMatch(/paired/)
    expect(replicate(C2, runs).measured).toMatch(/paired/)
    // One evaluation in a window without them is enough to fall back.
    const partial = runs.map((x, i) =>
      i === 0 ? RunRecord.make({ ...x, evals: x.evals.map((e) => (e.step === 30 ? withoutProblemScores(RunRecord.make({ ...x, evals: [e] })).evals[0]! : e)) }) : x
    )
    expect(replicate(C2, partial).measured).not.toMatch(/paired/)
  })
})

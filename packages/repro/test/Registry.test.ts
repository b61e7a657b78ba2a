import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ClaimContext } from "../src/Claim.ts"
import { type AccuracyHistory, loadHistory } from "../src/RecordedHistory.ts"
import { claims } from "../src/Registry.ts"
import { loadReported, type Reported } from "../src/Reported.ts"
import { reportedRuns } from "../src/ReportedRuns.ts"
import { checksOnPaper, evaluateClaims, recordedHolds } from "../src/Repro.ts"
import type { RunRecord } from "../src/RunRecord.ts"
import { paperLikeOneShot, synth } from "./Synthetic.ts"

type DeepMutable<T> = T extends ReadonlyArray<infer U> ? Array<DeepMutable<U>>
  : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
  : T

const load = Effect.runSync(Effect.all({ history: loadHistory(), reported: loadReported() }))
const context: ClaimContext = { ...load, runs: [] }

const EXPECTED_IDS = [
  ...Array.from({ length: 43 }, (_, i) => `C${i + 1}`),
  "C44a",
  "C44b",
  "C44c",
  "C44d",
  "C45",
  "C46",
  "C47",
  "C48"
]

const mutate = (f: (r: DeepMutable<Reported>) => void): Reported => {
  const copy = JSON.parse(JSON.stringify(load.reported)) as DeepMutable<Reported>
  f(copy)
  return copy
}
const six = (r: DeepMutable<Reported>, id: string) => r.sixBench.find((x) => x.id === id)!
const best = (r: DeepMutable<Reported>, id: string) => r.bestPerBenchmark.find((x) => x.id === id)!
const cat = (r: DeepMutable<Reported>, id: string) => r.categories.rows.find((x) => x.id === id)!
const abl = (r: DeepMutable<Reported>, n: number) => r.ablation.rows.find((x) => x.row === n)!
const withHistory = (f: (h: Array<[string, Array<number>]>) => void): AccuracyHistory => {
  const h = load.history.map(([id, a]) => [id, [...a]] as [string, Array<number>])
  f(h)
  return h
}

/** One perturbation of the recorded data per regression/property claim, under which it must fail. */
const breakers: Record<string, (c: ClaimContext) => ClaimContext> = {
  C1: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/base").avg = 18.6)) }),
  C2: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/pi13").scores[0] = 70)) }),
  C3: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/pi1").step = 500)) }),
  C4: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/dsr-sub").avg = 38)) }),
  C5: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/math7500").avg = 35)) }),
  C6: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/pi1-pi13").avg = 35)) }),
  C7: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t8/format").scores[0] = 66)) }),
  C8: (c) => ({ ...c, reported: mutate((r) => void (best(r, "t9/pi1").scores[0] = 70)) }),
  C9: (c) => ({ ...c, reported: mutate((r) => void (r.arc.rows.find((x) => x.row === "DSR-sub")!.arcE = 50)) }),
  C14: (c) => ({ ...c, reported: mutate((r) => void (r.trajectory.boxedRatio[2] = 80)) }),
  C16: (c) => ({ ...c, reported: mutate((r) => void (cat(r, "pi1").subjects[0] = 30)) }),
  C17: (c) => ({ ...c, reported: mutate((r) => void (cat(r, "pi16").math500 = 63)) }),
  C18: (c) => ({ ...c, reported: mutate((r) => void (cat(r, "pi2").math500 = 65)) }),
  C19: (c) => ({ ...c, reported: mutate((r) => void (cat(r, "pi1").math500 = 75)) }),
  C20: (c) => ({ ...c, reported: mutate((r) => void (cat(r, "pi605").subjects[4] = 70)) }),
  C21: (c) => ({ ...c, history: withHistory((h) => void (h.find(([id]) => id === "174")![1][3] = 0.125)) }),
  C22: (c) => ({ ...c, history: withHistory((h) => void (h.find(([id]) => id === "124")![1][0] = 0.9)) }),
  C25: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t19/dsr/1500").avg = 900)) }),
  C26: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t4/7b/pi1").avg = 41)) }),
  C27: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t4/7b/random16").avg = 42)) }),
  C28: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t10/7b/pi605").avg = 41)) }),
  C29: (c) => ({ ...c, reported: mutate((r) => void (best(r, "t11/7b/pi1").scores[0] = 70)) }),
  C30: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t4/llama/pi1-pi13").scores[0] = 40)) }),
  C31: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t4/ppo/pi1").avg = 30)) }),
  C32: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t12/8k/pi1").avg = 37)) }),
  C33: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t10/instr/pi1").avg = 40)) }),
  C34: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t4/7b/pi1-16").avg = 39)) }),
  C35: (c) => ({ ...c, reported: mutate((r) => void (abl(r, 2).math500 = 60)) }),
  C36: (c) => ({ ...c, reported: mutate((r) => void (abl(r, 8).math500 = 50)) }),
  C37: (c) => ({ ...c, reported: mutate((r) => void (abl(r, 6).math500 = 75)) }),
  C38: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t14/pi1-outcome-noent").avg = 34)) }),
  C39: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t13/q15").scores[5] = 5)) }),
  C40: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t14/pi1-format-ent").scores[0] = 60)) }),
  C41: (c) => ({ ...c, reported: mutate((r) => void (r.trajectory.qwenEval[5] = 70)) }),
  C43: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t16/q15/icl-qwen4").avg = 30)) }),
  C44a: (c) => ({ ...c, reported: mutate((r) => void (abl(r, 12).math500 = 70)) }),
  C44b: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t17/grpo/90").avg = 36)) }),
  C44c: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t18/pi1-prime").avg = 33)) }),
  C44d: (c) => ({ ...c, reported: mutate((r) => void (r.passAt8.rows.find((x) => x.row === "DSR-sub step 1000")!.avg = 49)) }),
  C45: (c) => ({ ...c, reported: mutate((r) => void (six(r, "t7/1.5b/stored").avg = 17.6)) }),
  C46: (c) => ({
    ...c,
    history: withHistory((h) => {
      const a = h.find(([id]) => id === "124")!
      const b = h.find(([id]) => id === "267")!
      ;[a[1], b[1]] = [b[1], a[1]]
    })
  }),
  C47: (c) => ({ ...c, reported: mutate((r) => void (cat(r, "pi606").math500 = 60)) }),
  C48: (c) => ({ ...c, reported: mutate((r) => void (best(r, "t9/pi1").bestAvgStep = 500)) })
}

/** Synthetic runs for every role the registry names, shaped like the paper's runs. */
const paperLikeRuns = (): ReadonlyArray<RunRecord> => {
  const T = 400
  return [
    paperLikeOneShot("1shot-pi1", T, 0.7),
    paperLikeOneShot("ablation-full", T, 0.7),
    paperLikeOneShot("1shot-pi13", T, 0.71),
    paperLikeOneShot("2shot-pi1-pi13", T, 0.72),
    paperLikeOneShot("1shot-pi1-t1.0", T, 0.72),
    paperLikeOneShot("1shot-pi1-no-ent", T, 0.65),
    paperLikeOneShot("format-baseline", T, 0.6),
    paperLikeOneShot("format-1shot-pi1", T, 0.6),
    paperLikeOneShot("ablation-pg-only", T, 0.69),
    paperLikeOneShot("ablation-pg-wd-kl", T, 0.65),
    paperLikeOneShot("ablation-pg-ent", T, 0.71),
    paperLikeOneShot("ablation-wd-kl", T, 0.32),
    paperLikeOneShot("label-4", T, 0.5),
    paperLikeOneShot("label-9292725", T, 0.6),
    paperLikeOneShot("label-12.7", T, 0.69),
    paperLikeOneShot("label-noise-90", T, 0.65),
    paperLikeOneShot("label-noise-60", T, 0.7),
    paperLikeOneShot("ppo-1shot-pi1", T, 0.68),
    paperLikeOneShot("ppo-full-set", T, 0.69),
    synth({
      role: "full-set",
      steps: T,
      train: (t) => 0.3 + 0.4 * (t / T),
      test: (t) => (t <= T / 2 ? 0.3 + 0.41 * ((2 * t) / T) : 0.71),
      reflection: (t) => 0.1 - 0.05 * (t / T),
      evalLength: (t) => 600 - 0.5 * t
    }),
    synth({ role: "ablation-ent-0.003", steps: T, test: (t) => 0.5 + 0.1 * ((t / 20) % 2) }),
    synth({ role: "ablation-ent-only", steps: 100, evalEvery: 2, test: (t) => (t <= 6 ? 0.3 + 0.05 * t : Math.max(0, 0.6 - 0.01 * t)) }),
    synth({ role: "1shot-pi1207", steps: T, train: () => 0, test: (t) => 0.3 + 0.1 * (t / T) })
  ]
}

describe("claim registry", () => {
  it("has one entry per claim of claims.md, C1–C48 with sub-ids C44a–C44d (51 entries)", () => {
    expect(claims.map((c) => c.id)).toEqual(EXPECTED_IDS)
    for (const c of claims) {
      expect(c.statement.length).toBeGreaterThan(20)
      expect(c.source.length).toBeGreaterThan(3)
    }
  })

  it("every regression and property claim holds on the authors' recorded data (the exit code)", () => {
    const outcomes = evaluateClaims(context)
    const recorded = outcomes.filter((o) => o.kind !== "run-check")
    expect(recorded.length).toBe(43)
    for (const o of recorded) expect([o.id, o.result.verdict, o.result.measured]).toEqual([o.id, "holds", o.result.measured])
    expect(recordedHolds(outcomes)).toBe(true)
  })

  it("every regression and property claim can fail: a perturbation of the recorded data flips it", () => {
    const recordedIds = claims.filter((c) => c.kind !== "run-check").map((c) => c.id)
    expect(Object.keys(breakers).sort()).toEqual([...recordedIds].sort())
    for (const c of claims.filter((x) => x.kind !== "run-check")) {
      const broken = breakers[c.id]!(context)
      expect([c.id, c.check(broken).verdict]).toEqual([c.id, "fails"])
    }
    const outcomes = evaluateClaims(breakers["C46"]!(context))
    expect(recordedHolds(outcomes)).toBe(false)
  })

  it("every reported six-benchmark average is checked: moving one breaks a claim that lists it", () => {
    for (const row of load.reported.sixBench) {
      const broken = { ...context, reported: mutate((r) => void (six(r, row.id).avg += row.unit === "tokens" ? 5 : 0.5)) }
      const failing = claims.filter((c) => row.claims.includes(c.id) && c.check(broken).verdict === "fails").map((c) => c.id)
      expect([row.id, failing.length > 0]).toEqual([row.id, true])
    }
  })

  it("with no runs, every run-check is insufficient-data naming the roles that would settle it (or not-applicable)", () => {
    const outcomes = evaluateClaims(context)
    const onRuns = outcomes.flatMap((o) => (o.kind === "run-check" ? [o.result] : o.onRuns === undefined ? [] : [o.onRuns]))
    expect(onRuns.length).toBe(27)
    for (const r of onRuns) {
      if (r.verdict === "not-applicable") continue
      expect(r.verdict).toBe("insufficient-data")
      expect(r.needs.length).toBeGreaterThan(0)
    }
    expect(outcomes.filter((o) => o.result.verdict === "not-applicable").map((o) => o.id)).toEqual(["C42"])
  })

  it("with paper-like runs for every role, every run-check holds", () => {
    const outcomes = evaluateClaims({ ...context, runs: paperLikeRuns() })
    for (const o of outcomes) {
      if (o.kind === "run-check" && o.id !== "C42") expect([o.id, o.result.verdict, o.result.measured]).toEqual([o.id, "holds", o.result.measured])
      if (o.onRuns !== undefined) expect([o.id, o.onRuns.verdict, o.onRuns.measured]).toEqual([o.id, "holds", o.onRuns.measured])
    }
  })

  it("the run-checks agree with the paper on its own reported numbers (reported runs)", () => {
    const onPaper = checksOnPaper(context)
    expect(onPaper.map((p) => p.id)).toEqual(["C2", "C3", "C6", "C7", "C18", "C31", "C35", "C36", "C40", "C44a", "C44b"])
    for (const p of onPaper) expect([p.id, p.result.verdict, p.result.measured]).toEqual([p.id, "holds", p.result.measured])
    const runs = reportedRuns(load.reported)
    expect(runs.every((r) => r.source === "reported" && r.evals.some((e) => e.step === 0))).toBe(true)
  })

  it("a check that throws is reported as a failure, not a crash", () => {
    const outcomes = evaluateClaims(context, [{ id: "X", statement: "s", source: "t", kind: "regression", check: () => { throw new Error("boom") } }])
    expect(outcomes[0]!.result.verdict).toBe("fails")
    expect(outcomes[0]!.result.measured).toMatch(/boom/)
  })
})

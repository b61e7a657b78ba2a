import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { RecordedContext } from "../src/Claim.ts"
import { verdictRows } from "../src/Evidence.ts"
import { type AccuracyHistory, loadHistory } from "../src/RecordedHistory.ts"
import { claims } from "../src/Registry.ts"
import { loadReported, type Reported } from "../src/Reported.ts"

type DeepMutable<T> = T extends ReadonlyArray<infer U> ? Array<DeepMutable<U>>
  : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
  : T

const context: RecordedContext = Effect.runSync(Effect.all({ history: loadHistory(), reported: loadReported() }))

const EXPECTED_IDS = [...Array.from({ length: 43 }, (_, i) => `C${i + 1}`), "C44a", "C44b", "C44c", "C44d", "C45", "C46", "C47", "C48"]

const mutate = (f: (r: DeepMutable<Reported>) => void): Reported => {
  const copy = JSON.parse(JSON.stringify(context.reported)) as DeepMutable<Reported>
  f(copy)
  return copy
}
const six = (r: DeepMutable<Reported>, id: string) => r.sixBench.find((x) => x.id === id)!
const best = (r: DeepMutable<Reported>, id: string) => r.bestPerBenchmark.find((x) => x.id === id)!
const cat = (r: DeepMutable<Reported>, id: string) => r.categories.rows.find((x) => x.id === id)!
const abl = (r: DeepMutable<Reported>, n: number) => r.ablation.rows.find((x) => x.row === n)!
const withHistory = (f: (h: Array<[string, Array<number>]>) => void): AccuracyHistory => {
  const h = context.history.map(([id, a]) => [id, [...a]] as [string, Array<number>])
  f(h)
  return h
}
const paper = (id: string, r: Reported = context.reported) => claims.find((c) => c.id === id)!.paper!(r)
const authors = (id: string, c: RecordedContext = context) => claims.find((x) => x.id === id)!.authorsData!(c)

/** The paper's numbers are inconsistent with these claims as worded (findings, see the README). */
const INCONSISTENT = ["C17", "C18", "C44c", "C44d"]

/** A perturbation of the paper's numbers that flips each paper check (consistent → inconsistent, or back). */
const flips: Record<string, (r: DeepMutable<Reported>) => void> = {
  C1: (r) => void (six(r, "t8/base").avg = 18.6),
  C2: (r) => void (six(r, "t8/pi13").avg = 30),
  C3: (r) => void (six(r, "t8/pi1").step = 500),
  C4: (r) => void (six(r, "t8/dsr-sub").avg = 38),
  C5: (r) => void (six(r, "t8/math7500").avg = 35),
  C6: (r) => void (six(r, "t8/pi1-pi13").avg = 35.5),
  C7: (r) => void (six(r, "t8/format").scores[0] = 66),
  C8: (r) => void (best(r, "t9/pi1").scores[0] = 70),
  C9: (r) => void (r.arc.rows.find((x) => x.row === "DSR-sub")!.arcE = 50),
  C14: (r) => void (r.trajectory.qwqJudge[3] = 75),
  C16: (r) => void (cat(r, "pi1").subjects[0] = 30),
  C17: (r) => ["pi4", "pi7", "pi11"].forEach((id) => void (cat(r, id).math500 = 66.5)),
  C18: (r) => ["pi7", "pi11", "pi606"].forEach((id) => void (cat(r, id).math500 = 66)),
  C19: (r) => void (cat(r, "pi1").math500 = 68),
  C20: (r) => void (cat(r, "pi605").subjects[4] = 75),
  C21: (r) => void (cat(r, "pi1208").math500 = 35),
  C25: (r) => void (six(r, "t19/dsr/1500").avg = 950),
  C26: (r) => void (six(r, "t4/7b/pi1").avg = 41),
  C27: (r) => void (six(r, "t4/7b/random16").avg = 42),
  C28: (r) => void (six(r, "t10/7b/pi605").avg = 41),
  C29: (r) => void (best(r, "t11/7b/pi1").scores[0] = 70),
  C30: (r) => void (six(r, "t4/llama/pi1-pi13").scores[0] = 40),
  C31: (r) => void (six(r, "t4/ppo/pi1").avg = 20),
  C32: (r) => void (six(r, "t12/8k/pi1").avg = 37),
  C33: (r) => void (six(r, "t10/instr/pi1").avg = 45),
  C34: (r) => void (six(r, "t4/7b/pi1-16").avg = 39),
  C35: (r) => void (abl(r, 2).math500 = 50),
  C36: (r) => void (abl(r, 8).math500 = 50),
  C37: (r) => void (abl(r, 6).math500 = 75),
  C38: (r) => void (six(r, "t14/pi1-outcome-noent").avg = 34),
  C39: (r) => void (six(r, "t13/q15").scores[5] = 5),
  C40: (r) => void (six(r, "t14/pi1-format-ent").scores[0] = 60),
  C41: (r) => void (r.trajectory.qwenEval[5] = 70),
  C43: (r) => void (six(r, "t16/q15/icl-qwen4").avg = 30),
  C44a: (r) => void (abl(r, 12).math500 = 70),
  C44b: (r) => void (six(r, "t17/grpo/90").avg = 36),
  C44c: (r) => void (six(r, "t8/pi1").avg = 37),
  C44d: (r) => void (r.passAt8.rows.find((x) => x.row === "DSR-sub step 1500")!.avg = 41.4),
  C45: (r) => void (six(r, "t7/1.5b/stored").avg = 17.6),
  C47: (r) => void (cat(r, "pi606").math500 = 38),
  C48: (r) => void (best(r, "t9/pi1").bestAvgStep = 500)
}

describe("claim registry", () => {
  it("has one entry per claim of claims.md, C1–C48 with sub-ids C44a–C44d (51 entries), each with a statement and source", () => {
    expect(claims.map((c) => c.id)).toEqual(EXPECTED_IDS)
    for (const c of claims) {
      expect(c.statement.length).toBeGreaterThan(20)
      expect(c.source.length).toBeGreaterThan(3)
    }
  })

  it("verdicts.json has a row for every claim: a replication row each, a paper row where the paper has numbers", () => {
    const rows = verdictRows(claims, context, [])
    expect(new Set(rows.map((r) => r.claim))).toEqual(new Set(EXPECTED_IDS))
    expect(rows.filter((r) => r.evidence === "replication").length).toBe(51)
    for (const r of rows.filter((x) => x.evidence === "replication")) expect(["insufficient-data", "not-applicable"]).toContain(r.verdict)
  })

  it("on the paper's own numbers, every paper check is consistent except the claims the tables contradict as worded", () => {
    for (const c of claims.filter((x) => x.paper !== undefined)) {
      const r = paper(c.id)
      expect([c.id, r.verdict, r.measured]).toEqual([c.id, INCONSISTENT.includes(c.id) ? "fails" : "holds", r.measured])
    }
  })

  it("every paper check can flip: one perturbation of the paper's numbers per claim changes its verdict", () => {
    expect(Object.keys(flips).sort()).toEqual(claims.filter((c) => c.paper !== undefined).map((c) => c.id).sort())
    for (const [id, f] of Object.entries(flips)) {
      const before = paper(id).verdict
      const after = paper(id, mutate(f)).verdict
      expect([id, after]).toEqual([id, before === "holds" ? "fails" : "holds"])
    }
  })

  it("every authors-data check holds on acc_step_500.json and fails when the history is perturbed", () => {
    const breakers: Record<string, (h: Array<[string, Array<number>]>) => void> = {
      C21: (h) => h.find(([id]) => id === "174")![1].fill(0.5, 0, 20),
      C22: (h) => h.find(([id]) => id === "124")![1].fill(0.9, 0, 10),
      C46: (h) => {
        const a = h.find(([id]) => id === "124")!
        const b = h.find(([id]) => id === "267")!
        ;[a[1], b[1]] = [b[1], a[1]]
      },
      C47: (h) => void (h.find(([id]) => id === "789")![1][0] = 0.125)
    }
    expect(Object.keys(breakers).sort()).toEqual(claims.filter((c) => c.authorsData !== undefined).map((c) => c.id).sort())
    for (const [id, f] of Object.entries(breakers)) {
      expect([id, authors(id).verdict]).toEqual([id, "holds"])
      expect([id, authors(id, { ...context, history: withHistory(f) }).verdict]).toEqual([id, "fails"])
    }
  })

  it("every reported six-benchmark average is recomputed: moving one makes a claim that lists it inconsistent", () => {
    for (const row of context.reported.sixBench) {
      const broken = mutate((r) => void (six(r, row.id).avg += row.unit === "tokens" ? 5 : 0.5))
      const failing = claims.filter((c) => row.claims.includes(c.id) && c.paper !== undefined && c.paper(broken).verdict === "fails").map((c) => c.id)
      expect([row.id, failing.length > 0]).toEqual([row.id, true])
    }
  })
})

describe("defects of the earlier paper checks, each gone", () => {
  it("C1 and C45 no longer compare three transcriptions of one row: editing a copy in another table changes nothing", () => {
    // Move two numbers of each copy in opposite directions: its own average stays right, the copies no longer agree.
    const copies = mutate((r) => {
      for (const id of ["t14/base", "t7/1.5b/hf", "t7/7b/hf"]) {
        six(r, id).scores[1]! += 0.6
        six(r, id).scores[2]! -= 0.6
      }
    })
    expect(paper("C1", copies).verdict).toBe("holds")
    expect(paper("C45", copies).verdict).toBe(paper("C45").verdict)
  })

  it("C43 no longer compares 75.4 with the literal 75.4", () => {
    expect(paper("C43", mutate((r) => void (six(r, "t16/7b/icl-pi1").scores[0] = 75.0))).measured).not.toMatch(/75\.4 vs 75\.4/)
  })

  it("C6: \"equals MATH-7.5k\" is the evaluation band, not the observed 0.1 gap (0.3 apart still equals)", () => {
    expect(paper("C6", mutate((r) => void (six(r, "t8/math7500").avg = 36.9))).verdict).toBe("holds")
  })

  it("C14: grader agreement is recomputed from the disagreement rate, not a bound at the observed 3.4", () => {
    expect(paper("C14", mutate((r) => void (r.trajectory.qwqJudge[1] = 58.0))).verdict).toBe("holds") // gap 4.2 ≤ 5% disagreement
    expect(paper("C14", mutate((r) => void (r.trajectory.qwqJudge[2] = 72.0))).verdict).toBe("fails") // gap 2.2 > 1.2% disagreement
  })

  it("C17: \"almost all ≥ 30%\" read literally is 8 of 12 (inconsistent), not \"≥ 28 with minimum 28.0\"", () => {
    expect(paper("C17").measured).toMatch(/8 of 12/)
    expect(paper("C17").verdict).toBe("fails")
  })

  it("C18: \"at least as good as format\" read as worded (π7, π11, π606 are below), not a band fitted to 1.2–1.6", () => {
    expect(paper("C18").verdict).toBe("fails")
    expect(paper("C18").measured).toMatch(/pi7 64 .*pi11 64 .*pi606 64\.4/)
  })

  it("C20: \"relatively low\" is below the median, not \"rank ≤ 3\" at rank 3", () => {
    expect(paper("C20").measured).toMatch(/median/)
    expect(paper("C20", mutate((r) => void (cat(r, "pi4").subjects[4] = 10))).verdict).toBe("holds")
  })

  it("C35: \"most of the gain\" is more than half; \"nothing significant\" is the band, not ≥ 74.8−3 and |Δ| ≤ 1 at 71.8 and 1.0", () => {
    expect(paper("C35", mutate((r) => void (abl(r, 2).math500 = 70.5))).verdict).toBe("holds")
    expect(paper("C35", mutate((r) => void (abl(r, 4).math500 = 69.5))).verdict).toBe("fails") // the text's +4.0 then is +5.3
  })

  it("C45: \"score differently\" has no ≤ 2 cap set at the observed 2.0", () => {
    expect(paper("C45", mutate((r) => {
      six(r, "t7/1.5b/stored").scores[0] = 45.6
      six(r, "t7/1.5b/stored").avg = 20.6
    })).verdict).toBe("holds")
  })

  it("C44d: the Table 20 arithmetic is a real check (41.3 vs 41.39 is reported as inconsistent, not judge(true))", () => {
    expect(paper("C44d").verdict).toBe("fails")
    expect(paper("C44d").measured).toMatch(/DSR-sub step 1500 41\.3 vs 41\.39/)
  })

  it("a paper verdict never overrides a replication verdict: the kinds are separate rows", () => {
    const rows = verdictRows(claims, context, [])
    for (const id of ["C3", "C14", "C16", "C31", "C35", "C38", "C39", "C40", "C44a", "C44b"]) {
      const kinds = rows.filter((r) => r.claim === id).map((r) => r.evidence)
      expect([id, kinds]).toEqual([id, ["paper", "replication"]])
      expect(rows.find((r) => r.claim === id && r.evidence === "replication")!.verdict).toBe("insufficient-data")
    }
  })
})

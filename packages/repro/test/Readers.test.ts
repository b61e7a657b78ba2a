import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { discoverRuns, roleFromFileName } from "../src/Discover.ts"
import { testAccuracy, trainAccuracy, validationBenchmark } from "../src/RunRecord.ts"
import { parseRunLog } from "../src/RunLogReader.ts"
import { parseStepPairs, parseVerlConsole, parseVerlNumber } from "../src/VerlConsoleReader.ts"
import { parseWandbCsv } from "../src/WandbCsvReader.ts"

const fixture = (name: string) => join(import.meta.dirname, "fixtures", name)
const read = (name: string) => readFileSync(fixture(name), "utf8")

describe("verl console reader", () => {
  it.effect("reads step lines behind a Ray prefix, wrapped numbers, and validation metrics as evaluations", () =>
    Effect.gen(function*() {
      const run = yield* parseVerlConsole(read("verl-console.txt"), "verl-console.txt", "1shot-pi1")
      expect(run.source).toBe("verl-console")
      expect(run.steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
      expect(trainAccuracy(run).map((p) => p.value)).toEqual([0.062, 0.125, 0.5, 0.875, 0.99, 1, 1])
      expect(run.steps[1]!.metrics["actor/lr"]).toBe(1e-6)
      expect("actor/entropy_loss" in run.steps[6]!.metrics).toBe(false) // nan dropped
      expect(testAccuracy(run, "math500")).toEqual([{ step: 0, value: 0.36 }, { step: 5, value: 0.55 }, { step: 7, value: 0.6 }])
    }))

  it.effect("reads carriage-return progress output and a pprint-wrapped initial validation dict", () =>
    Effect.gen(function*() {
      const text = "Initial validation metrics: {'val/test_score/a/math500': 0.3,\n 'val/test_score/b/aime24': np.float64(0.1)}\n" +
        "Training: 10%|#  \rstep:1 - critic/score/mean:0.250\r\nstep:2 - critic/score/mean:0.500\r\n"
      const run = yield* parseVerlConsole(text, "v.txt", "r")
      expect(run.steps).toEqual([
        { step: 0, metrics: { "val/test_score/a/math500": 0.3, "val/test_score/b/aime24": 0.1 } },
        { step: 1, metrics: { "critic/score/mean": 0.25 } },
        { step: 2, metrics: { "critic/score/mean": 0.5 } }
      ])
      expect(run.evals.map((e) => e.summary.benchmark)).toEqual(["math500", "aime24"])
    }))

  it.effect("fails naming the file when there is no step line", () =>
    Effect.gen(function*() {
      const e = yield* Effect.flip(parseVerlConsole("hello\n", "x.log", "r"))
      expect(e.message).toMatch(/^x\.log: expected a verl console log/)
    }))

  it("parses numbers and pairs the way verl prints them", () => {
    expect(parseVerlNumber("np.float64(0.25)")).toBe(0.25)
    expect(parseVerlNumber("tensor(0.5, device='cuda:0')")).toBe(0.5)
    expect(parseVerlNumber("1e-06")).toBe(1e-6)
    expect(parseVerlNumber("nan")).toBeUndefined()
    expect(parseVerlNumber("abc")).toBeUndefined()
    expect(parseStepPairs("a/b:1 - val/test_score/x:y/z:0.5")).toEqual({ "a/b": 1, "val/test_score/x:y/z": 0.5 })
    expect(validationBenchmark("val/test_score/simplerl/math500")).toBe("math500")
    expect(validationBenchmark("val-core/openai/gsm8k/reward/mean@1")).toBe("gsm8k")
    expect(validationBenchmark("critic/score/mean")).toBeUndefined()
  })
})

describe("W&B CSV reader", () => {
  it.effect("reads a panel export (run-name prefixes, __MIN/__MAX dropped, empty cells skipped)", () =>
    Effect.gen(function*() {
      const run = yield* parseWandbCsv(read("wandb-panel.csv"), "wandb-panel.csv", "1shot-pi1")
      expect(Object.keys(run.steps[1]!.metrics).sort()).toEqual(["actor/entropy_loss", "critic/score/mean"])
      expect(trainAccuracy(run).map((p) => p.step)).toEqual([1, 2, 3, 20])
      expect(testAccuracy(run).map((p) => p.value)).toEqual([0.36, 0.62])
    }))

  it.effect("reads a run-history export (_step, quoted cells, val-core metrics)", () =>
    Effect.gen(function*() {
      const run = yield* parseWandbCsv(read("wandb-history.csv"), "wandb-history.csv", "full-set")
      expect(run.steps.map((s) => s.step)).toEqual([0, 1, 2])
      expect(run.steps[2]!.metrics["response_length/mean"]).toBe(490)
      expect("_runtime" in run.steps[1]!.metrics).toBe(false)
      expect(testAccuracy(run, "math500")).toEqual([{ step: 0, value: 0.36 }])
    }))

  it.effect("ignores a pandas index column (history exported without index=False)", () =>
    Effect.gen(function*() {
      const run = yield* parseWandbCsv(",_step,critic/score/mean\n0,1,0.5\n1,2,0.75\n", "h.csv", "r")
      expect(run.steps).toEqual([{ step: 1, metrics: { "critic/score/mean": 0.5 } }, { step: 2, metrics: { "critic/score/mean": 0.75 } }])
    }))

  it.effect("fails on a CSV without a step column, and on a non-integer step naming the line", () =>
    Effect.gen(function*() {
      expect((yield* Effect.flip(parseWandbCsv("a,b\n1,2\n", "w.csv", "r"))).message).toMatch(/^w\.csv: expected a W&B CSV export with a step column/)
      expect((yield* Effect.flip(parseWandbCsv("Step,a\n1.5,2\n", "w.csv", "r"))).message).toBe("w.csv:2: expected an integer step, got 1.5")
    }))
})

describe("run-log reader", () => {
  it.effect("reads header, steps, evals, accuracy and generations; a resumed step keeps its last value; a torn last line is a warning", () =>
    Effect.gen(function*() {
      const run = yield* parseRunLog(read("run-log.jsonl"), "runs/run-log.jsonl")
      expect(run.role).toBe("1shot-pi1")
      expect(run.env?.device).toBe("cpu (2 cores)")
      expect(trainAccuracy(run)).toEqual([{ step: 1, value: 0.25 }, { step: 2, value: 0.625 }])
      expect(testAccuracy(run).map((p) => p.value)).toEqual([0.3, 0.45])
      expect(run.evals[0]!.summary.bySubject["add"]!.accuracy).toBe(0.4)
      expect(run.accuracy).toEqual([{ step: 1, perExample: { pi1: 0.25 } }])
      expect(run.generations[0]!.samples[0]!.reward).toBe(1)
      expect(run.warnings).toEqual(["runs/run-log.jsonl:10: torn last line ignored"])
    }))

  it.effect("fails naming path:line on a bad line that is not the last, and on a missing header", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(parseRunLog('{"_tag":"step","step":1,"metrics":{}}\nnot json\n{"_tag":"step","step":2,"metrics":{}}\n', "r.jsonl"))
      expect(bad.message).toBe("r.jsonl:2: expected a JSON run-log line, got not json")
      const wrong = yield* Effect.flip(parseRunLog('{"_tag":"step","step":"one","metrics":{}}\n{"_tag":"step","step":2,"metrics":{}}\n', "r.jsonl"))
      expect(wrong.message).toMatch(/^r\.jsonl:1: expected a run-log line/)
      const noHeader = yield* Effect.flip(parseRunLog('{"_tag":"step","step":1,"metrics":{}}\n', "r.jsonl"))
      expect(noHeader.message).toBe("r.jsonl: expected a run log starting with a header line, got no header line")
    }))

  it.effect("takes the role from the file name when the header has no experiment, and says so", () =>
    Effect.gen(function*() {
      const run = yield* parseRunLog('{"_tag":"header","runId":"x","createdAt":"t","config":{},"env":{"backend":"b","device":"d"}}\n', "dir/full-set.2.jsonl")
      expect(run.role).toBe("full-set")
      expect(run.warnings[0]).toMatch(/experiment missing/)
    }))
})

describe("run discovery", () => {
  it.effect("reads every run file by extension, in sub-folders too; a stray file is listed as skipped; a missing directory is no runs", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "repro-runs-"))
      mkdirSync(join(dir, "1shot-pi13", "checkpoints"), { recursive: true })
      copyFileSync(fixture("run-log.jsonl"), join(dir, "a.jsonl"))
      copyFileSync(fixture("verl-console.txt"), join(dir, "full-set.verl.log"))
      copyFileSync(fixture("wandb-panel.csv"), join(dir, "format-baseline.csv"))
      copyFileSync(fixture("verl-console.txt"), join(dir, "1shot-pi13", "console.log"))
      copyFileSync(fixture("verl-console.txt"), join(dir, "1shot-pi13", "checkpoints", "ignored.log"))
      writeFileSync(join(dir, "README.md"), "not a run")
      writeFileSync(join(dir, "notes.txt"), "just notes")
      const found = yield* discoverRuns(dir)
      expect(found.runs.map((r) => [r.role, r.source])).toEqual([
        ["1shot-pi13", "verl-console"],
        ["1shot-pi1", "run-log"],
        ["format-baseline", "wandb-csv"],
        ["full-set", "verl-console"]
      ])
      expect(found.skipped.map((s) => s.path.split("/").at(-1))).toEqual(["notes.txt"])
      expect(found.skipped[0]!.reason).toMatch(/expected a verl console log/)
      expect(yield* discoverRuns(join(dir, "nope"))).toEqual({ runs: [], skipped: [] })
      // One level: the files directly in the folder (the package's loose runs, a cohort of their own).
      expect((yield* discoverRuns(dir, 1)).runs.map((r) => r.role)).toEqual(["1shot-pi1", "format-baseline", "full-set"])
      expect(roleFromFileName("1shot-pi13.verl.log")).toBe("1shot-pi13")
    }))
})

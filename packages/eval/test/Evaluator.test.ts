import { Evaluator, InvalidInput, Problem, Sample, type TextGenerator } from "@oneshot/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fromProblems } from "../src/Benchmark.ts"
import { EvalHarness, EvaluatorLive } from "../src/Evaluator.ts"
import { formatGenerations, parseGenerations } from "../src/Generations.ts"
import { Aime24, Math500 } from "../src/PaperBenchmarks.ts"
import { Protocol, renderPrompt } from "../src/Protocol.ts"
import { formatTable, type ResponseRecord } from "../src/Report.ts"
import { StubVerifier } from "./support/StubVerifier.ts"
import { Policy, PolicyTest } from "@oneshot/policy"

const tiny = fromProblems("tiny", [
  new Problem({ id: "t/0", prompt: "1+1", answer: "2", subject: "Arith", level: 1, source: "tiny" }),
  new Problem({ id: "t/1", prompt: "2+2", answer: "4", subject: "Arith", level: 2, source: "tiny" }),
  new Problem({ id: "t/2", prompt: "x if 2x=6", answer: "3", subject: "Algebra", level: 2, source: "tiny" })
])
const four = new Protocol({ name: "four", template: "Q: {problem}\nA:", temperature: 1, n: 4, maxTokens: 16, ks: [2] })

const layer = EvaluatorLive.make({ benchmarks: [tiny], protocols: [four] }).pipe(Layer.provide(StubVerifier))

const tmp = (name: string, text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), "eval-gen-")), name)
  writeFileSync(file, text)
  return file
}

describe("grading a generations file: the numbers by hand", () => {
  const file = () =>
    tmp(
      "tiny.jsonl",
      [
        // t/0: 3 of 4 correct; answers 2,2,2,5 → maj 1; one truncated; one "Recheck"
        JSON.stringify({ id: "t/0", responses: ["\\boxed{2}", "so \\boxed{2}", "Recheck: \\boxed{2}", "\\boxed{5}"], finish_reasons: ["stop", "stop", "stop", "length"], tokens: [4, 6, 8, 10] }),
        // t/1 given as a row index: 1 of 4 correct; answers 4,5,5,none → maj 0
        JSON.stringify({ idx: 1, code: ["\\boxed{4}", "\\boxed{5}", "\\boxed{5}", "I give up"], finish_reasons: ["stop", "stop", "stop", "stop"], tokens: [1, 2, 3, 4] }),
        // t/2: none correct, no boxes
        JSON.stringify({ id: "t/2", responses: ["3?", "three", "rethink, RETHINK", "x=3"], finish_reasons: ["stop", "stop", "stop", "length"], tokens: [5, 5, 5, 5] })
      ].join("\n")
    )

  it.effect("accuracy, pass@k, maj@k, groups, boxed ratio, reflections, lengths, truncation", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const r = yield* h.gradeGenerationsFile(file(), "tiny", "four")
      const s = r.summary
      expect(s.n).toBe(3)
      expect(s.metric).toBe("avg@4")
      expect(s.samplesPerProblem).toBe(4)
      expect(s.responses).toBe(12)
      expect(s.accuracy).toBeCloseTo((3 / 4 + 1 / 4 + 0) / 3, 12)
      // pass@2 = 1 - C(n-c,2)/C(4,2): t/0 → 1, t/1 → 1 - 3/6, t/2 → 0
      expect(s.passAtK).toEqual({ "1": s.accuracy, "2": (1 + 0.5 + 0) / 3, "4": 2 / 3 })
      expect(s.majAtK?.["4"]).toBeCloseTo(1 / 3, 12)
      expect(s.majAtK?.["1"]).toBeCloseTo(2 / 3, 12) // first samples: 2 ✓, 4 ✓, none
      expect(s.bySubject).toEqual({ Algebra: { accuracy: 0, n: 1 }, Arith: { accuracy: 0.5, n: 2 } })
      expect(s.byLevel).toEqual({ "1": { accuracy: 0.75, n: 1 }, "2": { accuracy: 0.125, n: 2 } })
      expect(s.boxedRatio).toBeCloseTo(7 / 12, 12)
      expect(s.reflectionCount).toBe(2)
      expect(s.reflectionRate).toBeCloseTo(3 / 12, 12)
      expect(s.lengthUnit).toBe("tokens")
      expect(s.meanResponseLength).toBeCloseTo((28 + 10 + 20) / 12, 12)
      expect(s.truncationRate).toBeCloseTo(2 / 12, 12)
      expect(r.problems[1]!.samples[1]!.extracted).toBe("5")
      expect(r.problems[0]!.samples[3]!.truncated).toBe(true)
      expect(formatTable([s])).toContain("avg@4")
    }).pipe(Effect.provide(layer))
  )

  it.effect("without token counts or finish reasons: lengths in characters, no truncation rate", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const records = yield* parseGenerations(
        ['{"id":0,"responses":["\\\\boxed{2}"]}', '{"id":1,"responses":["\\\\boxed{4}"]}', '{"id":2,"response":"\\\\boxed{3}"}'].join("\n"),
        "inline"
      )
      const r = yield* h.gradeGenerations(records, "tiny", "plain-greedy")
      expect(r.summary.accuracy).toBe(1)
      expect(r.summary.metric).toBe("greedy")
      expect(r.summary.lengthUnit).toBe("chars")
      expect(r.summary.meanResponseLength).toBe(9)
      expect(r.summary.truncationRate).toBeUndefined()
    }).pipe(Effect.provide(layer))
  )

  it.effect("repeated ids append samples (a test set repeated k×)", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const lines = [0, 1, 2, 0, 1, 2].map((i, j) => JSON.stringify({ id: i, responses: [j < 3 ? "\\boxed{2}" : "\\boxed{4}"] }))
      const r = yield* h.gradeGenerations(yield* parseGenerations(lines.join("\n"), "x2"), "tiny", "four")
      expect(r.summary.samplesPerProblem).toBe(2)
      expect(r.problems.map((p) => p.correct)).toEqual([1, 1, 0])
    }).pipe(Effect.provide(layer))
  )

  it.effect("matchBy question: a test set repeated k× with ids past its size (aime24x8-style)", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const qs = ["1+1", "2+2", "x if 2x=6"]
      const golds = ["2", "4", "3"]
      // 2 copies, problem-major order, idx 0..5: by row index this would be wrong, by question it is right.
      const lines = [0, 0, 1, 1, 2, 2].map((p, idx) => JSON.stringify({ idx, question: qs[p], code: [idx % 2 === 0 ? `\\boxed{${golds[p]}}` : "\\boxed{9}"] }))
      const records = yield* parseGenerations(lines.join("\n"), "x8.jsonl")
      const r = yield* h.gradeGenerations(records, "tiny", "four", { matchBy: "question" })
      expect(r.summary.samplesPerProblem).toBe(2)
      expect(r.summary.accuracy).toBe(0.5)
      const bad = yield* Effect.flip(
        h.gradeGenerations(yield* parseGenerations('{"idx":0,"question":"3+3","code":["x"]}', "q.jsonl"), "tiny", "four", { matchBy: "question" })
      )
      expect(bad.message).toMatch(/^q\.jsonl:1: question "3\+3": expected a "question" \(or "problem"\) equal to exactly one problem statement of benchmark tiny/)
    }).pipe(Effect.provide(layer))
  )

  it.effect("recorded verdicts (math_eval.py's score) are compared with ours", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const lines = [
        { idx: 0, code: ["\\boxed{2}", "\\boxed{3}"], score: [true, true] }, // recorded-only on sample 2
        { idx: 1, code: ["\\boxed{4}", "4"], score: [false, false] }, // ours-only on sample 1
        { idx: 2, code: ["\\boxed{3}", "x"], score: [1, 0] }
      ].map((l) => JSON.stringify(l))
      const r = yield* h.gradeGenerations(yield* parseGenerations(lines.join("\n"), "scored.jsonl"), "tiny", "four")
      expect(r.summary.accuracy).toBeCloseTo(1 / 2, 12)
      expect(r.agreement).toEqual({ recordedAccuracy: 1 / 2, disagreements: 2, disagreementRate: 2 / 6, recordedOnly: 1, oursOnly: 1 })
      expect(r.problems[0]!.samples[1]!.recordedCorrect).toBe(true)
      const bad = yield* Effect.flip(parseGenerations('{"id":0,"responses":["a"],"score":[true,false]}', "s.jsonl"))
      expect(bad.message).toBe("s.jsonl:1: expected score with one verdict per response (1), got 2")
    }).pipe(Effect.provide(layer))
  )

  it.effect("bad files fail naming the line and what was expected", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const unknown = yield* Effect.flip(h.gradeGenerationsFile(tmp("u.jsonl", '{"id":"t/9","responses":["x"]}\n'), "tiny", "four"))
      expect(unknown).toBeInstanceOf(InvalidInput)
      expect(unknown.message).toMatch(/u\.jsonl:1: id "t\/9": expected an id of benchmark tiny/)
      const missing = yield* Effect.flip(h.gradeGenerationsFile(tmp("m.jsonl", '{"id":"t/0","responses":["x"]}\n'), "tiny", "four"))
      expect(missing.message).toMatch(/expected responses for all 3 problems.*2 missing, e\.g\. t\/1, t\/2/)
      const partial = yield* h.gradeGenerationsFile(tmp("p.jsonl", '{"id":"t/0","responses":["\\\\boxed{2}"]}\n'), "tiny", "four", { partial: true })
      expect(partial.summary.n).toBe(1)
      const uneven = yield* Effect.flip(
        h.gradeGenerations(yield* parseGenerations('{"id":0,"responses":["a","b"]}\n{"id":1,"responses":["a"]}\n{"id":2,"responses":["a","b"]}', "e"), "tiny", "four")
      )
      expect(uneven.message).toMatch(/problem t\/1: expected the same number of responses for every problem \(2, as t\/0\), got 1/)
      const shape = yield* Effect.flip(parseGenerations('{"id":0,"responses":"oops"}', "s.jsonl"))
      expect(shape.message).toMatch(/^s\.jsonl:1: expected a generations line/)
      const counts = yield* Effect.flip(parseGenerations('{"id":0,"responses":["a"],"tokens":[1,2]}', "c.jsonl"))
      expect(counts.message).toBe("c.jsonl:1: expected tokens with one entry per response (1), got 2")
      const bench = yield* Effect.flip(h.gradeGenerations([], "nope"))
      expect(bench.message).toMatch(/benchmark "nope": expected one of math500, aime24/)
      const proto = yield* Effect.flip(h.gradeGenerations([], "tiny", "nope"))
      expect(proto.message).toMatch(/protocol "nope": expected one of qwen25-math-cot/)
    }).pipe(Effect.provide(layer))
  )
})

/** Deterministic fake responses for problem i, sample j. */
const fakeResponses = (problems: ReadonlyArray<Problem>, n: number): Map<string, ReadonlyArray<ResponseRecord>> =>
  new Map(
    problems.map((p, i) => [
      p.id,
      Array.from({ length: n }, (_, j): ResponseRecord => {
        const kind = (i * 7 + j * 3) % 5
        const text =
          kind === 0 || kind === 1
            ? `Reasoning… The answer is \\boxed{${p.answer}}.`
            : kind === 2
              ? `Let me recheck. \\boxed{${p.answer}1}`
              : kind === 3
                ? "I think it is 7"
                : `Rethink… \\boxed{0}`
        return { text, tokens: 10 + ((i + j) % 13), finishReason: kind === 3 ? "length" : "eos" }
      })
    ])
  )

describe("a generations file and a stub Policy give identical reports", () => {
  for (const bench of [Math500, Aime24]) {
    it.effect(`${bench.name} under qwen25-math-cot`, () =>
      Effect.gen(function* () {
        const h = yield* EvalHarness
        const { protocol, settings } = yield* h.resolve(bench.name)
        const problems = yield* bench.load
        const table = fakeResponses(problems, settings.n)
        const byPrompt = new Map(problems.map((p) => [renderPrompt(protocol.template, p.prompt), p.id]))
        const calls: Array<{ n: number; temperature: number; maxTokens: number }> = []
        const policy: TextGenerator = (prompts, options) =>
          Effect.sync(() => {
            calls.push({ n: options.n, temperature: options.temperature, maxTokens: options.maxTokens })
            return prompts.map((prompt) =>
              table.get(byPrompt.get(prompt)!)!.map(
                (r) => new Sample({ text: r.text, tokenIds: Array.from({ length: r.tokens! }, () => 0), logprobs: Array.from({ length: r.tokens! }, () => 0), finishReason: r.finishReason! })
              )
            )
          })
        const viaPolicy = yield* h.run(policy, bench.name)
        const file = tmp(`${bench.name}.jsonl`, formatGenerations(problems.map((p) => ({ id: p.id, responses: table.get(p.id)! }))))
        const viaFile = yield* h.gradeGenerationsFile(file, bench.name)
        expect({ ...viaFile, origin: "policy" }).toEqual(viaPolicy)
        expect(viaPolicy.summary.samplesPerProblem).toBe(bench.name === "aime24" ? 8 : 1)
        expect(calls[0]).toEqual(bench.name === "aime24" ? { n: 8, temperature: 0.6, maxTokens: 3072 } : { n: 1, temperature: 0, maxTokens: 3072 })
        expect(viaPolicy.summary.accuracy).toBeGreaterThan(0)
        expect(viaPolicy.summary.accuracy).toBeLessThan(1)
        // And core's Evaluator contract returns the same summary.
        const evaluator = yield* Evaluator
        expect(yield* evaluator.evaluate(policy, bench.name)).toEqual(viaPolicy.summary)
        expect(viaPolicy.summary.problemScores).toBeUndefined()
        // Asked for, each problem's score comes back in the benchmark's order; they average to the accuracy.
        const paired = yield* evaluator.evaluate(policy, bench.name, undefined, { perProblem: true })
        expect(paired.problemScores).toEqual(viaPolicy.problems.map((p) => p.score))
        expect(paired.problemScores!.map((_, i) => viaPolicy.problems[i]!.id)).toEqual(problems.map((p) => p.id))
        expect(paired.problemScores!.reduce((a, x) => a + x, 0) / paired.n).toBeCloseTo(paired.accuracy, 12)
        expect({ ...paired, problemScores: undefined }).toEqual({ ...viaPolicy.summary, problemScores: undefined })
      }).pipe(Effect.provide(layer))
    )
  }

  it.effect("through @oneshot/policy's stub Policy layer (truncation included) and its file: identical", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const gold: Record<string, string> = { "Q: 1+1\nA:": "2", "Q: 2+2\nA:": "4", "Q: x if 2x=6\nA:": "3" }
      const policyLayer = PolicyTest.layer({
        respond: (prompt, i) =>
          i === 0 ? `\\boxed{${gold[prompt] ?? "?"}}` : i === 1 ? "recheck \\boxed{7}" : i === 2 ? "x".repeat(40) : `so ${gold[prompt] ?? "?"}`
      })
      const viaPolicy = yield* Effect.flatMap(Policy, (p) => h.run(p.generate, "tiny", "four")).pipe(Effect.provide(policyLayer))
      // "recheck \\boxed{7}" and the 40 x's run past 16 tokens: 2 of 4 truncated.
      expect(viaPolicy.summary.truncationRate).toBeCloseTo(2 / 4, 12)
      expect(viaPolicy.summary.accuracy).toBeCloseTo(1 / 4, 12)
      const file = tmp(
        "from-policy.jsonl",
        formatGenerations(
          viaPolicy.problems.map((p) => ({
            id: p.id,
            responses: p.samples.map((s) => ({ text: s.response, tokens: s.length, finishReason: s.truncated === true ? ("length" as const) : ("eos" as const) }))
          }))
        )
      )
      const viaFile = yield* h.gradeGenerationsFile(file, "tiny", "four")
      expect({ ...viaFile, origin: "policy" }).toEqual(viaPolicy)
    }).pipe(Effect.provide(layer))
  )

  it.effect("batches prompts by the protocol's batchSize and reports progress", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const sizes: Array<number> = []
      const two = new Protocol({ name: "two", template: "{problem}", maxTokens: 4, batchSize: 2 })
      const h = yield* Effect.provide(
        EvalHarness,
        EvaluatorLive.make({ benchmarks: [tiny], protocols: [two], onBatch: (p) => Effect.sync(() => seen.push(`${p.benchmark} ${p.done}/${p.total}`)) }).pipe(
          Layer.provide(StubVerifier)
        )
      )
      const gen: TextGenerator = (prompts) =>
        Effect.sync(() => {
          sizes.push(prompts.length)
          return prompts.map(() => [new Sample({ text: "\\boxed{2}", tokenIds: [1], logprobs: [0], finishReason: "eos" })])
        })
      const r = yield* h.run(gen, "tiny", "two")
      expect(sizes).toEqual([2, 1])
      expect(seen).toEqual(["tiny 2/3", "tiny 3/3"])
      expect(r.summary.accuracy).toBeCloseTo(1 / 3, 12)
    })
  )

  it.effect("a generator returning the wrong number of samples is an InvalidInput", () =>
    Effect.gen(function* () {
      const h = yield* EvalHarness
      const bad: TextGenerator = (prompts) => Effect.succeed(prompts.map(() => []))
      const err = yield* Effect.flip(h.run(bad, "tiny", "four"))
      expect(err.message).toBe("generator output for t/0: expected 4 samples, got 0")
    }).pipe(Effect.provide(layer))
  )
})

/**
 * Benchmark (issue 5, item 7): time to grade 10,000 recorded responses end to
 * end — write a generations file for MATH500 with 20 samples per problem
 * (reference solutions, wrong answers, unboxed answers, long rambling ones),
 * then read, parse, align, grade (real Verifier, qwen-eval mode) and summarise it.
 *
 *   npm run bench -w @oneshot/eval            # 10,000 responses
 *   BENCH_SAMPLES=4 npm run bench -w @oneshot/eval
 */
import { VerifierLive } from "@oneshot/verifier"
import { Effect, Layer } from "effect"
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { EvalHarness, EvaluatorLive } from "../src/Evaluator.ts"
import { formatGenerations } from "../src/Generations.ts"
import { dataFile, Math500 } from "../src/PaperBenchmarks.ts"
import { formatTable } from "../src/Report.ts"

const samples = Number(process.env["BENCH_SAMPLES"] ?? 20)
const solutions = readFileSync(dataFile("math500"), "utf8")
  .trim()
  .split("\n")
  .map((l) => (JSON.parse(l) as { solution: string }).solution)

const program = Effect.gen(function* () {
  const problems = yield* Math500.load
  const records = problems.map((p, i) => ({
    id: p.id,
    responses: Array.from({ length: samples }, (_, j) => {
      const kind = (i + j) % 5
      const sol = solutions[i]!
      const text =
        kind === 0 || kind === 1
          ? sol
          : kind === 2
            ? `${sol}\nWait, let me recheck. Actually the answer is \\boxed{${p.answer} + 1}.`
            : kind === 3
              ? `${sol.replace(/\\boxed/g, "")} So that is the result.`
              : `${"Let me think about this carefully. ".repeat(40)}${sol}`
      return { text, tokens: Math.ceil(text.length / 3.5), finishReason: kind === 4 ? ("length" as const) : ("eos" as const) }
    })
  }))
  const file = join(mkdtempSync(join(tmpdir(), "eval-bench-")), "math500-generations.jsonl")
  writeFileSync(file, formatGenerations(records))
  const h = yield* EvalHarness
  yield* h.gradeGenerationsFile(file, "math500", undefined, { origin: file }).pipe(Effect.asVoid) // warm-up: JIT, loaders
  const t0 = performance.now()
  const report = yield* h.gradeGenerationsFile(file, "math500")
  const ms = performance.now() - t0
  const n = report.summary.responses ?? 0
  console.log(formatTable([report.summary]))
  console.log(
    `\ngraded ${n} responses (${(statSync(file).size / 1e6).toFixed(1)} MB file) end to end in ${(ms / 1000).toFixed(2)} s ` +
      `= ${((1000 * n) / ms).toFixed(0)} responses/s, ${(ms / n).toFixed(3)} ms/response ` +
      `(node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? "?"})`
  )
})

Effect.runPromise(program.pipe(Effect.provide(EvaluatorLive.make().pipe(Layer.provide(VerifierLive))))).catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})

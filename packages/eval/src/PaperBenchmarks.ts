/**
 * The paper's six benchmarks, read from `packages/eval/data` (see its
 * PROVENANCE.md) and normalised into core `Problem`s the way the Qwen2.5-Math
 * evaluation code reads them. Problem ids are `<benchmark>/<0-based row>`, the
 * row index being the `idx` that Qwen2.5-Math's `math_eval.py` writes.
 */
import { Problem } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { fileURLToPath } from "node:url"
import { type Benchmark, checkSize, loadJsonl } from "./Benchmark.ts"
import { lastBoxed } from "./Boxed.ts"

/** Absolute path of a bundled benchmark file. */
export const dataFile = (name: string): string => fileURLToPath(new URL(`../data/${name}/test.jsonl`, import.meta.url))

const Text = Schema.String
const ProblemOrQuestion = { problem: Schema.optional(Text), question: Schema.optional(Text) }
/** Qwen2.5-Math's `parse_question` takes `question` before `problem` (identical in these files). */
const statement = (r: { readonly problem?: string | undefined; readonly question?: string | undefined }) => r.question ?? r.problem

/** AMC23 stores answers as JSON numbers (27.0): render them as the integer or decimal they are. */
const numberAnswer = (x: number): string => String(x)

/** Strips `$…$` math delimiters, as Qwen2.5-Math's `parse_ground_truth` does for OlympiadBench. */
const stripDollars = (s: string): string => s.trim().replace(/^\$+/, "").replace(/\$+$/, "").trim()

const paper = <A, I>(spec: {
  readonly name: string
  readonly description: string
  readonly size: number
  readonly defaultProtocol: string
  readonly row: Schema.Schema<A, I>
  readonly rowDescription: string
  readonly toProblem: (a: A, index: number) => Problem | string
}): Benchmark => ({
  name: spec.name,
  description: spec.description,
  size: spec.size,
  defaultProtocol: spec.defaultProtocol,
  load: Effect.suspend(() => loadJsonl(dataFile(spec.name), spec.row, spec.rowDescription, spec.toProblem)).pipe(
    Effect.flatMap((ps) => checkSize(spec.name, spec.size, ps))
  )
})

export const Math500 = paper({
  name: "math500",
  description: "MATH500 (Lightman et al. 2023): 500 MATH test problems with subject and level",
  size: 500,
  defaultProtocol: "qwen25-math-cot",
  row: Schema.Struct({ problem: Text, answer: Text, subject: Text, level: Schema.Int, unique_id: Text }),
  rowDescription: "a MATH500 row {problem, answer, subject, level: int, unique_id}",
  toProblem: (r, i) =>
    new Problem({ id: `math500/${i}`, prompt: r.problem, answer: r.answer, subject: r.subject, level: r.level, source: "math500" })
})

export const Aime24 = paper({
  name: "aime24",
  description: "AIME 2024 (30 problems)",
  size: 30,
  defaultProtocol: "qwen25-math-cot",
  row: Schema.Struct({ ...ProblemOrQuestion, answer: Text }),
  rowDescription: "an AIME24 row {problem|question, answer: string}",
  toProblem: (r, i) => {
    const p = statement(r)
    return p === undefined ? "a problem or question field" : new Problem({ id: `aime24/${i}`, prompt: p, answer: r.answer.trim(), source: "aime24" })
  }
})

export const Aime25 = paper({
  name: "aime25",
  description: "AIME 2025 (30 problems)",
  size: 30,
  defaultProtocol: "qwen25-math-cot",
  row: Schema.Struct({ ...ProblemOrQuestion, answer: Text }),
  rowDescription: "an AIME25 row {problem|question, answer: string}",
  toProblem: (r, i) => {
    const p = statement(r)
    return p === undefined ? "a problem or question field" : new Problem({ id: `aime25/${i}`, prompt: p, answer: r.answer.trim(), source: "aime25" })
  }
})

export const Amc23 = paper({
  name: "amc23",
  description: "AMC 2023 (40 problems)",
  size: 40,
  defaultProtocol: "qwen25-math-cot",
  row: Schema.Struct({ ...ProblemOrQuestion, answer: Schema.Union(Schema.Number, Text) }),
  rowDescription: "an AMC23 row {question|problem, answer: number or string}",
  toProblem: (r, i) => {
    const p = statement(r)
    if (p === undefined) return "a question or problem field"
    const answer = typeof r.answer === "number" ? numberAnswer(r.answer) : r.answer.trim()
    return new Problem({ id: `amc23/${i}`, prompt: p, answer, source: "amc23" })
  }
})

export const MinervaMath = paper({
  name: "minerva_math",
  description: "Minerva Math (272 MIT OCW problems); the gold answer is the last \\boxed{} of the solution",
  size: 272,
  defaultProtocol: "qwen25-math-cot",
  row: Schema.Struct({ problem: Text, solution: Text, type: Schema.optional(Text) }),
  rowDescription: "a Minerva row {problem, solution containing \\boxed{…}, type?}",
  toProblem: (r, i) => {
    const answer = lastBoxed(r.solution)
    if (answer === null) return "a solution with a closed \\boxed{…} answer"
    return new Problem({
      id: `minerva_math/${i}`,
      prompt: r.problem,
      answer: answer.trim(),
      ...(r.type === undefined ? {} : { subject: r.type }),
      source: "minerva_math"
    })
  }
})

export const OlympiadBench = paper({
  name: "olympiadbench",
  description: "OlympiadBench OE_TO_maths_en_COMP (675 problems); gold = final_answer[0] without $…$",
  size: 675,
  defaultProtocol: "qwen25-math-cot",
  row: Schema.Struct({
    question: Text,
    final_answer: Schema.NonEmptyArray(Text),
    subfield: Schema.optional(Text)
  }),
  rowDescription: "an OlympiadBench row {question, final_answer: non-empty string[], subfield?}",
  toProblem: (r, i) => {
    const answer = stripDollars(r.final_answer[0])
    if (answer === "") return "a non-empty final_answer[0]"
    return new Problem({
      id: `olympiadbench/${i}`,
      prompt: r.question,
      answer,
      ...(r.subfield === undefined ? {} : { subject: r.subfield }),
      source: "olympiadbench"
    })
  }
})

/** The paper's benchmarks, in the column order of its tables. */
export const PAPER_BENCHMARKS: ReadonlyArray<Benchmark> = [Math500, Aime24, Amc23, MinervaMath, OlympiadBench, Aime25]

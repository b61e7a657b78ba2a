import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Either } from "effect"
import { gradeJsonl, jsonlLines, parseGradeLine } from "../src/index.ts"

const INPUT = [
  JSON.stringify({ id: 1, response: "so \\boxed{4}", gold: "4" }),
  "not json",
  "",
  JSON.stringify({ response: 3, gold: "4" }),
  JSON.stringify({ id: 2, response: "no answer here", gold: "4" }),
  JSON.stringify({ id: 3, response: "The answer is 5.", gold: "4" })
]

describe("gradeJsonl (rlvr grade)", () => {
  it("one output line per input line, in order: graded lines with rule and timedOut, malformed ones as {error}", () => {
    const r = gradeJsonl(`${INPUT.join("\n")}\n`, "in.jsonl")
    const out = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(out).toHaveLength(INPUT.length)
    expect(out[0]).toEqual({ id: 1, response: "so \\boxed{4}", gold: "4", correct: true, extracted: "4", rule: "string-equal", timedOut: false })
    expect(out[1]?.["error"]).toMatch(/^in\.jsonl:2: expected a JSON object/)
    expect(out[2]?.["error"]).toMatch(/^in\.jsonl:3: .*got an empty line/)
    expect(out[3]?.["error"]).toMatch(/^in\.jsonl:4: expected string fields "response" and "gold"/)
    expect(out[4]).toEqual({ id: 2, response: "no answer here", gold: "4", correct: false, extracted: null, rule: "no-answer", timedOut: false })
    expect(out[5]).toMatchObject({ id: 3, correct: false, extracted: "5", timedOut: false })
    expect(r.errors.map((e) => e.input)).toEqual(["in.jsonl:2", "in.jsonl:3", "in.jsonl:4"])
    expect(r.summary).toMatchObject({ count: 3, correct: 1, malformed: 3, timedOut: 0 })
    expect(r.summary.accuracy).toBeCloseTo(1 / 3)
  })
  it("a final newline ends the last line and adds none; CRLF is accepted", () => {
    expect(jsonlLines("a\nb\n")).toEqual(["a", "b"])
    expect(jsonlLines("a\n\nb")).toEqual(["a", "", "b"])
    const r = gradeJsonl(`${JSON.stringify({ response: "\\boxed{1}", gold: "1" })}\r\n`, "crlf.jsonl")
    expect(r.lines).toHaveLength(1)
    expect(r.summary.correct).toBe(1)
  })
  it("a spent time bound is reported as timedOut", () => {
    const r = gradeJsonl(JSON.stringify({ response: "\\boxed{\\frac{x^2-1}{x-1}}", gold: "x+1" }), "t.jsonl", { timeoutMs: 0 })
    expect(JSON.parse(r.lines[0] as string)).toMatchObject({ correct: false, rule: "timeout", timedOut: true })
    expect(r.summary.timedOut).toBe(1)
  })
  it("rejects non-object JSON with the line number", () => {
    const e = parseGradeLine("[1,2]", 7, "f.jsonl")
    expect(Either.isLeft(e) && e.left.message.startsWith("f.jsonl:7")).toBe(true)
  })
})

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)))
const BIN = join(ROOT, "packages", "cli", "bin", "rlvr.mjs")

const rlvr = (args: ReadonlyArray<string>, stdin: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 110_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr })
    })
    child.stdin?.end(stdin)
  })

describe("rlvr grade as a process", () => {
  it("- reads stdin; one line out per line in; exit 1 when a line was malformed, 0 when none", async () => {
    const bad = await rlvr(["grade", "-"], `${INPUT.join("\n")}\n`)
    expect(bad.code, bad.stderr).toBe(1)
    const out = bad.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(out.map((o) => (o["error"] === undefined ? o["correct"] : "error"))).toEqual([true, "error", "error", "error", false, false])
    expect(bad.stderr).toContain("<stdin>:2:")
    expect(bad.stderr).toContain("3 malformed")
    const good = await rlvr(["grade", "--mode", "deepscaler", "-"], `${INPUT[0]}\n${INPUT[5]}\n`)
    expect(good.code, good.stderr).toBe(0)
    expect(good.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { rule: string }).rule)).toEqual(["string-equal", "no-answer"])
  })
  it("a pipe gets every line before the exit, also when it fails (more output than a pipe buffer holds)", async () => {
    const n = 4000
    const lines = Array.from({ length: n }, (_, k) => (k === 1234 ? "{oops" : JSON.stringify({ id: k, response: `so \\boxed{${k}}`, gold: String(k) })))
    const r = await rlvr(["grade", "-"], `${lines.join("\n")}\n`)
    expect(r.code, r.stderr).toBe(1)
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id?: number; correct?: boolean; error?: string })
    expect(out).toHaveLength(n)
    expect(out.every((o, k) => (k === 1234 ? o.error !== undefined : o.id === k && o.correct === true))).toBe(true)
  })
})

/** Grades MATH500 reference solutions against their own answers (development aid). */
import { readFileSync } from "node:fs"
import type { VerifierMode } from "@oneshot/core"
import { grade } from "../src/index.ts"

const mode = (process.argv[2] ?? "strict") as VerifierMode
const rows = readFileSync(new URL("../data/math500.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as { solution: string; answer: string; unique_id: string })
let ok = 0
const times: Array<number> = []
for (const r of rows) {
  const t = performance.now()
  const g = grade(r.solution, r.answer, { mode })
  times.push(performance.now() - t)
  if (g.correct) ok++
  else console.log(r.unique_id, g.rule, JSON.stringify(g.extracted), "|", JSON.stringify(r.answer), "|", g.normalizedExtracted, "|", g.normalizedGold)
}
times.sort((a, b) => a - b)
console.log(`${mode}: ${ok}/${rows.length}; p50 ${times[Math.floor(times.length / 2)]?.toFixed(3)} ms, p99 ${times[Math.floor(times.length * 0.99)]?.toFixed(3)} ms, total ${times.reduce((a, b) => a + b, 0).toFixed(0)} ms`)

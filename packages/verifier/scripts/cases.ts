/** Grades the public cases and prints the disagreements (development aid). */
import { readFileSync } from "node:fs"
import { grade } from "../src/index.ts"

const file = new URL("../test/fixtures/cases-public.jsonl", import.meta.url)
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim().length > 0)
let ok = 0
for (const line of lines) {
  const c = JSON.parse(line) as { id: string; gold: string; prediction: string; expected: boolean }
  const t = performance.now()
  const g = grade(c.prediction, c.gold, { mode: "strict" })
  const ms = performance.now() - t
  if (g.correct === c.expected) ok++
  else console.log(c.id, "expected", c.expected, "got", g.correct, g.rule, JSON.stringify(g.extracted), "|", g.normalizedExtracted, "|", g.normalizedGold, ms.toFixed(1))
}
console.log(`${ok}/${lines.length}`)

import { grade } from "./src/index.ts"
grade("x","y")
const cases: Array<[string, string, string]> = [
  ["a*1e5", "a".repeat(100_000), "1"],
  ["1+", "1 + ".repeat(25_000) + "\\boxed{2}", "2"],
  ["box x+", `\\boxed{${"x+".repeat(50_000)}1}`, "x+1"],
  ["$1$", "$1$ ".repeat(25_000), "1"],
  ["words", `${"word ".repeat(20_000)} \\boxed{42}`, "42"],
  ["nested {", `\\boxed{${"{".repeat(10_000)}1${"}".repeat(10_000)}}`, "1"],
  ["nested (", `\\boxed{${"(".repeat(10_000)}1${")".repeat(10_000)}}`, "1"],
  ["frac", `\\boxed{${"\\frac{".repeat(10_000)}}`, "1"],
  ["sqrt", `\\boxed{${"\\sqrt{".repeat(5_000)}2${"}".repeat(5_000)}}`, "\\sqrt{2}"],
  ["{", "{".repeat(10_000), "1"],
]
for (const [name, r, g] of cases) {
  const t = performance.now()
  const res = grade(r, g)
  console.log(name, (performance.now() - t).toFixed(1), res.rule, res.correct)
}

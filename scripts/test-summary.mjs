// Sums every package's vitest JSON report into one closing line,
// `tests: N passed, N failed, N skipped`, after `turbo run test`.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

let passed = 0
let failed = 0
let skipped = 0
const missing = []
for (const pkg of readdirSync("packages")) {
  if (!existsSync(join("packages", pkg, "package.json"))) continue
  const file = join("packages", pkg, ".vitest", "results.json")
  if (!existsSync(file)) {
    missing.push(pkg)
    continue
  }
  const r = JSON.parse(readFileSync(file, "utf8"))
  passed += r.numPassedTests
  failed += r.numFailedTests
  skipped += r.numPendingTests + (r.numTodoTests ?? 0)
}
if (missing.length > 0) console.log(`(no test report from: ${missing.join(", ")})`)
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : 0)

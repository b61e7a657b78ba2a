#!/usr/bin/env node
/**
 * Switches a package's `exports` between its two forms:
 *   src  — the development form committed in the repository: `./src/*.ts`, run by tsx and vitest
 *          with no build step;
 *   dist — the installable form inside an `npm pack` tarball: `{ types: ./dist/*.d.ts, default: ./dist/*.js }`.
 * `prepack` builds and switches to dist, `postpack` switches back, so a tarball works in a plain
 * Node project and the repository stays as committed. The two forms map one to one, so an
 * interrupted pack is undone by `node scripts/package-exports.mjs src` in the package.
 * Usage (in a package directory): node ../../scripts/package-exports.mjs src|dist
 */
import { readFileSync, writeFileSync } from "node:fs"

const mode = process.argv[2]
if (mode !== "src" && mode !== "dist") {
  process.stderr.write("package-exports: expected src or dist\n")
  process.exit(2)
}
const file = "package.json"
const text = readFileSync(file, "utf8")
const pkg = JSON.parse(text)

/** `./src/X.ts` → `{ types: ./dist/X.d.ts, default: ./dist/X.js }`, and back. */
const toDist = (target) =>
  typeof target === "string" && target.startsWith("./src/") && target.endsWith(".ts")
    ? { types: target.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, ".d.ts"), default: target.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, ".js") }
    : target
const toSrc = (target) =>
  target !== null && typeof target === "object" && typeof target.default === "string" && target.default.startsWith("./dist/")
    ? target.default.replace(/^\.\/dist\//, "./src/").replace(/\.js$/, ".ts")
    : target

const convert = mode === "dist" ? toDist : toSrc
pkg.exports = Object.fromEntries(Object.entries(pkg.exports ?? {}).map(([k, v]) => [k, convert(v)]))
const out = `${JSON.stringify(pkg, null, 2)}\n`
if (out !== text) writeFileSync(file, out)

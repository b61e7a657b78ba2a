#!/usr/bin/env node
/**
 * Builds a package to JavaScript with type declarations (`dist/`), after the
 * workspace packages it depends on (their `dist/` is what its declarations
 * import). tsc emits with `rewriteRelativeImportExtensions`, so the sources'
 * `./X.ts` imports become `./X.js`.
 * Usage (in a package directory): node ../../scripts/build-package.mjs
 */
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const packages = resolve(dirname(fileURLToPath(import.meta.url)), "..", "packages")
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const built = new Set()

const build = (dir) => {
  if (built.has(dir)) return
  built.add(dir)
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    if (dep.startsWith("@oneshot/")) build(join(packages, dep.slice("@oneshot/".length)))
  }
  if (!existsSync(join(dir, "tsconfig.build.json"))) return
  process.stderr.write(`build ${pkg.name}\n`)
  execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.build.json")], { stdio: "inherit" })
}

build(process.cwd())

#!/usr/bin/env node
// In the repository the packages are TypeScript sources ("just-in-time" internal packages):
// tsx compiles them on load, so a fresh clone runs after `npm ci` with no build step.
// An installed tarball (npm pack) carries the built dist/ instead and runs it with plain node.
import { existsSync } from "node:fs"

const source = new URL("../src/main.ts", import.meta.url)
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api")
  register()
  await import(source.href)
} else {
  await import(new URL("../dist/main.js", import.meta.url).href)
}

#!/usr/bin/env node
// The packages are TypeScript sources ("just-in-time" internal packages):
// tsx compiles them on load, so a fresh clone runs after `npm ci` with no build step.
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")

/**
 * The server alone, for the load test: `tsx bench/Serve.ts [--workers N] [--mode M] [--grader MODULE#EXPORT]`
 * on 127.0.0.1, a free port. Same code path as `rlvr serve-reward`, without
 * loading the whole CLI (and every other package) first.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { makeConfig, runForever } from "../src/index.ts"

const args = process.argv.slice(2)
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const workers = arg("workers")
const grader = arg("grader")
const hash = grader?.lastIndexOf("#") ?? -1

makeConfig({
  port: 0,
  host: "127.0.0.1",
  ...(workers === undefined ? {} : { workers: Number(workers) }),
  ...(grader === undefined ? {} : hash < 0 ? { graderModule: grader } : { graderModule: grader.slice(0, hash), graderExport: grader.slice(hash + 1) }),
  ...(arg("mode") === undefined ? {} : { mode: arg("mode") as "deepscaler" })
}).pipe(Effect.flatMap(runForever), NodeRuntime.runMain)

/**
 * Child process for the kill -9 test: trains the config at argv[2]
 * (`--resume` as argv[3] to continue). The verifier sleeps 25 ms per batch so
 * the parent can kill it mid-run.
 */
import { Backend } from "@oneshot/policy"
import { Effect, Layer, Schema } from "effect"
import { readFileSync } from "node:fs"
import { BigramPolicyLayer } from "../../src/BigramPolicy.ts"
import { TrainConfig } from "../../src/Config.ts"
import { train } from "../../src/Trainer.ts"
import { SlowVerifier } from "./Task.ts"

const config = Schema.decodeUnknownSync(TrainConfig)(JSON.parse(readFileSync(process.argv[2]!, "utf8")))
const program = train(config, (dir) => BigramPolicyLayer({ seed: 1 }, dir), { quiet: true, resume: process.argv[3] === "--resume" })
Effect.runPromise(program.pipe(Effect.provide(Layer.merge(SlowVerifier, Backend.wasm)))).then(
  (r) => console.log(JSON.stringify({ step: r.step, finished: r.finished })),
  (e) => {
    console.error(e)
    process.exit(1)
  }
)

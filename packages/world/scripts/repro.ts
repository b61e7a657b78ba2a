/**
 * `turbo run repro` for the embedded default model: re-scores the committed
 * base model (`models/base`) on the world's four test sets exactly as its
 * model card did, and checks that the table is the one the card reports
 * (`models/base/logs/base-eval.txt`). Greedy decoding on wasm is
 * deterministic, so the numbers must match to the digit.
 *
 * Exit 0 when they match, 1 when they do not (with both tables printed).
 */
import { Backend, backendFromEnv, PolicyLive } from "@oneshot/policy"
import { VerifierLive } from "@oneshot/verifier"
import { Console, Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { BASE_MODEL_DIR, verifyCheckpoint } from "../src/BaseModel.ts"
import { formatScores, scoreWorld } from "../src/WorldEval.ts"

const cardTable = path.join(BASE_MODEL_DIR, "logs", "base-eval.txt")

const program = Effect.scoped(
  Effect.gen(function* () {
    yield* verifyCheckpoint(BASE_MODEL_DIR)
    const t0 = performance.now()
    const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(BASE_MODEL_DIR), (p) => p.dispose)
    const scores = yield* scoreWorld(policy.generate)
    const measured = formatScores(scores).trim()
    // The card's log is `rlvr world eval --out …` output: drop its trailing "wrote FILE" line.
    const expected = fs.readFileSync(cardTable, "utf8").split("\n").filter((l) => !l.startsWith("wrote ")).join("\n").trim()
    const seconds = ((performance.now() - t0) / 1000).toFixed(0)
    yield* Console.log(`embedded default model (${path.relative(process.cwd(), BASE_MODEL_DIR)}), sha256 verified, scored in ${seconds} s:\n`)
    yield* Console.log(measured)
    if (measured === expected) {
      yield* Console.log(`\nholds: the scores equal the model card's (${path.relative(process.cwd(), cardTable)})`)
      return
    }
    yield* Console.error(`\nfails: the scores differ from the model card's (${cardTable}), which reports:\n\n${expected}`)
    process.exitCode = 1
  })
).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))

Effect.runPromise(program).catch((e: unknown) => {
  console.error(`world repro: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 2
})

/**
 * `npx tsx packages/world/scripts/first-token.ts --policy DIR [--per-cell 6]`:
 * the exact probability (T = 1, scored, not sampled) that a world policy
 * opens its answer with the terse `T` (`The answer is …`) or the `Steps:`
 * lead of the worked styles, averaged over the world-math500 prompts of the
 * per-cell subset, per category and overall. The first token decides the
 * style, so this reads the style mix a model has learnt without sampling
 * noise (base model v2, issue 15: the loss-normalisation check).
 * Exit 2 on bad arguments.
 */
import { Backend, backendFromEnv, PolicyLive } from "@oneshot/policy"
import * as tf from "@tensorflow/tfjs"
import { Console, Effect } from "effect"
import { parseArgs } from "node:util"
import { readSplit } from "../src/Files.ts"
import { perCellSubset } from "../src/StyleEval.ts"
import { formatPrompt } from "../src/Template.ts"

const { values } = (() => {
  try {
    return parseArgs({ options: { policy: { type: "string" }, "per-cell": { type: "string" } } })
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    return process.exit(2)
  }
})()
const perCell = Number(values["per-cell"] ?? 6)
if (values.policy === undefined || !Number.isInteger(perCell) || perCell <= 0) {
  console.error(`expected --policy DIR [--per-cell N > 0], got --policy ${JSON.stringify(values.policy)} --per-cell ${JSON.stringify(values["per-cell"])}`)
  process.exit(2)
}
const policyDir = values.policy
const OPENINGS = ["T", "S"] as const

const program = Effect.scoped(
  Effect.gen(function* () {
    const problems = perCellSubset(yield* readSplit("world-math500"), perCell)
    const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(policyDir), (p) => p.dispose)
    const tk = policy.tokenizer
    const sums = new Map<string, { n: number; p: Array<number> }>()
    for (const problem of problems) {
      const ids = [tk.bosId, ...tk.encode(formatPrompt(problem.prompt))]
      // One batch row per opening: the log-probability of its token after the prompt.
      const probs = tf.tidy(() => {
        const { logprobs } = policy.scoreTensors({
          tokens: OPENINGS.map((c) => [...ids, ...tk.encode(c)]),
          responseMask: OPENINGS.map(() => [...ids.map(() => 0), 1])
        })
        const lp = logprobs.arraySync() as Array<Array<number>>
        return OPENINGS.map((_, i) => Math.exp(lp[i]![ids.length]!))
      })
      for (const key of [problem.subject ?? "?", "overall"]) {
        const s = sums.get(key) ?? { n: 0, p: OPENINGS.map(() => 0) }
        s.n++
        probs.forEach((q, i) => (s.p[i]! += q))
        sums.set(key, s)
      }
    }
    yield* Console.log(`${policyDir}: ${problems.length} world-math500 prompts, p(first token) at T = 1`)
    const rows = [...sums].sort(([a], [b]) => Number(a === "overall") - Number(b === "overall"))
    for (const [key, s] of rows) yield* Console.log(`${key.padEnd(12)} ${OPENINGS.map((c, i) => `p(${c}) ${(s.p[i]! / s.n).toFixed(3)}`).join("  ")}`)
  })
).pipe(Effect.provide(Backend.layer(backendFromEnv())))

Effect.runPromise(program).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})

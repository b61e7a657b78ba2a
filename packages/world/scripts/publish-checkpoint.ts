/**
 * `npx tsx packages/world/scripts/publish-checkpoint.ts --from DIR --to DIR`:
 * copies a checkpoint's files (config.json, tokenizer.json, model.safetensors)
 * into a committed model directory and writes its SHA256SUMS, then verifies
 * them — what `rlvr pretrain --publish` does for `models/base`, for any other
 * published model (base model v2: `--to packages/world/models/base-v2`).
 * Changes committed files only because it is asked to. Exit 2 on bad arguments.
 */
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import { parseArgs } from "node:util"
import { publishCheckpoint, verifyCheckpoint } from "../src/BaseModel.ts"

const { values } = (() => {
  try {
    return parseArgs({ options: { from: { type: "string" }, to: { type: "string" } } })
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    return process.exit(2)
  }
})()
if (values.from === undefined || !fs.existsSync(values.from) || values.to === undefined) {
  console.error(`expected --from <an existing checkpoint directory> --to <a model directory>, got --from ${JSON.stringify(values.from)} --to ${JSON.stringify(values.to)}`)
  process.exit(2)
}
const [from, to] = [values.from, values.to]

Effect.runPromise(
  Effect.gen(function* () {
    const sums = yield* publishCheckpoint(from, to)
    for (const [f, h] of sums) yield* Console.log(`${h}  ${f}`)
    yield* verifyCheckpoint(to)
    yield* Console.error(`published ${from} → ${to} (SHA256SUMS verified)`)
  })
).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})

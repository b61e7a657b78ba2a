/**
 * `npm run bench -w @oneshot/world`: throughput of the base preset on this
 * machine — seconds per SFT step (batch 16) and greedy generation speed on a
 * stratified slice of the MATH500-like set. Heavy work lives here, not in tests.
 */
import { GenerateOptions } from "@oneshot/core"
import { Backend, backendFromEnv, PolicyLive } from "@oneshot/policy"
import { runSft, SftConfig } from "@oneshot/trainer/Sft"
import { Console, Effect } from "effect"
import { cpus } from "node:os"
import { demoTestSet } from "../src/Demo.ts"
import { readSplit } from "../src/Files.ts"
import { corpusBatches, PRETRAIN_PRESETS } from "../src/Pretrain.ts"
import { formatPrompt } from "../src/Template.ts"

const STEPS = Number(process.env["BENCH_STEPS"] ?? 10)

const program = Effect.scoped(
  Effect.gen(function* () {
    const preset = PRETRAIN_PRESETS.base
    const backend = yield* Backend
    const policy = yield* Effect.acquireRelease(PolicyLive.make(preset.model, { seed: preset.initSeed }), (p) => p.dispose)
    const config = SftConfig.make({ ...preset.sft, steps: STEPS, checkpointEvery: 0 })
    const t0 = performance.now()
    const r = yield* runSft(policy, config, corpusBatches(preset))
    const perStep = (performance.now() - t0) / 1000 / STEPS
    const tokens = r.history.reduce((s, m) => s + m.tokens, 0) / STEPS
    yield* Console.log(`backend ${backend.name}, ${cpus().length} cores: SFT ${perStep.toFixed(2)} s/step (batch ${preset.sft.batchSize}, ${tokens.toFixed(0)} target tokens/step)`)
    const test = demoTestSet(yield* readSplit("world-math500"), 1)
    const t1 = performance.now()
    const out = yield* policy.generate(test.map((p) => formatPrompt(p.prompt)), GenerateOptions.make({ maxTokens: 240, temperature: 0 }))
    const gen = (performance.now() - t1) / 1000
    const toks = out.reduce((s, o) => s + (o[0]?.tokenIds.length ?? 0), 0)
    yield* Console.log(`greedy generation: ${test.length} prompts, ${toks} tokens in ${gen.toFixed(1)} s (${(toks / gen).toFixed(0)} tokens/s; untrained model, mostly to the 240-token limit)`)
  })
)

Effect.runPromise(program.pipe(Effect.provide(Backend.layer(backendFromEnv())))).catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})

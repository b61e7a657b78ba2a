/**
 * Named configurations as data: the paper's recipe, the same recipe scaled to
 * this project's CPU-sized models, and one preset per experiment of the paper
 * (Table 5 rows, format-reward baseline, PPO, label noise, temperature).
 * A preset is a plain JSON object, decoded like a `--config` file, so
 * `--set` overrides apply on top of it.
 */
import { InvalidInput } from "@oneshot/core"
import { Effect } from "effect"
import { fileURLToPath } from "node:url"
import { composeConfig, type TrainConfig } from "./Config.ts"
import { rankHistoryFile } from "./Select.ts"

/** A file of `packages/trainer/data` (bundled, with PROVENANCE.md). */
export const dataFile = (name: string): string => fileURLToPath(new URL(`../data/${name}`, import.meta.url))

/** A JSON object, as presets and `--set` overrides are written. */
export type Json = { readonly [k: string]: unknown }

/** Deep merge of plain objects (arrays and scalars of `b` replace those of `a`): how presets build on each other. */
export const merge = (a: Json, b: Json): Json => {
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k]
    out[k] =
      v !== null && typeof v === "object" && !Array.isArray(v) && cur !== null && typeof cur === "object" && !Array.isArray(cur)
        ? merge(cur as Json, v as Json)
        : v
  }
  return out
}

/**
 * The authors' recipe (training_1.5b_pi1_r128.sh + verl defaults, see
 * /work/shared/paper/claims.md §1.1): GRPO, 128 prompts × 8 rollouts, lr 1e-6
 * constant, AdamW wd 0.01, clip 0.2, grad clip 1.0, KL k3 0.001 as a loss,
 * entropy 0.001, temperature 0.6, response 3072, 2000 steps, save/eval every 20.
 */
const paper: Json = {
  seed: 0,
  data: { train: dataFile("pi1_r128.parquet"), shuffle: true },
  algorithm: { advEstimator: "grpo" },
  actor: {
    pgCoef: 1,
    entropyCoef: 0.001,
    klCoef: 0.001,
    klEstimator: "k3",
    aggregation: "token-mean",
    clipLow: 0.2,
    clipHigh: 0.2,
    ppoEpochs: 1,
    optimizer: { lr: 1e-6, weightDecay: 0.01, gradClip: 1.0, beta1: 0.9, beta2: 0.999, schedule: { _tag: "constant" } }
  },
  rollout: { n: 8, temperature: 0.6, topP: 1, maxTokens: 3072 },
  reward: { mode: "deepscaler" },
  eval: { every: 20, beforeTrain: true, benchmarks: ["math500"] },
  trainer: { steps: 2000, batchSize: 128, checkpointEvery: 20, generationsEvery: 20 }
}

/**
 * The same recipe scaled to a small CPU model: 16 prompts × 8 rollouts,
 * 200 steps, responses ≤ 128 tokens, lr 1e-4 (a tiny model needs a larger
 * step than a 1.5B one), forward passes of 8 responses (wasm memory),
 * everything else unchanged.
 */
const scaled: Json = merge(paper, {
  actor: { optimizer: { lr: 1e-4 }, microBatchSize: 8 },
  rollout: { maxTokens: 128 },
  eval: { every: 20, beforeTrain: true },
  trainer: { steps: 200, batchSize: 16, checkpointEvery: 20, generationsEvery: 20 }
})

const pool = { train: dataFile("dsr_sub.parquet"), duplicateTo: undefined }
const oneShot = (file: string) => ({ data: { train: dataFile(file) } })

/** Table 5 (π1): [row, experiment, pg, weight decay, kl, entropy, label]. */
const table5: ReadonlyArray<readonly [number, string, number, number, number, number, string | undefined]> = [
  [1, "ablation-none", 0, 0, 0, 0, undefined],
  [2, "ablation-pg-only", 1, 0, 0, 0, undefined],
  [3, "ablation-pg-wd", 1, 0.01, 0, 0, undefined],
  [4, "ablation-pg-wd-kl", 1, 0.01, 0.001, 0, undefined],
  [5, "ablation-full", 1, 0.01, 0.001, 0.001, undefined],
  [6, "ablation-ent-0.003", 1, 0.01, 0.001, 0.003, undefined],
  [7, "ablation-pg-ent", 1, 0, 0, 0.001, undefined],
  [8, "ablation-wd-kl", 0, 0.01, 0.001, 0, undefined],
  [9, "ablation-wd-kl-ent", 0, 0.01, 0.001, 0.001, undefined],
  [10, "ablation-ent-only", 0, 0, 0, 0.001, undefined],
  [11, "label-12.7", 1, 0.01, 0.001, 0.001, "12.7"],
  [12, "label-4", 1, 0.01, 0.001, 0.001, "4"],
  [13, "label-9292725", 1, 0.01, 0.001, 0.001, "9292725"]
]

/**
 * A task any fresh model can learn on CPU in a minute, for demos and smoke
 * tests from a fresh clone: prompt = a digit d, answer = (d + 1) mod 10,
 * graded by the real Verifier (`strict` mode reads a bare final answer).
 * A 1-layer transformer with a digit vocabulary, 8 rollouts × 5 prompts.
 */
const demo: Json = {
  seed: 0,
  model: {
    init: {
      config: {
        vocab_size: 14,
        hidden_size: 32,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        num_key_value_heads: 2,
        intermediate_size: 64,
        max_position_embeddings: 64,
        rms_norm_eps: 1e-6,
        rope_theta: 10000,
        tie_word_embeddings: true
      },
      chars: "0123456789",
      seed: 3
    }
  },
  data: { train: dataFile("next_digit.jsonl") },
  actor: { entropyCoef: 0.001, klCoef: 0.001, optimizer: { lr: 0.01, weightDecay: 0.01 } },
  rollout: { n: 8, temperature: 1, maxTokens: 1 },
  reward: { mode: "strict" },
  trainer: { steps: 40, batchSize: 5, checkpointEvery: 10, generationsEvery: 10 }
}

const entries: Array<readonly [string, Json]> = [
  ["demo-next-digit", merge(demo, { experiment: "demo-next-digit", tags: ["demo", "grpo"] })],
  [
    "demo-next-digit-ppo",
    merge(demo, { experiment: "demo-next-digit-ppo", tags: ["demo", "ppo"], algorithm: { advEstimator: "gae" }, critic: { optimizer: { lr: 0.01, weightDecay: 0 } } })
  ],
  ["paper-1shot-pi1", merge(paper, { experiment: "1shot-pi1", tags: ["paper-scale", "pi1", "grpo"] })],
  ["paper-full-set", merge(paper, { experiment: "full-set", tags: ["paper-scale", "dsr-sub", "grpo"], data: pool })],
  ["1shot-pi1", merge(scaled, { experiment: "1shot-pi1", tags: ["pi1", "grpo"], ...oneShot("pi1_r128.parquet") })],
  ["1shot-pi2", merge(scaled, { experiment: "1shot-pi2", tags: ["pi2", "grpo"], ...oneShot("pi2_r128.parquet") })],
  ["1shot-pi13", merge(scaled, { experiment: "1shot-pi13", tags: ["pi13", "grpo"], ...oneShot("pi13_r128.parquet") })],
  ["1shot-pi1209", merge(scaled, { experiment: "1shot-pi1209", tags: ["pi1209", "grpo"], ...oneShot("pi1209_r128.parquet") })],
  ["2shot-pi1-pi13", merge(scaled, { experiment: "2shot-pi1-pi13", tags: ["few-shot", "grpo"], ...oneShot("merge_pi1_pi13_r128.parquet") })],
  ["4shot-pi1-pi2-pi13-pi1209", merge(scaled, { experiment: "4shot-pi1-pi2-pi13-pi1209", tags: ["few-shot", "grpo"], ...oneShot("merge_pi1_pi2_pi13_pi1209_r128.parquet") })],
  ["full-set", merge(scaled, { experiment: "full-set", tags: ["dsr-sub", "grpo"], data: pool })],
  ["format-baseline", merge(scaled, { experiment: "format-baseline", tags: ["dsr-sub", "format-reward"], data: pool, reward: { mode: "format" } })],
  ["format-1shot-pi1", merge(scaled, { experiment: "format-1shot-pi1", tags: ["pi1", "format-reward"], reward: { mode: "format" } })],
  ["1shot-pi1-no-ent", merge(scaled, { experiment: "1shot-pi1-no-ent", tags: ["pi1", "exploration"], actor: { entropyCoef: 0 } })],
  ["1shot-pi1-t1.0", merge(scaled, { experiment: "1shot-pi1-t1.0", tags: ["pi1", "exploration"], rollout: { temperature: 1.0 } })],
  [
    "ppo-1shot-pi1",
    merge(scaled, { experiment: "ppo-1shot-pi1", tags: ["pi1", "ppo"], algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 } })
  ],
  [
    "ppo-full-set",
    merge(scaled, { experiment: "ppo-full-set", tags: ["dsr-sub", "ppo"], data: pool, algorithm: { advEstimator: "gae", gamma: 1, lambda: 1 } })
  ],
  ...[0.6, 0.9].map(
    (f) =>
      [
        `label-noise-${f * 100}`,
        merge(scaled, { experiment: `label-noise-${f * 100}`, tags: ["dsr-sub", "label-noise", "grpo"], data: { ...pool, labelNoise: f, labelNoiseSeed: 0 } })
      ] as const
  ),
  ...table5.map(
    ([row, name, pg, wd, kl, ent, label]) =>
      [
        name,
        merge(scaled, {
          experiment: name,
          tags: ["table5", `row${row}`, "pi1"],
          data: label === undefined ? {} : { labelOverride: label },
          actor: { pgCoef: pg, klCoef: kl, entropyCoef: ent, optimizer: { weightDecay: wd } }
        })
      ] as const
  )
]

/** Preset name → raw config JSON (before decoding). */
export const presets: ReadonlyMap<string, Json> = new Map(
  entries.map(([name, json]) => [name, merge(json, { trainer: { runDir: `runs/${name}` } })] as const)
)

/**
 * π_k for any k: the example of rank k by historical variance on the
 * recorded DSR-sub history (`data/acc_step_500.json`), which is how the
 * paper numbers its examples (π1 = 124, π13 = 682, π1209 = 789), from the
 * DSR-sub pool duplicated to 128 rows as the authors' `pi*_r128` files.
 */
const rankedPi = (k: number, base: Json, name: string): Effect.Effect<Json, InvalidInput> =>
  Effect.gen(function* () {
    const ranked = yield* Effect.mapError(rankHistoryFile(dataFile("acc_step_500.json")), (e) => new InvalidInput({ input: `--preset ${name}`, expected: "the bundled acc_step_500.json", actual: e.message }))
    const ex = ranked[k - 1]
    if (ex === undefined) return yield* new InvalidInput({ input: `--preset ${name}`, expected: `π1 … π${ranked.length}`, actual: `π${k}` })
    return merge(base, {
      experiment: name.replace(/^paper-/, ""),
      tags: [`pi${k}`, "grpo", ...(name.startsWith("paper-") ? ["paper-scale"] : [])],
      data: { train: dataFile("dsr_sub.parquet"), ids: [ex.id], duplicateTo: 128 },
      trainer: { runDir: `runs/${name}` }
    })
  })

/** Raw JSON of a preset (a listed name, or `1shot-pi<k>` / `paper-1shot-pi<k>` for any rank k), or an InvalidInput listing the names. */
export const presetJson = (name: string): Effect.Effect<Json, InvalidInput> => {
  const p = presets.get(name)
  if (p !== undefined) return Effect.succeed(p)
  const m = /^(paper-)?1shot-pi(\d+)$/.exec(name)
  if (m !== null) return rankedPi(Number(m[2]), m[1] === undefined ? scaled : paper, name)
  return Effect.fail(new InvalidInput({ input: `--preset ${name}`, expected: `one of ${[...presets.keys()].join(", ")}, or 1shot-pi<k> / paper-1shot-pi<k> for any rank k` }))
}

/** A config from a preset and/or a YAML or JSON file, with overrides (own or verl keys), composed in that order. */
export const loadConfig = (source: { readonly config?: string | undefined; readonly preset?: string | undefined; readonly sets?: ReadonlyArray<string> }): Effect.Effect<TrainConfig, InvalidInput> =>
  Effect.gen(function* () {
    const preset = source.preset === undefined ? undefined : { name: source.preset, json: yield* presetJson(source.preset) }
    const composed = yield* composeConfig({ ...(preset === undefined ? {} : { preset }), ...(source.config === undefined ? {} : { configFile: source.config }), overrides: source.sets ?? [] })
    return composed.config
  })

/**
 * The trainer's typed configuration. Every loss term and switch of the
 * paper's experiments is a field here, so each run (Table 5 rows, the
 * format-reward baseline, PPO vs GRPO, label noise, rollout temperature) is a
 * config, and the run log's header records it in full.
 *
 * Names follow verl where verl has one (in the field docs), so a verl command
 * line translates field by field.
 */
import { InvalidInput, VerifierMode } from "@oneshot/core"
import { ModelConfig } from "@oneshot/policy"
import { Effect, Either, ParseResult, Schema } from "effect"
import { KlEstimator } from "./Kl.ts"
import { LossAggregation } from "./LossAggregation.ts"
import { OptimizerConfig } from "./Optimizer.ts"

const NonNegInt = Schema.Int.pipe(Schema.nonNegative())
const PosInt = Schema.Int.pipe(Schema.positive())
const opt = <S extends Schema.Schema.Any>(s: S, d: () => Schema.Schema.Type<S>) =>
  Schema.optionalWith(s, { default: d as never }) as unknown as Schema.optionalWith<S, { default: () => Schema.Schema.Type<S> }>

export const AdvantageEstimator = Schema.Literal("grpo", "drgrpo", "rloo", "gae")
export type AdvantageEstimator = typeof AdvantageEstimator.Type

export class ModelSection extends Schema.Class<ModelSection>("ModelSection")({
  /** Checkpoint directory of the initial policy (verl `actor_rollout_ref.model.path`). */
  path: Schema.optional(Schema.String),
  /** Or fresh random weights of a `@oneshot/policy` model preset (for smoke runs; RL needs a pretrained base to learn anything real). */
  init: Schema.optional(
    Schema.Struct({
      /** A named shape (tiny | small | medium), or… */
      preset: Schema.optional(Schema.Literal("tiny", "small", "medium")),
      /** …an explicit one (Hugging Face field names). */
      config: Schema.optional(ModelConfig),
      /** Character vocabulary of the tokenizer (default: newline + printable ASCII). */
      chars: Schema.optional(Schema.String),
      seed: opt(Schema.Int, () => 0)
    })
  ),
  /** tfjs backend: wasm | cpu | webgpu | tensorflow (default: ONESHOT_BACKEND or wasm). */
  backend: Schema.optional(Schema.String)
}) {}

export class DataSection extends Schema.Class<DataSection>("DataSection")({
  /** Training file: verl parquet (`*.parquet`) or JSONL of core `Problem`s (verl `data.train_files`). */
  train: Schema.String,
  /** Keep only these example ids (DSR-sub `extra_info.index`), in this order: 1-shot/few-shot from the full pool. */
  ids: Schema.optional(Schema.Array(Schema.String)),
  /** Duplicate the examples round-robin to this many rows (the authors' `pi1_r128` files: 128). */
  duplicateTo: Schema.optional(PosInt),
  /** Replace every gold answer with this label (Table 5 rows 11–13). */
  labelOverride: Schema.optional(Schema.String),
  /** Fraction of examples whose label is replaced by a wrong one (App. C.2.4); deterministic given `labelNoiseSeed`. */
  labelNoise: opt(Schema.Number.pipe(Schema.between(0, 1)), () => 0),
  labelNoiseSeed: opt(Schema.Int, () => 0),
  /** Shuffle the rows every epoch (verl `data.shuffle`). */
  shuffle: opt(Schema.Boolean, () => true),
  /** How a problem becomes the prompt text; `{prompt}` is replaced. DSR-sub prompts already carry the instruction. */
  promptTemplate: opt(Schema.String, () => "{prompt}")
}) {}

export class AlgorithmSection extends Schema.Class<AlgorithmSection>("AlgorithmSection")({
  /** verl `algorithm.adv_estimator`: grpo | drgrpo (no std) | rloo | gae (PPO with the value head). */
  advEstimator: opt(AdvantageEstimator, () => "grpo" as const),
  /** GAE discount and trace decay (verl `algorithm.gamma`, `algorithm.lam`). */
  gamma: opt(Schema.Number.pipe(Schema.between(0, 1)), () => 1),
  lambda: opt(Schema.Number.pipe(Schema.between(0, 1)), () => 1),
  /** KL as a reward penalty (verl `algorithm.kl_ctrl.kl_coef` when `use_kl_loss` is off); 0 disables. */
  klRewardCoef: opt(Schema.Number.pipe(Schema.nonNegative()), () => 0),
  klRewardEstimator: opt(KlEstimator, () => "k1" as const)
}) {}

export class ActorSection extends Schema.Class<ActorSection>("ActorSection")({
  /** Policy-gradient loss coefficient (verl `actor.pg_loss_coeff`); 0 = Table 5 "PG off". */
  pgCoef: opt(Schema.Number.pipe(Schema.nonNegative()), () => 1),
  /** Entropy bonus (verl `entropy_coeff`; paper α = −0.001 means 0.001 here). */
  entropyCoef: opt(Schema.Number, () => 0.001),
  /** KL loss coefficient (verl `kl_loss_coef` with `use_kl_loss`); 0 disables the term and the reference policy. */
  klCoef: opt(Schema.Number.pipe(Schema.nonNegative()), () => 0.001),
  /** verl `kl_loss_type`: k3 = `low_var_kl`. */
  klEstimator: opt(KlEstimator, () => "k3" as const),
  /** verl `loss_agg_mode`. */
  aggregation: opt(LossAggregation, () => "token-mean" as const),
  /** verl `clip_ratio_low` / `clip_ratio_high` (DAPO clip-higher when high > low). */
  clipLow: opt(Schema.Number.pipe(Schema.positive()), () => 0.2),
  clipHigh: opt(Schema.Number.pipe(Schema.positive()), () => 0.2),
  /** Dual-clip constant (verl `clip_ratio_c`, > 1); absent = off as in the authors' verl. */
  clipRatioC: Schema.optional(Schema.Number.pipe(Schema.greaterThan(1))),
  /** verl `ppo_epochs`. */
  ppoEpochs: opt(PosInt, () => 1),
  /** Prompts per optimizer step (verl `ppo_mini_batch_size`); absent = the whole batch (1 update per step, the paper). */
  miniBatchSize: Schema.optional(PosInt),
  /** Responses per forward/backward pass (verl `ppo_micro_batch_size`), gradients accumulated exactly; absent = the whole mini-batch. Bounds memory, not the math. */
  microBatchSize: Schema.optional(PosInt),
  /** Shuffle responses between mini-batches (verl `actor.shuffle`). */
  shuffle: opt(Schema.Boolean, () => false),
  optimizer: opt(OptimizerConfig, () => OptimizerConfig.make({}))
}) {}

export class CriticSection extends Schema.Class<CriticSection>("CriticSection")({
  /** The value head's optimizer (verl critic default lr 1e-5, no weight decay here). */
  optimizer: opt(OptimizerConfig, () => OptimizerConfig.make({ lr: 1e-5, weightDecay: 0 })),
  /** verl `critic.cliprange_value`. */
  clipRangeValue: opt(Schema.Number.pipe(Schema.positive()), () => 0.5)
}) {}

export class RolloutSection extends Schema.Class<RolloutSection>("RolloutSection")({
  /** Rollouts per prompt (verl `rollout.n`). */
  n: opt(PosInt, () => 8),
  temperature: opt(Schema.Number.pipe(Schema.nonNegative()), () => 0.6),
  topP: opt(Schema.Number.pipe(Schema.between(0, 1)), () => 1),
  /** verl `data.max_response_length`. */
  maxTokens: opt(PosInt, () => 256),
  stop: opt(Schema.Array(Schema.String), () => [])
}) {}

export class RewardSection extends Schema.Class<RewardSection>("RewardSection")({
  /** `deepscaler` (the paper's reward) or `format` (the format-reward baseline). */
  mode: opt(VerifierMode, () => "deepscaler" as const),
  timeoutMs: opt(PosInt, () => 100)
}) {}

export class EvalSection extends Schema.Class<EvalSection>("EvalSection")({
  /** Evaluate every k steps through the Evaluator when one is provided; 0 = never (verl `test_freq`). */
  every: opt(NonNegInt, () => 0),
  /** Evaluate before the first step (verl `val_before_train`). */
  beforeTrain: opt(Schema.Boolean, () => false),
  benchmarks: opt(Schema.Array(Schema.String), () => []),
  protocol: Schema.optional(Schema.String)
}) {}

export class TrainerSection extends Schema.Class<TrainerSection>("TrainerSection")({
  /** Total training steps (one rollout batch and its updates each). */
  steps: opt(PosInt, () => 100),
  /** Prompts per step (verl `data.train_batch_size`). */
  batchSize: opt(PosInt, () => 8),
  /** Checkpoint every k steps (verl `save_freq`); the last step is always checkpointed. */
  checkpointEvery: opt(PosInt, () => 10),
  /** Keep only the newest k checkpoints (0 = all). */
  keepCheckpoints: opt(NonNegInt, () => 3),
  /** Log a few sampled responses every k steps; 0 = never. */
  generationsEvery: opt(NonNegInt, () => 10),
  generationsLogged: opt(NonNegInt, () => 4),
  /** Where the run log and checkpoints go. */
  runDir: opt(Schema.String, () => "runs/default")
}) {}

export class TrainConfig extends Schema.Class<TrainConfig>("TrainConfig")({
  /** A short role name the repro suite looks runs up by: `1shot-pi1`, `full-set`, `format-baseline`, `ablation-pg-only`, … */
  experiment: Schema.String.pipe(Schema.minLength(1)),
  tags: opt(Schema.Array(Schema.String), () => []),
  /** Seeds data order, sampling and label noise. */
  seed: opt(Schema.Int, () => 0),
  model: opt(ModelSection, () => ModelSection.make({})),
  data: DataSection,
  algorithm: opt(AlgorithmSection, () => AlgorithmSection.make({})),
  actor: opt(ActorSection, () => ActorSection.make({})),
  critic: opt(CriticSection, () => CriticSection.make({})),
  rollout: opt(RolloutSection, () => RolloutSection.make({})),
  reward: opt(RewardSection, () => RewardSection.make({})),
  eval: opt(EvalSection, () => EvalSection.make({})),
  trainer: opt(TrainerSection, () => TrainerSection.make({}))
}) {}

const show = (v: unknown): string => {
  const s = JSON.stringify(v)
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s
}

const valueAt = (obj: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<PropertyKey, unknown>)[k] : undefined), obj)

/**
 * Decodes a config from plain JSON, rejecting unknown fields (a typo must not
 * silently fall back to a default). The error names the field, the value and
 * what was expected.
 */
export const decodeConfig = (raw: unknown, source = "config"): Effect.Effect<TrainConfig, InvalidInput> => {
  const r = Schema.decodeUnknownEither(TrainConfig, { onExcessProperty: "error", errors: "all" })(raw)
  if (Either.isRight(r)) return Effect.succeed(r.right)
  // Optional fields decode as `X | undefined`, so drop the "Expected undefined" alternatives
  // and merge the rest per field: `actor.aggregation: expected "token-mean" or ...`.
  const issues = ParseResult.ArrayFormatter.formatErrorSync(r.left).filter((i) => !/^Expected undefined\b/.test(i.message))
  const byPath = new Map<string, { path: ReadonlyArray<PropertyKey>; tag: string; expected: Array<string> }>()
  for (const i of issues) {
    const key = i.path.join(".") || "(root)"
    const what = i._tag === "Unexpected" ? "no such field" : i._tag === "Missing" ? "a value (required)" : i.message.replace(/^Expected /, "").replace(/, actual [\s\S]*$/, "")
    const e = byPath.get(key) ?? { path: i.path, tag: i._tag, expected: [] }
    if (!e.expected.includes(what)) e.expected.push(what)
    byPath.set(key, e)
  }
  const [field, first] = [...byPath.entries()][0] ?? ["(root)", { path: [], tag: "Type", expected: ["a config object"] }]
  const others = [...byPath.entries()].slice(1).map(([k, e]) => `; also ${k}: ${e.expected.join(" or ")}`)
  return Effect.fail(
    new InvalidInput({
      input: `${source} field ${field}`,
      expected: `${first.expected.join(" or ")}${others.join("")}`,
      actual: first.tag === "Missing" ? "nothing" : show(valueAt(raw, first.path))
    })
  )
}

/** `key.path=value`: value parsed as JSON when it is JSON (numbers, booleans, arrays), else taken as a string. */
export const applySet = (raw: unknown, assignment: string): Effect.Effect<unknown, InvalidInput> => {
  const eq = assignment.indexOf("=")
  if (eq <= 0) {
    return Effect.fail(new InvalidInput({ input: `--set ${assignment}`, expected: "key.path=value (e.g. actor.entropyCoef=0)" }))
  }
  const path = assignment.slice(0, eq).split(".")
  const text = assignment.slice(eq + 1)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = text
  }
  const root: Record<string, unknown> = raw !== null && typeof raw === "object" ? structuredClone(raw as Record<string, unknown>) : {}
  let node = root
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (next === undefined) node[key] = {}
    else if (next === null || typeof next !== "object" || Array.isArray(next)) {
      return Effect.fail(new InvalidInput({ input: `--set ${assignment}`, expected: `${key} to be an object section`, actual: show(next) }))
    }
    node = node[key] as Record<string, unknown>
  }
  node[path[path.length - 1]!] = value
  return Effect.succeed(root)
}

/** Applies `--set` overrides in order, then decodes. */
export const configWithOverrides = (
  raw: unknown,
  sets: ReadonlyArray<string>,
  source = "config"
): Effect.Effect<TrainConfig, InvalidInput> =>
  Effect.gen(function* () {
    let cur = raw
    for (const s of sets) cur = yield* applySet(cur, s)
    return yield* decodeConfig(cur, source)
  })

/** The JSON form of a config (what goes into the run-log header and `--config` files). */
export const encodeConfig = (config: TrainConfig): unknown => Schema.encodeSync(TrainConfig)(config)

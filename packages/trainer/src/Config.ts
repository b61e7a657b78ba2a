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
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet"
import { readFileSync } from "node:fs"
import { parse as parseYaml } from "yaml"
import { registeredAdvantageEstimators } from "./AdvantageEstimators.ts"
import { KlEstimator } from "./Kl.ts"
import { LossAggregation } from "./LossAggregation.ts"
import { OptimizerConfig } from "./Optimizer.ts"
import { isIgnoredVerlKey, VERL_ALIASES } from "./VerlAliases.ts"

const NonNegInt = Schema.Int.pipe(Schema.nonNegative())
const PosInt = Schema.Int.pipe(Schema.positive())
const opt = <S extends Schema.Schema.Any>(s: S, d: () => Schema.Schema.Type<S>) =>
  Schema.optionalWith(s, { default: d as never }) as unknown as Schema.optionalWith<S, { default: () => Schema.Schema.Type<S> }>

/**
 * An advantage estimator's name: any name in the open registry
 * (`registerAdvantageEstimator`, as verl's `register_adv_est`), checked when
 * the config is decoded, so an experiment's own estimator is configured like
 * the built-ins (grpo, drgrpo, rloo, gae).
 */
export const AdvantageEstimator = Schema.String.pipe(
  Schema.filter((name) => registeredAdvantageEstimators().includes(name) || `expected a registered advantage estimator (${registeredAdvantageEstimators().join(", ")}), got ${JSON.stringify(name)}`)
)
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
  protocol: Schema.optional(Schema.String),
  /**
   * Extra steps to evaluate at besides every `every`-th: early points for
   * claims about the first few percent of a run (absent = none, so older run
   * headers keep their exact shape).
   */
  at: Schema.optional(Schema.Array(PosInt)),
  /**
   * Keep each problem's score in the logged summaries, so evaluations of one
   * run (or of runs on the same problems) can be compared pairwise (absent =
   * no, so older run headers keep their exact shape).
   */
  perProblem: Schema.optional(Schema.Boolean)
}) {}

/** Whether `step` (≥ 1) is an evaluation step of `eval`. */
export const isEvalStep = (evaluation: Pick<EvalSection, "every" | "at">, step: number): boolean =>
  (evaluation.every > 0 && step % evaluation.every === 0) || (evaluation.at?.includes(step) ?? false)

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
    const what = i._tag === "Unexpected" ? `no such field${suggestion(i.path)}` : i._tag === "Missing" ? "a value (required)" : i.message.replace(/^Expected /, "").replace(/, actual [\s\S]*$/, "")
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

/** Edit distance, for "did you mean" on a misspelt key. */
const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]!
}

/** The field names a config section accepts (from the schema), by dotted path of the section. */
const fieldsAt = (path: ReadonlyArray<PropertyKey>): ReadonlyArray<string> => {
  let ast: Schema.Schema.AnyNoContext["ast"] = TrainConfig.ast
  for (const key of path) {
    const props = propertiesOf(ast)
    const next = props.find((p) => p.name === key)
    if (next === undefined) return []
    ast = next.type
  }
  return propertiesOf(ast).map((p) => String(p.name))
}

const propertiesOf = (ast: Schema.Schema.AnyNoContext["ast"]): ReadonlyArray<{ readonly name: PropertyKey; readonly type: Schema.Schema.AnyNoContext["ast"] }> => {
  switch (ast._tag) {
    case "Transformation":
      return propertiesOf(ast.from)
    case "Refinement":
      return propertiesOf(ast.from)
    case "Union":
      return ast.types.flatMap(propertiesOf)
    case "TypeLiteral":
      return ast.propertySignatures
    default:
      return []
  }
}

/** `; did you mean actor.entropyCoef?` for the closest field of the same section, when one is close. */
const suggestion = (path: ReadonlyArray<PropertyKey>): string => {
  const name = String(path[path.length - 1] ?? "")
  const best = fieldsAt(path.slice(0, -1))
    .map((f) => [f, distance(name, f)] as const)
    .sort((x, y) => x[1] - y[1])[0]
  return best !== undefined && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean ${[...path.slice(0, -1), best[0]].join(".")}?)` : ""
}

/** A value as Hydra reads it: YAML scalars and flow collections (`True`, `null`, `1e-6`, `['a','b']`), else the text. */
const parseValue = (text: string): unknown => {
  try {
    return parseYaml(text) as unknown
  } catch {
    return text
  }
}

type Mutable = Record<string, unknown>

const setPath = (raw: unknown, path: ReadonlyArray<string>, value: unknown, input: string): Effect.Effect<Mutable, InvalidInput> => {
  const root: Mutable = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? structuredClone(raw as Mutable) : {}
  let node = root
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (next === undefined) node[key] = {}
    else if (next === null || typeof next !== "object" || Array.isArray(next)) {
      return Effect.fail(new InvalidInput({ input, expected: `${key} to be an object section`, actual: show(next) }))
    }
    node = node[key] as Mutable
  }
  node[path[path.length - 1]!] = value
  return Effect.succeed(root)
}

/** One override, `key.path=value` (Hydra's `+key=value` too): the key and its parsed value. */
export const parseOverride = (assignment: string): Effect.Effect<{ readonly key: string; readonly value: unknown }, InvalidInput> => {
  const body = assignment.replace(/^\+\+?/, "")
  const eq = body.indexOf("=")
  if (eq <= 0) return Effect.fail(new InvalidInput({ input: `override ${assignment}`, expected: "key.path=value (e.g. actor.entropyCoef=0 or actor_rollout_ref.rollout.n=8)" }))
  return Effect.succeed({ key: body.slice(0, eq), value: parseValue(body.slice(eq + 1)) })
}

/** `key.path=value` applied to a raw config; a verl key is translated to its field (see VerlAliases.ts). */
export const applySet = (raw: unknown, assignment: string): Effect.Effect<unknown, InvalidInput> =>
  Effect.map(applyOverrides(raw, [assignment]), (r) => r.raw)

/** What applying overrides did besides setting fields: verl keys ignored here, and verl's epoch count (steps need the data size). */
export interface Applied {
  readonly raw: unknown
  readonly ignored: ReadonlyArray<string>
  readonly totalEpochs?: number
}

/**
 * Applies overrides in order. Own keys (`actor.entropyCoef`) set the field;
 * verl keys go through their alias; verl's infrastructure keys are collected
 * in `ignored`. `use_kl_loss=False` turns the KL loss off, and
 * `algorithm.kl_ctrl.kl_coef` becomes the KL reward penalty only then (as in
 * the authors' verl, which ignores it while the KL loss is on).
 */
export const applyOverrides = (raw: unknown, assignments: ReadonlyArray<string>): Effect.Effect<Applied, InvalidInput> =>
  Effect.gen(function* () {
    let cur = raw
    const ignored: Array<string> = []
    let useKlLoss: unknown = undefined
    let klCtrl: unknown = undefined
    let totalEpochs: number | undefined
    for (const assignment of assignments) {
      const { key, value } = yield* parseOverride(assignment)
      const input = `override ${assignment}`
      const alias = VERL_ALIASES.get(key)
      if (alias !== undefined) {
        cur = yield* setPath(cur, alias.path.split("."), alias.value === undefined ? value : alias.value(value), input)
      } else if (key === "actor_rollout_ref.actor.clip_ratio") {
        cur = yield* setPath(cur, ["actor", "clipLow"], value, input)
        cur = yield* setPath(cur, ["actor", "clipHigh"], value, input)
      } else if (key === "actor_rollout_ref.actor.use_kl_loss") useKlLoss = value
      else if (key === "algorithm.kl_ctrl.kl_coef") klCtrl = value
      else if (key === "trainer.total_epochs") {
        if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
          return yield* new InvalidInput({ input, expected: "a positive whole number of epochs", actual: show(value) })
        }
        totalEpochs = value
      } else if (isIgnoredVerlKey(key)) ignored.push(key)
      else cur = yield* setPath(cur, key.split("."), value, input)
    }
    if (useKlLoss === false) cur = yield* setPath(cur, ["actor", "klCoef"], 0, "override actor_rollout_ref.actor.use_kl_loss=False")
    if (klCtrl !== undefined) {
      if (useKlLoss === false) cur = yield* setPath(cur, ["algorithm", "klRewardCoef"], klCtrl, "override algorithm.kl_ctrl.kl_coef")
      else ignored.push("algorithm.kl_ctrl.kl_coef (unused while the KL loss is on)")
    }
    return { raw: cur, ignored, ...(totalEpochs === undefined ? {} : { totalEpochs }) }
  })

/** Applies overrides in order, then decodes. */
export const configWithOverrides = (
  raw: unknown,
  sets: ReadonlyArray<string>,
  source = "config"
): Effect.Effect<TrainConfig, InvalidInput> =>
  Effect.flatMap(applyOverrides(raw, sets), (a) => decodeConfig(a.raw, source))

/** A config file's content: JSON for `*.json`, YAML (a superset of JSON) otherwise. */
export const parseConfigText = (text: string, file: string): Effect.Effect<unknown, InvalidInput> =>
  Effect.try({
    try: () => (file.endsWith(".json") ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown)),
    catch: (e) => new InvalidInput({ input: `--config ${file}`, expected: file.endsWith(".json") ? "JSON" : "YAML or JSON", actual: e instanceof Error ? e.message.split("\n")[0] : String(e), cause: e })
  })

const isObject = (v: unknown): v is Mutable => v !== null && typeof v === "object" && !Array.isArray(v)

/** `over` on top of `base`, section by section (arrays and scalars replace). */
export const deepMerge = (base: unknown, over: unknown): unknown => {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over
  const out: Mutable = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v)
  return out
}

/** Rows of a training file: lines of a JSONL, rows of a parquet file. */
const rowsOf = (file: string): Effect.Effect<number, InvalidInput> =>
  Effect.tryPromise({
    try: async () =>
      file.endsWith(".parquet")
        ? Number((await parquetMetadataAsync(await asyncBufferFromFile(file))).num_rows)
        : readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").length,
    catch: (e) => new InvalidInput({ input: `data.train ${file}`, expected: "a readable training file (to turn trainer.total_epochs into steps)", actual: String(e), cause: e })
  })

/**
 * verl's `trainer.total_epochs` as steps: epochs × ⌊rows / batch⌋ (verl drops
 * the last partial batch), the rows being the ids × duplication when given,
 * else the training file's.
 */
const epochsToSteps = (raw: unknown, epochs: number): Effect.Effect<unknown, InvalidInput> =>
  Effect.gen(function* () {
    const data = isObject(raw) && isObject(raw.data) ? raw.data : {}
    const trainer = isObject(raw) && isObject(raw.trainer) ? raw.trainer : {}
    const batch = typeof trainer.batchSize === "number" ? trainer.batchSize : TrainerSection.make({}).batchSize
    const rows =
      typeof data.duplicateTo === "number"
        ? data.duplicateTo
        : Array.isArray(data.ids)
          ? data.ids.length
          : typeof data.train === "string"
            ? yield* rowsOf(data.train)
            : 0
    return yield* setPath(raw, ["trainer", "steps"], epochs * Math.max(1, Math.floor(rows / batch)), "override trainer.total_epochs")
  })

/** Where a config comes from: a preset's raw JSON, then a file, then overrides, applied in that order. */
export interface ConfigSources {
  readonly preset?: { readonly name: string; readonly json: unknown }
  readonly configFile?: string
  readonly overrides?: ReadonlyArray<string>
}

/**
 * Composes a config: `--preset`, then `--config` on top of it (YAML or
 * JSON), then the overrides (own keys or verl's), then decodes. Returns the
 * config and the verl keys that were ignored (infrastructure), so a caller
 * can say so.
 */
export const composeConfig = (sources: ConfigSources): Effect.Effect<{ readonly config: TrainConfig; readonly ignored: ReadonlyArray<string> }, InvalidInput> =>
  Effect.gen(function* () {
    let raw: unknown = sources.preset?.json ?? {}
    if (sources.configFile !== undefined) {
      const file = sources.configFile
      const text = yield* Effect.try({
        try: () => readFileSync(file, "utf8"),
        catch: (e) => new InvalidInput({ input: `--config ${file}`, expected: "a readable YAML or JSON file", actual: e instanceof Error ? e.message : String(e), cause: e })
      })
      const parsed = yield* parseConfigText(text, file)
      if (!isObject(parsed)) return yield* new InvalidInput({ input: `--config ${file}`, expected: "a mapping of config sections", actual: show(parsed) })
      raw = deepMerge(raw, parsed)
    }
    const applied = yield* applyOverrides(raw, sources.overrides ?? [])
    const withSteps = applied.totalEpochs === undefined ? applied.raw : yield* epochsToSteps(applied.raw, applied.totalEpochs)
    const source = [sources.preset === undefined ? undefined : `preset ${sources.preset.name}`, sources.configFile].filter((x) => x !== undefined).join(" + ")
    const config = yield* decodeConfig(withSteps, source === "" ? "config" : source)
    return { config, ignored: applied.ignored }
  })

/** The JSON form of a config (what goes into the run-log header and `--config` files). */
export const encodeConfig = (config: TrainConfig): unknown => Schema.encodeSync(TrainConfig)(config)

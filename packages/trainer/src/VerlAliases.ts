/**
 * verl's configuration keys as aliases of this trainer's fields, so the
 * Hydra overrides of a verl training script (`actor_rollout_ref.actor.optim.lr=1e-6`,
 * `data.train_batch_size=128`, …) apply to a config unchanged. Keys that only
 * steer verl's infrastructure (FSDP, vLLM, GPUs, loggers) have no meaning
 * here; they are accepted and reported as ignored, never silently dropped.
 */
import { klEstimatorFromVerl } from "./Kl.ts"

/** A verl key's target field, with an optional value translation (undefined = the value does not fit). */
export interface Alias {
  readonly path: string
  readonly value?: (v: unknown) => unknown
}

const a = (path: string, value?: (v: unknown) => unknown): Alias => (value === undefined ? { path } : { path, value })
const AR = "actor_rollout_ref"

/** verl's `data.train_files` may be a list of one file. */
const oneFile = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v)
const kl = (v: unknown): unknown => (typeof v === "string" ? (klEstimatorFromVerl(v) ?? v) : v)
/** verl's loss_agg_mode names, as this trainer's. */
const agg = (v: unknown): unknown => (typeof v === "string" ? v.replaceAll("_", "-") : v)

export const VERL_ALIASES: ReadonlyMap<string, Alias> = new Map([
  ["algorithm.adv_estimator", a("algorithm.advEstimator")],
  ["algorithm.gamma", a("algorithm.gamma")],
  ["algorithm.lam", a("algorithm.lambda")],
  ["algorithm.kl_penalty", a("algorithm.klRewardEstimator", kl)],
  ["data.train_files", a("data.train", oneFile)],
  ["data.train_batch_size", a("trainer.batchSize")],
  ["data.max_response_length", a("rollout.maxTokens")],
  ["data.shuffle", a("data.shuffle")],
  ["data.seed", a("seed")],
  [`${AR}.model.path`, a("model.path")],
  [`${AR}.actor.optim.lr`, a("actor.optimizer.lr")],
  [`${AR}.actor.optim.weight_decay`, a("actor.optimizer.weightDecay")],
  [`${AR}.actor.optim.betas`, a("actor.optimizer.beta1", (v) => (Array.isArray(v) ? v[0] : v))],
  [`${AR}.actor.grad_clip`, a("actor.optimizer.gradClip")],
  [`${AR}.actor.ppo_mini_batch_size`, a("actor.miniBatchSize")],
  [`${AR}.actor.ppo_micro_batch_size`, a("actor.microBatchSize")],
  [`${AR}.actor.ppo_micro_batch_size_per_gpu`, a("actor.microBatchSize")],
  [`${AR}.actor.ppo_epochs`, a("actor.ppoEpochs")],
  [`${AR}.actor.shuffle`, a("actor.shuffle")],
  [`${AR}.actor.kl_loss_coef`, a("actor.klCoef")],
  [`${AR}.actor.kl_loss_type`, a("actor.klEstimator", kl)],
  [`${AR}.actor.entropy_coeff`, a("actor.entropyCoef")],
  [`${AR}.actor.clip_ratio_low`, a("actor.clipLow")],
  [`${AR}.actor.clip_ratio_high`, a("actor.clipHigh")],
  [`${AR}.actor.clip_ratio_c`, a("actor.clipRatioC")],
  [`${AR}.actor.loss_agg_mode`, a("actor.aggregation", agg)],
  [`${AR}.rollout.n`, a("rollout.n")],
  [`${AR}.rollout.temperature`, a("rollout.temperature")],
  [`${AR}.rollout.top_p`, a("rollout.topP")],
  [`${AR}.rollout.response_length`, a("rollout.maxTokens")],
  ["critic.optim.lr", a("critic.optimizer.lr")],
  ["critic.optim.weight_decay", a("critic.optimizer.weightDecay")],
  ["critic.cliprange_value", a("critic.clipRangeValue")],
  ["trainer.total_training_steps", a("trainer.steps")],
  ["trainer.save_freq", a("trainer.checkpointEvery")],
  ["trainer.test_freq", a("eval.every")],
  ["trainer.val_before_train", a("eval.beforeTrain")],
  ["trainer.experiment_name", a("experiment")],
  ["trainer.default_local_dir", a("trainer.runDir")]
])

/**
 * Keys handled by `translateVerl` itself because their meaning depends on
 * other keys: `clip_ratio` sets both clip bounds; `use_kl_loss=False` turns
 * the KL loss off; `algorithm.kl_ctrl.kl_coef` is a reward penalty only when
 * the KL loss is off (the authors' verl ignores it otherwise);
 * `trainer.total_epochs` becomes steps once the data size is known.
 */
export const VERL_SPECIAL = [`${AR}.actor.clip_ratio`, `${AR}.actor.use_kl_loss`, "algorithm.kl_ctrl.kl_coef", "trainer.total_epochs"] as const

/** Prefixes of keys that steer verl's infrastructure (parallelism, memory, logging, validation data): accepted, reported, ignored. */
export const VERL_IGNORED_PREFIXES = [
  `${AR}.model.use_remove_padding`,
  `${AR}.model.enable_gradient_checkpointing`,
  `${AR}.actor.use_dynamic_bsz`,
  `${AR}.actor.ppo_max_token_len_per_gpu`,
  `${AR}.actor.fsdp_config.`,
  `${AR}.actor.ulysses_sequence_parallel_size`,
  `${AR}.rollout.name`,
  `${AR}.rollout.tensor_model_parallel_size`,
  `${AR}.rollout.gpu_memory_utilization`,
  `${AR}.rollout.log_prob_micro_batch_size`,
  `${AR}.rollout.val_temperature`,
  `${AR}.rollout.n_val`,
  `${AR}.rollout.enforce_eager`,
  `${AR}.rollout.free_cache_engine`,
  `${AR}.ref.`,
  "critic.model.",
  "critic.ppo_micro_batch_size",
  "data.val_files",
  "data.val_batch_size",
  "data.max_prompt_length",
  "data.prompt_key",
  "reward_model.",
  "trainer.logger",
  "trainer.project_name",
  "trainer.n_gpus_per_node",
  "trainer.nnodes",
  "trainer.default_hdfs_dir",
  "trainer.critic_warmup"
] as const

export const isVerlKey = (key: string): boolean =>
  VERL_ALIASES.has(key) || (VERL_SPECIAL as ReadonlyArray<string>).includes(key) || VERL_IGNORED_PREFIXES.some((p) => key === p || key.startsWith(p))

export const isIgnoredVerlKey = (key: string): boolean => !VERL_ALIASES.has(key) && VERL_IGNORED_PREFIXES.some((p) => key === p || key.startsWith(p))

/**
 * `@oneshot/trainer`: advantage and loss math, the AdamW Optimizer, and the
 * GRPO/PPO trainer for RLVR.
 */
export * from "./ActorLoss.ts"
export * from "./Advantages.ts"
export * from "./Kl.ts"
export * from "./LossAggregation.ts"
export * from "./LrSchedule.ts"
export * from "./Optimizer.ts"
export * from "./PolicyLoss.ts"
export * from "./BigramPolicy.ts"
export * from "./Checkpoint.ts"
export * from "./Config.ts"
export * from "./Presets.ts"
export * from "./Progress.ts"
export * from "./Rng.ts"
export * from "./RunLogFile.ts"
export * from "./Select.ts"
export * from "./TrainData.ts"
export * from "./Trainer.ts"
export * from "./PolicySource.ts"

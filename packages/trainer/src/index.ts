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

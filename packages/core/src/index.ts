/**
 * `@oneshot/core`: the shared domain (schemas, errors) and the service
 * contracts that the other packages implement.
 */
export * from "./DataSelection.ts"
export * from "./Errors.ts"
export * from "./Evaluation.ts"
export * from "./Grade.ts"
export * from "./Problem.ts"
export * from "./RunLog.ts"
export * from "./Sampling.ts"
export * from "./Verifier.ts"

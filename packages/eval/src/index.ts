/**
 * `@oneshot/eval`: the paper's benchmarks and evaluation protocols, the
 * metrics (avg@k, pass@k, maj@k, boxed ratio, reflection words, lengths), and
 * the Evaluator for a Policy or for recorded generations.
 */
export * from "./Benchmark.ts"
export * from "./Boxed.ts"
export * from "./Evaluator.ts"
export * from "./Generations.ts"
export * from "./Metrics.ts"
export * from "./PaperBenchmarks.ts"
export * from "./Protocol.ts"
export * from "./Report.ts"
export * from "./EvalRun.ts"

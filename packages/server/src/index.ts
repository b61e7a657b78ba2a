/**
 * `@oneshot/server`: the Verifier as an HTTP reward service, speaking
 * OpenRLHF's remote reward protocol (`POST /get_reward`) and a batch
 * endpoint of its own (`POST /grade`), with `GET /health`.
 */
export * from "./App.ts"
export * from "./BodyReader.ts"
export * as PooledVerifier from "./PooledVerifier.ts"
export * from "./Protocol.ts"
export * from "./QueryResponse.ts"
export * from "./Rejection.ts"
export * from "./Server.ts"
export * from "./ServerConfig.ts"
export * from "./ServerState.ts"
export * as WorkerPool from "./WorkerPool.ts"
export type * from "./WorkerProtocol.ts"

/**
 * `rlvr serve-reward`: the Verifier as an HTTP reward service for OpenRLHF
 * (`--remote_rm_url http://HOST:PORT/get_reward`) and verl (a custom reward
 * function calling `/grade`). The logic lives in `@oneshot/server`.
 */
import { Command, Options } from "@effect/cli"
import { VerifierMode } from "@oneshot/core"
import { Effect, Option } from "effect"

const int = (name: string, description: string) =>
  Options.integer(name).pipe(Options.withDescription(description), Options.optional)

const options = {
  port: int("port", "port to listen on, 0 for a free one (default 8000)"),
  host: Options.text("host").pipe(Options.withDescription("address to bind (default 127.0.0.1; 0.0.0.0 to expose it)"), Options.optional),
  workers: int("workers", "grading worker threads (default: one per core but one)"),
  mode: Options.choice("mode", VerifierMode.literals).pipe(
    Options.withDescription("verifier mode for OpenRLHF requests and /grade items without one (default deepscaler)"),
    Options.optional
  ),
  itemTimeoutMs: int("item-timeout-ms", "grading time bound per item (default 1000)"),
  maxBatchSize: int("max-batch-size", "most items per request (default 4096)"),
  maxBodyBytes: int("max-body-bytes", "largest request body in bytes (default 33554432)"),
  maxFieldChars: int("max-field-chars", "longest string field in characters (default 262144)"),
  maxPendingItems: int("max-pending-items", "items admitted at once before 503 (default 65536)"),
  bodyTimeoutMs: int("body-timeout-ms", "time to receive a request body before 408 (default 30000)"),
  shutdownGraceMs: int("shutdown-grace-ms", "time in-flight requests get on shutdown (default 60000)"),
  grader: Options.text("grader").pipe(
    Options.withDescription("grader as MODULE#EXPORT, a pure (response, gold, {mode, timeoutMs}) => Grade (default @oneshot/verifier#grade)"),
    Options.optional
  )
}

export const command = Command.make("serve-reward", options, (o) =>
  Effect.gen(function*() {
    // The server (and through it the verifier) loads here, not at startup.
    const { makeConfig, runForever } = yield* Effect.promise(() => import("@oneshot/server"))
    const grader = Option.map(o.grader, (g) => {
      const i = g.lastIndexOf("#")
      return i < 0 ? { graderModule: g } : { graderModule: g.slice(0, i), graderExport: g.slice(i + 1) }
    })
    const v = Option.getOrUndefined
    const config = yield* makeConfig({
      ...Option.getOrElse(grader, () => ({})),
      port: v(o.port),
      host: v(o.host),
      workers: v(o.workers),
      mode: v(o.mode),
      itemTimeoutMs: v(o.itemTimeoutMs),
      maxBatchSize: v(o.maxBatchSize),
      maxBodyBytes: v(o.maxBodyBytes),
      maxFieldChars: v(o.maxFieldChars),
      maxPendingItems: v(o.maxPendingItems),
      bodyTimeoutMs: v(o.bodyTimeoutMs),
      shutdownGraceMs: v(o.shutdownGraceMs)
    })
    return yield* runForever(config)
  })
).pipe(Command.withDescription("serve the verifier as an HTTP reward service (OpenRLHF /get_reward, /grade, /health)"))

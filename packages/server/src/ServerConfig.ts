/**
 * Every bound of the reward service in one Schema, so the CLI, the tests and
 * the library agree on names, defaults and the checks on them.
 */
import { VerifierMode } from "@oneshot/core"
import { Effect, ParseResult, Schema } from "effect"
import { availableParallelism } from "node:os"

const PositiveInt = Schema.Int.pipe(Schema.positive())

/**
 * Grading is CPU-bound and runs off the event loop: one worker per core but
 * one, which is left to the event loop (JSON, HTTP, messages). Under the load
 * test the event loop was busy about two thirds of the time, so it needs a core
 * of its own (see README, "Figures").
 */
export const defaultWorkers = (): number => Math.max(1, availableParallelism() - 1)

export class ServerConfig extends Schema.Class<ServerConfig>("ServerConfig")({
  /** 0 picks a free port (tests, load test). */
  port: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 65535)), { default: () => 8000 }),
  /** Loopback by default: exposing a grader to a network is an explicit choice. */
  host: Schema.optionalWith(Schema.String, { default: () => "127.0.0.1" }),
  /** Grading worker threads. */
  workers: Schema.optionalWith(PositiveInt, { default: defaultWorkers }),
  /** Mode for OpenRLHF requests and `/grade` items that name none. */
  mode: Schema.optionalWith(VerifierMode, { default: () => "deepscaler" as const }),
  /** The grader's own time bound per item (it returns a `timeout` grade). */
  itemTimeoutMs: Schema.optionalWith(PositiveInt, { default: () => 1000 }),
  /**
   * Extra time past `itemTimeoutMs` before a worker that has not answered is
   * terminated and replaced (a grader stuck in a loop cannot block the pool).
   */
  hardTimeoutGraceMs: Schema.optionalWith(PositiveInt, { default: () => 2000 }),
  /** Largest request body in bytes (larger ones get 413). */
  maxBodyBytes: Schema.optionalWith(PositiveInt, { default: () => 32 * 1024 * 1024 }),
  /** Most items per request (more get 413). */
  maxBatchSize: Schema.optionalWith(PositiveInt, { default: () => 4096 }),
  /** Longest response, gold, query or prompt string in characters (longer ones get 413). */
  maxFieldChars: Schema.optionalWith(PositiveInt, { default: () => 256 * 1024 }),
  /** Items admitted at once over all requests; past this a request gets 503 with Retry-After. */
  maxPendingItems: Schema.optionalWith(PositiveInt, { default: () => 65536 }),
  /** Time for a client to send its whole body (slower ones get 408). */
  bodyTimeoutMs: Schema.optionalWith(PositiveInt, { default: () => 30_000 }),
  /** Time for a client to send its request headers. */
  headersTimeoutMs: Schema.optionalWith(PositiveInt, { default: () => 10_000 }),
  /** Idle keep-alive time of a connection. */
  keepAliveTimeoutMs: Schema.optionalWith(PositiveInt, { default: () => 5_000 }),
  /** Open connections at once. */
  maxConnections: Schema.optionalWith(PositiveInt, { default: () => 1024 }),
  /** On shutdown, how long in-flight requests may take to finish before connections are cut. */
  shutdownGraceMs: Schema.optionalWith(PositiveInt, { default: () => 60_000 }),
  /**
   * The module whose export grades in the workers (a package name, a file URL, or a path relative to the working directory):
   * `(response, gold, { mode, timeoutMs }) => Grade`, pure and synchronous.
   */
  graderModule: Schema.optionalWith(Schema.String, { default: () => "@oneshot/verifier" }),
  graderExport: Schema.optionalWith(Schema.String, { default: () => "grade" })
}) {}

/** A server setting out of its range. */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  field: Schema.String,
  problem: Schema.String,
  /** The parse error this came from. */
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `server config ${this.field}: ${this.problem}`
  }
}

/** Config from partial input, with defaults; fails with `InvalidConfig` naming the first bad field. */
export const makeConfig = (input: Partial<typeof ServerConfig.Encoded> = {}): Effect.Effect<ServerConfig, InvalidConfig> =>
  Schema.decodeUnknown(ServerConfig)(input).pipe(
    Effect.mapError((error) => {
      const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
      return new InvalidConfig({ field: issue?.path.map(String).join(".") || "(input)", problem: issue?.message ?? error.message, cause: error })
    })
  )

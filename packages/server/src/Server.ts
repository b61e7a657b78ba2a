/**
 * Starting and stopping the reward server. `serve` runs the app over any
 * `Verifier`; `start` adds the worker pool. Closing the scope shuts down
 * gracefully: stop accepting connections, answer new requests on open
 * connections with 503, let in-flight batches finish and their responses
 * flush (up to `shutdownGraceMs`), then stop the workers.
 */
import type { Verifier } from "@oneshot/core"
import { NodeHttpServer } from "@effect/platform-node"
import type { ServeError } from "@effect/platform/HttpServerError"
import { Effect, Layer, Schema, type Scope } from "effect"
import { createServer, type Server, STATUS_CODES } from "node:http"
import type { Duplex } from "node:stream"
import { makeApp } from "./App.ts"
import * as PooledVerifier from "./PooledVerifier.ts"
import type { ServerConfig } from "./ServerConfig.ts"
import { ServerState } from "./ServerState.ts"
import type { GraderLoadError } from "./WorkerPool.ts"

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8000` */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly config: ServerConfig
  readonly state: ServerState
}

/** Serves the app over the `Verifier` in context until the scope closes. */
export const serve = (config: ServerConfig): Effect.Effect<RunningServer, ServeError, Scope.Scope | Verifier> =>
  Effect.gen(function*() {
    const state = new ServerState()
    const node = createServer({
      // Node's own bounds as a backstop; the app answers a slow body with 408 first.
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: Math.max(config.headersTimeoutMs, config.bodyTimeoutMs + 5_000),
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1_000
    })
    node.maxConnections = config.maxConnections
    node.on("clientError", answerClientError)
    node.on("request", (_req, res) => {
      state.requests += 1
      state.inFlightRequests += 1
      res.once("close", () => (state.inFlightRequests -= 1))
    })
    const server = yield* NodeHttpServer.make(() => node, { port: config.port, host: config.host })
    yield* server.serve(makeApp(config, state))
    // Added last, so it runs first on close: before the handler is removed and the listener closed.
    yield* Effect.addFinalizer(() => drain(node, state, config.shutdownGraceMs))
    const address = server.address
    const port = address._tag === "TcpAddress" ? address.port : config.port
    const host = config.host.includes(":") ? `[${config.host}]` : config.host
    return { url: `http://${host}:${port}`, host: config.host, port, config, state }
  })

/**
 * Requests that never reach the app (unparseable HTTP, oversized headers,
 * headers too slow) get a JSON error like every other refusal, instead of
 * Node's empty default answer.
 */
const answerClientError = (error: Error & { code?: string }, socket: Duplex) => {
  const pending = (socket as unknown as { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (error.code === "ECONNRESET" || !socket.writable || pending?.headersSent === true) {
    socket.destroy()
    return
  }
  const [status, code, message] = error.code === "HPE_HEADER_OVERFLOW"
    ? [431, "headers-too-large", "request headers: expected at most 16 KiB"]
    : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
    ? [408, "request-timeout", "request: expected the headers and body sooner"]
    : [400, "bad-http", `request: expected HTTP/1.1 (${error.code ?? error.message})`]
  const body = JSON.stringify({ error: { status, code, message } })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${
      Buffer.byteLength(body)
    }\r\nconnection: close\r\n\r\n${body}`
  )
}

/** The worker-pool server: fails with `GraderLoadError` if the grader does not load in the workers. */
export const start = (config: ServerConfig): Effect.Effect<RunningServer, ServeError | GraderLoadError, Scope.Scope> =>
  Effect.gen(function*() {
    // Built first, so released last: the workers outlive the drain.
    const verifier = yield* Layer.build(PooledVerifier.layer({
      size: config.workers,
      graderModule: config.graderModule,
      graderExport: config.graderExport,
      hardTimeoutGraceMs: config.hardTimeoutGraceMs,
      defaultMode: config.mode,
      defaultTimeoutMs: config.itemTimeoutMs
    }))
    return yield* Effect.provide(serve(config), verifier)
  })

/**
 * Graceful shutdown: close the listener (Node also closes idle keep-alive
 * connections), wait for in-flight responses to finish, closing connections
 * as they become idle; past `graceMs`, cut what is left.
 */
const drain = (node: Server, state: ServerState, graceMs: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    state.draining = true
    node.close()
    const deadline = Date.now() + graceMs
    let quietSince: number | undefined
    const tick = setInterval(() => {
      node.closeIdleConnections()
      node.getConnections((_error, count) => {
        const now = Date.now()
        if (state.inFlightRequests > 0 && now < deadline) return
        // No response in flight: give idle sockets a moment to close cleanly, then cut the rest
        // (connections that never completed a request).
        quietSince ??= now
        if (count > 0 && now < Math.min(deadline, quietSince + 1_000)) return
        clearInterval(tick)
        node.closeAllConnections()
        resume(Effect.void)
      })
    }, 20)
  })

/** The server could not listen (address in use, no permission, bad host). */
export class ListenError extends Schema.TaggedError<ListenError>()("ListenError", {
  host: Schema.String,
  port: Schema.Number,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot listen on ${this.host}:${this.port}: ${this.reason}`
  }
}

/**
 * Runs the worker-pool server until interrupted (SIGINT/SIGTERM under
 * `NodeRuntime.runMain`), printing where it listens; the CLI's entry point.
 */
export const runForever = (config: ServerConfig): Effect.Effect<never, ListenError | GraderLoadError> =>
  Effect.suspend(() => {
    let running: RunningServer | undefined
    return Effect.scoped(
      Effect.gen(function*() {
        const server = yield* start(config).pipe(
          Effect.catchTag("ServeError", (e) =>
            Effect.fail(
              new ListenError({
                host: config.host,
                port: config.port,
                reason: e.cause instanceof Error ? e.cause.message : String(e.cause)
              })
            ))
        )
        running = server
        console.log(`reward server listening on ${server.url}  (POST /get_reward, POST /grade, GET /health)`)
        console.log(
          `  mode=${config.mode} workers=${config.workers} itemTimeoutMs=${config.itemTimeoutMs} maxBatchSize=${config.maxBatchSize} maxBodyBytes=${config.maxBodyBytes}`
        )
        // Runs first on interrupt, before the drain that `start` registered.
        yield* Effect.addFinalizer(() => Effect.sync(() => console.error("reward server: shutting down, finishing in-flight requests…")))
        return yield* Effect.never
      })
    ).pipe(
      Effect.ensuring(Effect.sync(() => {
        if (running !== undefined) {
          console.error(`reward server stopped (${running.state.gradedItems} items graded, ${running.state.requests} requests)`)
        }
      }))
    )
  })

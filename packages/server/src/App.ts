/**
 * The HTTP app: routes, request decoding and the answers. It grades through
 * core's `Verifier` tag, so it runs the same over the worker pool (production)
 * or an in-process verifier (tests). Every answer is JSON; every refusal is a
 * `Rejection` turned into `{"error": …}` with its status.
 */
import { type Grade, Verifier, VerifierMode } from "@oneshot/core"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import { readBody } from "./BodyReader.ts"
import { GradePool } from "./PooledVerifier.ts"
import { type GradeItem, GradeRequest, type HealthResponse, OpenRlhfRequest, type OpenRlhfResponse } from "./Protocol.ts"
import { responseOf } from "./QueryResponse.ts"
import { badRequest, Rejection, tooLarge } from "./Rejection.ts"
import type { ServerConfig } from "./ServerConfig.ts"
import type { ServerState } from "./ServerState.ts"

const json = (body: unknown, status: number, state: ServerState) => {
  const response = HttpServerResponse.unsafeJson(body, { status })
  return state.draining ? HttpServerResponse.setHeader(response, "connection", "close") : response
}

const rejectionResponse = (r: Rejection, state: ServerState) => {
  state.rejected += 1
  const response = json({ error: { status: r.status, code: r.code, message: r.detail } }, r.status, state)
  // After a refusal the body may be unread: do not reuse the connection.
  const closing = r.status === 413 || r.status === 408 || r.code === "aborted" || r.code === "invalid-utf8"
    ? HttpServerResponse.setHeader(response, "connection", "close")
    : response
  return r.status === 503 ? HttpServerResponse.setHeader(closing, "retry-after", "1") : closing
}

const parseJson = (text: string): Either.Either<unknown, Rejection> => {
  if (text.trim() === "") return Either.left(badRequest("empty-body", "request body: expected JSON, got an empty body"))
  try {
    return Either.right(JSON.parse(text) as unknown)
  } catch (error) {
    return Either.left(badRequest("malformed-json", `request body: expected JSON, ${error instanceof Error ? error.message : String(error)}`))
  }
}

/** Decodes with the first issue as the message, e.g. `body[3].gold: Expected string, actual 5`. */
const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown): Either.Either<A, Rejection> =>
  Either.mapLeft(Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })(input), (error) => {
    const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
    const path = issue === undefined ? "" : issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")
    return badRequest("invalid-request", `body${path}: ${issue?.message ?? "invalid"}`)
  })

const checkLength = (what: string, n: number, config: ServerConfig): Either.Either<void, Rejection> =>
  n > config.maxBatchSize
    ? Either.left(tooLarge("batch-too-large", `${what}: expected at most ${config.maxBatchSize} items (--max-batch-size), got ${n}`))
    : Either.right(undefined)

const checkFields = (fields: ReadonlyArray<readonly [string, ReadonlyArray<string>]>, config: ServerConfig): Either.Either<void, Rejection> => {
  for (const [name, values] of fields) {
    for (let i = 0; i < values.length; i++) {
      if (values[i]!.length > config.maxFieldChars) {
        return Either.left(tooLarge(
          "field-too-large",
          `body${name}[${i}]: expected at most ${config.maxFieldChars} characters (--max-field-chars), got ${values[i]!.length}`
        ))
      }
    }
  }
  return Either.right(undefined)
}

interface Job {
  readonly response: string
  readonly gold: string
  readonly mode: VerifierMode
}

export const makeApp = (config: ServerConfig, state: ServerState) => {
  /** Reads, parses and bounds the body of a POST, refusing early while draining. */
  const body = Effect.gen(function*() {
    if (state.draining) return yield* new Rejection({ status: 503, code: "draining", detail: "the server is shutting down" })
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* readBody(NodeHttpServerRequest.toIncomingMessage(request), {
      maxBytes: config.maxBodyBytes,
      timeoutMs: config.bodyTimeoutMs
    })
    return yield* parseJson(text)
  })

  /** Grades items by mode (the Verifier takes one mode per batch), keeping their order. */
  const gradeAdmitted = (items: ReadonlyArray<Job>) =>
    Effect.gen(function*() {
      const verifier = yield* Verifier
      const byMode = new Map<VerifierMode, Array<number>>()
      items.forEach((item, i) => {
        const group = byMode.get(item.mode)
        if (group === undefined) byMode.set(item.mode, [i])
        else group.push(i)
      })
      const grades = new Array<Grade>(items.length)
      yield* Effect.forEach(
        [...byMode],
        ([mode, indices]) =>
          Effect.map(
            verifier.gradeBatch(indices.map((i) => items[i]!), { mode, timeoutMs: config.itemTimeoutMs }),
            (gs) => gs.forEach((g, k) => (grades[indices[k]!] = g))
          ),
        { concurrency: "unbounded", discard: true }
      )
      state.gradedItems += items.length
      return grades as ReadonlyArray<Grade>
    })

  /** Admission control: a bounded number of items in the server at once, else 503. */
  const grade = (items: ReadonlyArray<Job>) =>
    Effect.suspend(() => {
      // A batch that could never be admitted is too large, not "busy": retrying would not help.
      if (items.length > config.maxPendingItems) {
        return Effect.fail(tooLarge("batch-too-large", `body: expected at most ${config.maxPendingItems} items (--max-pending-items), got ${items.length}`))
      }
      if (state.pendingItems + items.length > config.maxPendingItems) {
        return Effect.fail(new Rejection({
          status: 503,
          code: "busy",
          detail: `server busy: ${state.pendingItems} items pending, at most ${config.maxPendingItems} (--max-pending-items); retry later`
        }))
      }
      state.pendingItems += items.length
      return gradeAdmitted(items).pipe(Effect.ensuring(Effect.sync(() => (state.pendingItems -= items.length))))
    })

  const modeParam = Effect.gen(function*() {
    const params = yield* HttpServerRequest.ParsedSearchParams
    const raw = params["mode"]
    if (raw === undefined) return config.mode
    return yield* Either.mapLeft(
      Schema.decodeUnknownEither(VerifierMode)(raw),
      () => badRequest("invalid-request", `query parameter mode: expected one of ${VerifierMode.literals.join(", ")}, got ${JSON.stringify(raw)}`)
    )
  })

  const openRlhf = Effect.gen(function*() {
    const mode = yield* modeParam
    const raw = yield* body
    if (typeof raw === "object" && raw !== null && "query" in raw && Array.isArray(raw.query)) {
      yield* checkLength("body.query", raw.query.length, config)
    }
    const input = yield* decode(OpenRlhfRequest, raw)
    const n = input.query.length
    yield* checkLength("body.query", n, config)
    if (input.labels.length !== n || (input.prompts !== undefined && input.prompts.length !== n)) {
      return yield* badRequest(
        "invalid-request",
        `body: expected query, prompts and labels of the same length, got ${n}, ${input.prompts?.length ?? "(none)"}, ${input.labels.length}`
      )
    }
    yield* checkFields([[".query", input.query], [".prompts", input.prompts ?? []], [".labels", input.labels]], config)
    const split = input.query.map((q, i) => (input.prompts === undefined ? { response: q, promptFound: true } : responseOf(q, input.prompts[i]!)))
    const grades = yield* grade(split.map((s, i) => ({ response: s.response, gold: input.labels[i]!, mode })))
    const rewards = grades.map((g) => (g.correct ? 1 : 0))
    const answer: OpenRlhfResponse = {
      rewards,
      scores: rewards,
      extra_logs: {
        correct: rewards,
        has_answer: grades.map((g) => (g.extracted === null ? 0 : 1)),
        timed_out: grades.map((g) => (g.timedOut ? 1 : 0)),
        prompt_found: split.map((s) => (s.promptFound ? 1 : 0))
      }
    }
    return json(answer, 200, state)
  })

  const gradeBatch = Effect.gen(function*() {
    const start = performance.now()
    const raw = yield* body
    if (Array.isArray(raw)) yield* checkLength("body", raw.length, config)
    else if (typeof raw === "object" && raw !== null && "items" in raw) {
      return yield* badRequest("invalid-request", "body: expected a JSON array of {response, gold, mode?}, got an object (send the array itself)")
    }
    const items = yield* decode(GradeRequest, raw)
    yield* checkFields([["[].response", items.map((i) => i.response)], ["[].gold", items.map((i) => i.gold)]], config)
    const grades = yield* grade(items.map((item: GradeItem) => ({ response: item.response, gold: item.gold, mode: item.mode ?? config.mode })))
    return json({ grades: grades.map((g) => encodeGrade(g)), elapsedMs: performance.now() - start }, 200, state)
  })

  const health = Effect.gen(function*() {
    const pool = yield* Effect.serviceOption(GradePool)
    const stats = Option.map(pool, (p) => p.stats())
    const answer: HealthResponse = {
      status: state.draining ? "draining" : "ok",
      mode: config.mode,
      workers: Option.match(stats, { onNone: () => 0, onSome: (s) => s.size }),
      busyWorkers: Option.match(stats, { onNone: () => 0, onSome: (s) => s.busy }),
      queuedItems: Option.match(stats, { onNone: () => 0, onSome: (s) => s.queuedItems }),
      workerRestarts: Option.match(stats, { onNone: () => 0, onSome: (s) => s.restarts }),
      inFlightRequests: state.inFlightRequests,
      pendingItems: state.pendingItems,
      requests: state.requests,
      gradedItems: state.gradedItems,
      rejected: state.rejected,
      uptimeS: (Date.now() - state.startedAt) / 1000
    }
    // 503 while draining so a load balancer stops sending work here.
    return json(answer, state.draining ? 503 : 200, state)
  })

  const only = <E, R>(method: string, handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      request.method === method
        ? handler
        : Effect.succeed(HttpServerResponse.setHeader(
          json({ error: { status: 405, code: "method-not-allowed", message: `${request.method} ${request.url}: expected ${method}` } }, 405, state),
          "allow",
          method
        )))

  const endpoints = "POST /get_reward (OpenRLHF), POST /grade, GET /health"

  return HttpRouter.empty.pipe(
    HttpRouter.all("/get_reward", only("POST", openRlhf)),
    HttpRouter.all("/grade", only("POST", gradeBatch)),
    HttpRouter.all("/health", only("GET", health)),
    HttpRouter.catchTag("Rejection", (r) => Effect.succeed(rejectionResponse(r, state))),
    Effect.catchTag("RouteNotFound", (e) =>
      Effect.succeed(json({ error: { status: 404, code: "not-found", message: `${e.request.method} ${e.request.url}: expected one of ${endpoints}` } }, 404, state))),
    Effect.catchAllDefect((defect) =>
      Effect.zipRight(
        Effect.logError("reward server: unexpected failure", defect),
        Effect.succeed(json({ error: { status: 500, code: "internal", message: "internal error (logged on the server)" } }, 500, state))
      )
    )
  )
}

/** A grade as JSON: its fields, nothing else (cheaper than a Schema encode on the event loop). */
const encodeGrade = (g: Grade) => ({
  correct: g.correct,
  extracted: g.extracted,
  ...(g.normalizedExtracted === undefined ? {} : { normalizedExtracted: g.normalizedExtracted }),
  ...(g.normalizedGold === undefined ? {} : { normalizedGold: g.normalizedGold }),
  rule: g.rule,
  timedOut: g.timedOut,
  mode: g.mode
})

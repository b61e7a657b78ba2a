/**
 * Fuzzing the endpoints with random and adversarial payloads: whatever comes
 * in, the server answers with a well-formed JSON body (the endpoint's answer
 * for 2xx, `{"error": …}` otherwise), never a 5xx, and stays up.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import { ErrorResponse, GradeResponse, HealthResponse, OpenRlhfResponse } from "../src/Protocol.ts"
import { raw, type RawResponse, type Started, startServer } from "./Helpers.ts"

const paths = ["/grade", "/get_reward", "/get_reward?mode=strict", "/get_reward?mode=%00", "/health", "/", "/grade/../health", "/%ff"]
const methods = ["POST", "GET", "PUT", "DELETE", "PATCH"]

/** Strings that have bitten parsers and graders: escapes, surrogates, braces, huge and magic values. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    "\\boxed{",
    "\\boxed{}}}}",
    "\\boxed{\\frac{1}{0}}",
    "\ud800",
    "\u0000",
    "__proto__",
    "constructor",
    "__throw__",
    "__garbage__",
    "9".repeat(400),
    "{".repeat(2000),
    "\\sqrt{".repeat(200)
  )
)

const item = fc.record(
  {
    response: fc.oneof(nasty, fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
    gold: fc.oneof(nasty, fc.double(), fc.boolean()),
    mode: fc.oneof(fc.constantFrom("deepscaler", "qwen-eval", "strict", "format", "DEEPSCALER", ""), fc.integer())
  },
  { requiredKeys: [] }
)

const validItem = fc.record({ response: nasty, gold: nasty, mode: fc.constantFrom("deepscaler", "strict", "format") })

const openRlhf = fc.record(
  {
    query: fc.oneof(fc.array(nasty, { maxLength: 12 }), nasty),
    prompts: fc.oneof(fc.array(nasty, { maxLength: 12 }), fc.constant(null)),
    labels: fc.oneof(fc.array(nasty, { maxLength: 12 }), fc.array(fc.integer(), { maxLength: 3 }))
  },
  { requiredKeys: [] }
)

const validOpenRlhf = fc.integer({ min: 0, max: 12 }).chain((n) =>
  fc.record({
    query: fc.array(nasty, { minLength: n, maxLength: n }),
    prompts: fc.array(nasty, { minLength: n, maxLength: n }),
    labels: fc.array(nasty, { minLength: n, maxLength: n })
  })
)

/** A body: JSON of some shape, or raw text/bytes that may not be JSON at all. */
const body: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
  fc.array(item, { maxLength: 10 }).map((v) => JSON.stringify(v)),
  fc.array(validItem, { maxLength: 10 }).map((v) => JSON.stringify(v)),
  openRlhf.map((v) => JSON.stringify(v)),
  validOpenRlhf.map((v) => JSON.stringify(v)),
  fc.string(),
  fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    "[".repeat(100_000),
    "{\"a\":".repeat(50_000),
    "{\"__proto__\": {\"polluted\": true}, \"query\": [], \"labels\": []}",
    "[{\"response\": \"a\", \"gold\": \"1\", \"__proto__\": {\"mode\": \"format\"}}]",
    "1e999999",
    "\"\\ud800\"",
    JSON.stringify(Array.from({ length: 5000 }, () => 0))
  )
)

const wellFormed = (path: string, r: RawResponse) => {
  expect(r.status, `${path} → ${r.status}: ${r.text.slice(0, 200)}`).toBeLessThan(500)
  expect(r.headers["content-type"]).toContain("application/json")
  if (r.status >= 400) {
    const e = Schema.decodeUnknownSync(ErrorResponse)(r.json)
    expect(e.error.status).toBe(r.status)
    expect(e.error.message.length).toBeGreaterThan(0)
    return
  }
  const route = new URL(path, "http://x").pathname
  if (route === "/health") Schema.decodeUnknownSync(HealthResponse)(r.json)
  else if (route === "/grade") Schema.decodeUnknownSync(GradeResponse)(r.json)
  else Schema.decodeUnknownSync(OpenRlhfResponse)(r.json)
}

describe("fuzzing the endpoints", () => {
  let s: Started
  beforeAll(async () => {
    s = await startServer({ maxBatchSize: 256, maxBodyBytes: 256 * 1024, maxFieldChars: 8192, itemTimeoutMs: 200 })
  })
  afterAll(() => s.close())

  it("random payloads on the real endpoints always get a well-formed answer", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("/grade", "/get_reward"), body, async (path, payload) => {
        const r = await raw(s.server.url, { path, body: payload, headers: { "content-type": "application/json" } })
        wellFormed(path, r)
        if (r.status === 200 && Array.isArray(JSON.parse(payload.toString()))) {
          expect((r.json as { grades: Array<unknown> }).grades).toHaveLength((JSON.parse(payload.toString()) as Array<unknown>).length)
        }
      }),
      { numRuns: 500 }
    )
  })

  it("random methods, paths and bodies, many at once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...methods), fc.constantFrom(...paths), body), { minLength: 1, maxLength: 12 }),
        async (requests) => {
          const answers = await Promise.all(
            requests.map(([method, path, payload]) => raw(s.server.url, { method, path, body: method === "GET" ? undefined : payload }))
          )
          answers.forEach((r, i) => wellFormed(requests[i]![1], r))
        }
      ),
      { numRuns: 80 }
    )
  })

  it("the server is up and its counters are back at rest afterwards", async () => {
    const r = await raw(s.server.url, { method: "GET", path: "/health" })
    const health = Schema.decodeUnknownSync(HealthResponse)(r.json)
    expect(health).toMatchObject({ status: "ok", workers: 2, pendingItems: 0, queuedItems: 0, inFlightRequests: 1 })
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
  })
})

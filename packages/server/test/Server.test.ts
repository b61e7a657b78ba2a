import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { ErrorResponse, GradeResponse, HealthResponse, OpenRlhfResponse } from "../src/Protocol.ts"
import { parseRaw, post, raw, type Started, startServer, tcp } from "./Helpers.ts"

const isError = (json: unknown, status: number, code: string) => {
  const body = Schema.decodeUnknownSync(ErrorResponse)(json)
  expect(body.error.status).toBe(status)
  expect(body.error.code).toBe(code)
  return body.error.message
}

/** Polls /health until `ok` holds (the state a test needs before its next step). */
const until = async (url: string, ok: (h: HealthResponse) => boolean) => {
  for (let i = 0; i < 500; i++) {
    const h = Schema.decodeUnknownSync(HealthResponse)((await raw(url, { method: "GET", path: "/health" })).json)
    if (ok(h)) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error("server never reached the expected state")
}

describe("reward server", () => {
  let s: Started
  let url: string
  beforeAll(async () => {
    s = await startServer({ maxBatchSize: 64, maxBodyBytes: 64 * 1024, maxFieldChars: 4096, bodyTimeoutMs: 400, itemTimeoutMs: 100, hardTimeoutGraceMs: 300 })
    url = s.server.url
  })
  afterAll(() => s.close())

  it("GET /health reports the pool", async () => {
    const r = await raw(url, { method: "GET", path: "/health" })
    expect(r.status).toBe(200)
    const health = Schema.decodeUnknownSync(HealthResponse)(r.json)
    expect(health).toMatchObject({ status: "ok", workers: 2, mode: "deepscaler" })
  })

  it("POST /grade grades each item in order, with its own mode", async () => {
    const r = await post(url, "/grade", [
      { response: "so \\boxed{2}", gold: "2" },
      { response: "so \\boxed{3}", gold: "2" },
      { response: "no answer", gold: "2" },
      { response: "\\boxed{7}", gold: "2", mode: "format" }
    ])
    expect(r.status).toBe(200)
    const body = Schema.decodeUnknownSync(GradeResponse)(r.json)
    expect(body.grades.map((g) => [g.correct, g.extracted, g.mode])).toEqual([
      [true, "2", "deepscaler"],
      [false, "3", "deepscaler"],
      [false, null, "deepscaler"],
      [true, "7", "format"]
    ])
    expect((await post(url, "/grade", [])).json).toMatchObject({ grades: [] })
  })

  it("POST /get_reward speaks OpenRLHF: response = query minus the (padded) prompt", async () => {
    const prompt = "<|im_start|>user\nWhat is 1+1? Output the final answer within \\boxed{}.<|im_end|>\n<|im_start|>assistant\n"
    const r = await post(url, "/get_reward", {
      query: [
        `<|endoftext|><|endoftext|>${prompt}It is \\boxed{2}<|im_end|>`,
        `${prompt}It is \\boxed{3}<|im_end|>`,
        `${prompt}I do not know<|im_end|>`,
        "unrelated text \\boxed{2}"
      ],
      prompts: [prompt, prompt, prompt, prompt],
      labels: ["2", "2", "2", "2"]
    })
    expect(r.status).toBe(200)
    const body = Schema.decodeUnknownSync(OpenRlhfResponse)(r.json)
    expect(body.rewards).toEqual([1, 0, 0, 1])
    expect(body.scores).toEqual(body.rewards)
    expect(body.extra_logs).toEqual({
      correct: [1, 0, 0, 1],
      has_answer: [1, 1, 0, 1],
      timed_out: [0, 0, 0, 0],
      prompt_found: [1, 1, 1, 0]
    })
    // Without prompts the whole query is graded; ?mode= picks the verifier mode.
    const f = await post(url, "/get_reward?mode=format", { query: ["\\boxed{9}"], labels: ["2"] })
    expect(f.json).toMatchObject({ rewards: [1] })
  })

  it("a stuck item times out alone and does not hold up a concurrent request", async () => {
    let slowDone = 0
    const slow = post(url, "/grade", [{ response: "__hang__", gold: "1" }, { response: "\\boxed{1}", gold: "1" }]).then((r) => {
      slowDone = Date.now()
      return r
    })
    await until(url, (h) => h.pendingItems >= 2)
    const fast = await post(url, "/grade", Array.from({ length: 8 }, () => ({ response: "\\boxed{1}", gold: "1" })))
    const fastDone = Date.now()
    expect(fast.status).toBe(200)
    const r = await slow
    expect(fastDone).toBeLessThan(slowDone)
    expect(r.status).toBe(200)
    const body = Schema.decodeUnknownSync(GradeResponse)(r.json)
    expect(body.grades.map((g) => [g.correct, g.rule, g.timedOut])).toEqual([[false, "timeout", true], [true, "string-equal", false]])
  })

  describe("bad input gets a clear 4xx", () => {
    it("malformed JSON, empty body, invalid UTF-8", async () => {
      expect(isError((await raw(url, { path: "/grade", body: "[{\"response\": " })).json, 400, "malformed-json")).toContain("expected JSON")
      isError((await raw(url, { path: "/grade", body: "" })).json, 400, "empty-body")
      isError((await raw(url, { path: "/get_reward", body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) })).json, 400, "invalid-utf8")
    })

    it("wrong types name the field", async () => {
      expect(isError((await post(url, "/grade", [{ response: "a", gold: "1" }, { response: "b", gold: 5 }])).json, 400, "invalid-request"))
        .toBe("body[1].gold: Expected string, actual 5")
      expect(isError((await post(url, "/grade", [{ response: "a", gold: "1", mode: "loose" }])).json, 400, "invalid-request"))
        .toContain("body[0].mode")
      expect(isError((await post(url, "/grade", { items: [] })).json, 400, "invalid-request")).toContain("JSON array")
      expect(isError((await post(url, "/get_reward", { query: ["a"], prompts: [null], labels: ["1"] })).json, 400, "invalid-request"))
        .toContain("body.prompts[0]")
      expect(isError((await post(url, "/get_reward", { query: "a", labels: ["1"] })).json, 400, "invalid-request")).toContain("body.query")
      expect(isError((await post(url, "/get_reward", { query: ["a", "b"], labels: ["1"] })).json, 400, "invalid-request"))
        .toContain("same length")
      isError((await post(url, "/get_reward?mode=loose", { query: [], labels: [] })).json, 400, "invalid-request")
    })

    it("unknown paths get 404 and wrong methods 405", async () => {
      isError((await raw(url, { method: "GET", path: "/nope" })).json, 404, "not-found")
      const r = await raw(url, { method: "GET", path: "/grade" })
      isError(r.json, 405, "method-not-allowed")
      expect(r.headers["allow"]).toBe("POST")
      isError((await raw(url, { method: "POST", path: "/health", body: "{}" })).json, 405, "method-not-allowed")
    })

    it("oversized batches, fields and bodies get 413", async () => {
      const many = Array.from({ length: 65 }, () => ({ response: "a", gold: "1" }))
      expect(isError((await post(url, "/grade", many)).json, 413, "batch-too-large")).toContain("at most 64 items")
      expect(isError((await post(url, "/get_reward", { query: many.map(() => "q"), labels: many.map(() => "1") })).json, 413, "batch-too-large"))
        .toContain("body.query")
      expect(isError((await post(url, "/grade", [{ response: "x".repeat(5000), gold: "1" }])).json, 413, "field-too-large"))
        .toContain("body[].response[0]")
      const big = JSON.stringify([{ response: "y".repeat(70 * 1024), gold: "1" }])
      const declared = await raw(url, { path: "/grade", body: big })
      expect(isError(declared.json, 413, "body-too-large")).toContain("Content-Length")
      expect(declared.headers["connection"]).toBe("close")
      // Chunked upload without Content-Length: cut off once past the limit.
      const chunked = await raw(url, { path: "/grade", chunks: Array.from({ length: 20 }, () => "z".repeat(8 * 1024)), chunkDelayMs: 5 })
      isError(chunked.json, 413, "body-too-large")
    })

    it("a client that stalls mid-body gets 408", async () => {
      const r = await raw(url, { path: "/grade", chunks: ["[{\"response\": \"a\","], stall: true })
      expect(isError(r.json, 408, "body-timeout")).toContain("within 400 ms")
    })

    it("broken HTTP gets a JSON 400, huge headers 431, stalled headers 408", async () => {
      const garbage = parseRaw(await tcp(url, "HELLO THERE\r\n\r\n"))
      expect(garbage.status).toBe(400)
      isError(garbage.json, 400, "bad-http")
      const huge = parseRaw(await tcp(url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`))
      isError(huge.json, 431, "headers-too-large")
    })

    it("the server is still healthy and grading after all of that", async () => {
      const r = await post(url, "/grade", [{ response: "\\boxed{1}", gold: "1" }])
      expect(r.json).toMatchObject({ grades: [{ correct: true }] })
      const health = Schema.decodeUnknownSync(HealthResponse)((await raw(url, { method: "GET", path: "/health" })).json)
      expect(health.inFlightRequests).toBe(1)
      expect(health.pendingItems).toBe(0)
      expect(health.rejected).toBeGreaterThan(10)
    })
  })
})

describe("admission and shutdown", () => {
  it("a client that stalls in its headers gets a JSON 408", async () => {
    const s = await startServer({ workers: 1, headersTimeoutMs: 300, bodyTimeoutMs: 300 })
    try {
      const answer = parseRaw(await tcp(s.server.url, "POST /grade HTTP/1.1\r\nHost: x\r\n"))
      isError(answer.json, 408, "request-timeout")
    } finally {
      await s.close()
    }
  })

  it("past maxPendingItems a request gets 503 with Retry-After; while draining, 503 too", async () => {
    const s = await startServer({ workers: 1, maxPendingItems: 4 })
    try {
      const slow = post(s.server.url, "/grade", Array.from({ length: 3 }, () => ({ response: "__slow:300__", gold: "1" })))
      await until(s.server.url, (h) => h.pendingItems === 3)
      const busy = await post(s.server.url, "/grade", [{ response: "a", gold: "1" }, { response: "b", gold: "1" }])
      isError(busy.json, 503, "busy")
      expect(busy.headers["retry-after"]).toBe("1")
      expect((await slow).status).toBe(200)
      expect((await post(s.server.url, "/grade", [{ response: "a", gold: "1" }])).status).toBe(200)
      // A batch that could never be admitted is 413, not 503.
      isError((await post(s.server.url, "/grade", Array.from({ length: 5 }, () => ({ response: "a", gold: "1" })))).json, 413, "batch-too-large")
      // While draining, requests on still-open connections are refused and /health says so.
      s.server.state.draining = true
      const refused = await post(s.server.url, "/grade", [{ response: "a", gold: "1" }])
      isError(refused.json, 503, "draining")
      expect(refused.headers["connection"]).toBe("close")
      const health = await raw(s.server.url, { method: "GET", path: "/health" })
      expect(health.status).toBe(503)
      expect(health.json).toMatchObject({ status: "draining" })
    } finally {
      await s.close()
    }
  })

  it("shutdown lets an in-flight batch finish, then refuses connections", async () => {
    const s = await startServer({ workers: 1 })
    const inFlight = post(s.server.url, "/grade", Array.from({ length: 4 }, () => ({ response: "__slow:200__ \\boxed{1}", gold: "1" })))
    await until(s.server.url, (h) => h.pendingItems === 4)
    const closing = s.close()
    const r = await inFlight
    expect(r.status).toBe(200)
    expect(Schema.decodeUnknownSync(GradeResponse)(r.json).grades).toHaveLength(4)
    await closing
    expect(s.server.state.draining).toBe(true)
    expect(s.server.state.inFlightRequests).toBe(0)
    await expect(raw(s.server.url, { method: "GET", path: "/health" })).rejects.toThrow(/ECONNREFUSED/)
  })
})

describe("with the real verifier (the default grader)", () => {
  it("loads @oneshot/verifier in the workers and grades by math, not by string", async () => {
    const s = await startServer({ workers: 1, graderModule: "@oneshot/verifier" })
    try {
      const r = await post(s.server.url, "/grade", [
        { response: "so the answer is \\boxed{\\frac{1}{2}}", gold: "0.5" },
        { response: "so the answer is \\boxed{3}", gold: "0.5" }
      ])
      expect(r.status).toBe(200)
      const grades = Schema.decodeUnknownSync(GradeResponse)(r.json).grades
      expect(grades.map((g) => [g.correct, g.extracted, g.mode])).toEqual([[true, "\\frac{1}{2}", "deepscaler"], [false, "3", "deepscaler"]])
    } finally {
      await s.close()
    }
  })
})

/**
 * Reads a request body with a byte bound and a time bound, straight from
 * Node's request. The platform's own reader destroys the socket when its limit
 * is hit, so the client would see a reset instead of a 413; here the rest of
 * an oversized or late body is left to Node to discard while a clear 4xx goes
 * back (with `Connection: close`, see `App`).
 */
import { Effect } from "effect"
import type { IncomingMessage } from "node:http"
import { badRequest, Rejection, tooLarge } from "./Rejection.ts"

export interface BodyLimits {
  readonly maxBytes: number
  readonly timeoutMs: number
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

export const readBody = (req: IncomingMessage, limits: BodyLimits): Effect.Effect<string, Rejection> =>
  Effect.async<string, Rejection>((resume) => {
    const declared = req.headers["content-length"]
    if (declared !== undefined && Number(declared) > limits.maxBytes) {
      resume(Effect.fail(tooLarge("body-too-large", `request body: expected at most ${limits.maxBytes} bytes, Content-Length says ${declared}`)))
      return
    }
    const chunks: Array<Buffer> = []
    let bytes = 0
    let settled = false
    const cleanup = () => {
      clearTimeout(timer)
      req.off("data", onData)
      req.off("end", onEnd)
      req.off("error", onError)
      req.off("close", onClose)
      // Keep the stream flowing so Node discards what is still coming.
      req.resume()
    }
    const settle = (effect: Effect.Effect<string, Rejection>) => {
      if (settled) return
      settled = true
      chunks.length = 0
      cleanup()
      resume(effect)
    }
    const onData = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > limits.maxBytes) {
        settle(Effect.fail(tooLarge("body-too-large", `request body: expected at most ${limits.maxBytes} bytes, got more`)))
      } else chunks.push(chunk)
    }
    const onEnd = () => {
      let text: string
      try {
        text = utf8.decode(Buffer.concat(chunks, bytes))
      } catch {
        settle(Effect.fail(badRequest("invalid-utf8", "request body: expected UTF-8 text (JSON)")))
        return
      }
      settle(Effect.succeed(text))
    }
    const onError = (error: Error) => settle(Effect.fail(badRequest("aborted", `request body: read failed: ${error.message}`)))
    const onClose = () => {
      if (!req.complete) settle(Effect.fail(badRequest("aborted", "request body: the client closed the connection before sending it all")))
    }
    const timer = setTimeout(
      () =>
        settle(Effect.fail(new Rejection({
          status: 408,
          code: "body-timeout",
          detail: `request body: expected it within ${limits.timeoutMs} ms, got ${bytes} bytes by then`
        }))),
      limits.timeoutMs
    )
    req.on("data", onData)
    req.on("end", onEnd)
    req.on("error", onError)
    req.on("close", onClose)
    return Effect.sync(() => {
      settled = true
      cleanup()
    })
  })

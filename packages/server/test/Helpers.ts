/**
 * Test helpers: a server on a free port over the stub grader, and raw HTTP
 * requests (fetch hides what we need: chunked uploads, stalled bodies, raw bytes).
 */
import { Effect, Exit, Scope } from "effect"
import { request as httpRequest } from "node:http"
import { connect } from "node:net"
import { makeConfig, type RunningServer, start } from "../src/index.ts"
import type { ServerConfig } from "../src/ServerConfig.ts"

export const stubGrader = new URL("./fixtures/StubGrader.ts", import.meta.url).href

export interface Started {
  readonly server: RunningServer
  readonly close: () => Promise<void>
}

/** Starts the worker-pool server on 127.0.0.1:0 with the stub grader. */
export const startServer = async (overrides: Partial<typeof ServerConfig.Encoded> = {}): Promise<Started> => {
  const config = await Effect.runPromise(makeConfig({ port: 0, workers: 2, graderModule: stubGrader, ...overrides }))
  const scope = Effect.runSync(Scope.make())
  const server = await Effect.runPromise(Scope.extend(start(config), scope))
  return { server, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

export interface RawResponse {
  readonly status: number
  readonly headers: Record<string, string | Array<string> | undefined>
  readonly text: string
  /** The body as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown
}

/**
 * Sends a request with full control of the body: a string/Buffer, or a list of
 * chunks written `chunkDelayMs` apart (chunked encoding, no Content-Length),
 * optionally never ending the body (`stall`).
 */
export const raw = (
  url: string,
  options: {
    readonly method?: string
    readonly path?: string
    readonly body?: string | Buffer
    readonly chunks?: ReadonlyArray<string | Buffer>
    readonly chunkDelayMs?: number
    readonly stall?: boolean
    readonly headers?: Record<string, string>
  } = {}
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const u = new URL(options.path ?? "/", url)
    const req = httpRequest(
      { hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: options.method ?? "POST", headers: options.headers, agent: false },
      (res) => {
        const parts: Array<Buffer> = []
        res.on("data", (c: Buffer) => parts.push(c))
        res.on("error", reject)
        res.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8")
          let json: unknown = undefined
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
          req.destroy()
        })
      }
    )
    req.on("error", reject)
    if (options.chunks !== undefined) {
      const chunks = [...options.chunks]
      const next = () => {
        const c = chunks.shift()
        if (c === undefined) {
          if (options.stall !== true) req.end()
          return
        }
        // Writes after the server answered may fail; the answer is what we test.
        req.write(c, () => setTimeout(next, options.chunkDelayMs ?? 0))
      }
      next()
    } else if (options.stall === true) {
      if (options.body !== undefined) req.write(options.body)
    } else req.end(options.body)
  })

export const post = (url: string, path: string, body: unknown) =>
  raw(url, { path, body: JSON.stringify(body), headers: { "content-type": "application/json" } })

/** Writes raw bytes on a TCP connection (then stalls or half-closes) and returns all that comes back. */
export const tcp = (url: string, data: string | Buffer, options: { readonly end?: boolean } = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const u = new URL(url)
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(data)
      if (options.end === true) socket.end()
    })
    const parts: Array<Buffer> = []
    socket.on("data", (c: Buffer) => parts.push(c))
    socket.on("error", reject)
    socket.on("close", () => resolve(Buffer.concat(parts).toString("utf8")))
  })

/** The status and JSON body of a raw HTTP answer. */
export const parseRaw = (answer: string): { readonly status: number; readonly json: unknown } => {
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0)
  const body = answer.slice(answer.indexOf("\r\n\r\n") + 4)
  return { status, json: JSON.parse(body) as unknown }
}

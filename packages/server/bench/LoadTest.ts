/**
 * Load test of the reward server (a benchmark, not a timed test):
 * `npm run bench -w @oneshot/server -- [options]`.
 *
 * Starts the server (`bench/Serve.ts`, the code of `rlvr serve-reward`) as a child process (so the clients do not
 * share its event loop), or drives `--url` if given (loopback only). C
 * concurrent clients send batches of MATH500 reference solutions (half paired
 * with a wrong gold answer) to `/grade` and, alternately, `/get_reward`, until
 * N requests are done or the time bound passes. Reports grades/s, requests/s,
 * p50/p99 latency and errors, as text and one JSON line.
 *
 * Before the load, the same pairs are graded in-process on one thread for
 * ~2 s: the baseline that the server's grades/s compare with.
 *
 * Options: --clients 16 --requests 400 --batch 64 --seconds 60 --workers N
 *          --mode deepscaler --url http://127.0.0.1:PORT --protocol mixed|grade|openrlhf
 *          --grader MODULE#EXPORT (e.g. a trivial grader, to see the server's own cost)
 */
import { grade } from "@oneshot/verifier"
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { availableParallelism, cpus, loadavg } from "node:os"
import { createRequire } from "node:module"
import { fileURLToPath, pathToFileURL } from "node:url"

const args = process.argv.slice(2)
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
}
const intArg = (name: string, fallback: number, max: number): number => {
  const v = Number(arg(name, String(fallback)))
  if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${name}: expected an integer in [1, ${max}], got ${arg(name, "")}`)
  return v
}

const clients = intArg("clients", 16, 256)
const maxRequests = intArg("requests", 400, 100_000)
const batch = intArg("batch", 64, 4096)
const seconds = intArg("seconds", 60, 600)
const protocol = arg("protocol", "mixed")
if (!["mixed", "grade", "openrlhf"].includes(protocol)) throw new Error(`--protocol: expected mixed, grade or openrlhf, got ${protocol}`)

interface Row {
  readonly problem: string
  readonly solution: string
  readonly answer: string
}
const rows: ReadonlyArray<Row> = readFileSync(fileURLToPath(new URL("./data/math500-sample.jsonl", import.meta.url)), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Row)

const template = (problem: string) =>
  `<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n${problem}<|im_end|>\n<|im_start|>assistant\n`

/** Batch `k`: consecutive rows; odd positions get the next row's gold (mostly wrong). */
const makeBatch = (k: number) =>
  Array.from({ length: batch }, (_, j) => {
    const i = (k * batch + j) % rows.length
    const row = rows[i]!
    const gold = j % 2 === 0 ? row.answer : rows[(i + 1) % rows.length]!.answer
    return { row, gold }
  })

const startServer = async (): Promise<{ url: string; child: ChildProcess | undefined }> => {
  const given = arg("url", "")
  if (given !== "") {
    const host = new URL(given).hostname
    if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) throw new Error(`--url: expected a loopback address, got ${host}`)
    return { url: given.replace(/\/$/, ""), child: undefined }
  }
  const require = createRequire(import.meta.url)
  const tsx = pathToFileURL(require.resolve("tsx")).href
  const serve = fileURLToPath(new URL("./Serve.ts", import.meta.url))
  const serverArgs = ["--mode", arg("mode", "deepscaler")]
  if (args.includes("--workers")) serverArgs.push("--workers", arg("workers", "1"))
  if (args.includes("--grader")) serverArgs.push("--grader", arg("grader", ""))
  const child = spawn(process.execPath, ["--import", tsx, serve, ...serverArgs], { stdio: ["ignore", "pipe", "inherit"] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ""
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s:\n${out}`)), 120_000)
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString()
      process.stdout.write(c)
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${out}`)))
  })
  return { url, child }
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

/** Single-thread, in-process grades/s over the same pairs (no HTTP, no workers). */
const baseline = (): number => {
  const mode = arg("mode", "deepscaler") as "deepscaler"
  grade("\\boxed{1}", "1", { mode, timeoutMs: 10_000 })
  const t0 = performance.now()
  let n = 0
  for (let k = 0; performance.now() - t0 < 2000; k++) {
    for (const { gold, row } of makeBatch(k)) grade(row.solution, gold, { mode, timeoutMs: 1000 })
    n += batch
  }
  return n / ((performance.now() - t0) / 1000)
}

const main = async () => {
  const baselineGradesPerS = args.includes("--grader") ? NaN : baseline()
  const { child, url } = await startServer()
  const latencies: Array<number> = []
  const errors = new Map<string, number>()
  let graded = 0
  let correct = 0
  let issued = 0
  const t0 = performance.now()
  const deadline = t0 + seconds * 1000

  // Bodies repeat with the rows: build each once, so the clients spend little CPU next to the server.
  const bodies = new Map<string, string>()
  const one = async (k: number) => {
    const items = makeBatch(k)
    const openrlhf = protocol === "openrlhf" || (protocol === "mixed" && k % 2 === 1)
    const key = `${openrlhf}:${(k * batch) % rows.length}`
    const body = bodies.get(key) ?? JSON.stringify(openrlhf
      ? {
        query: items.map(({ row }) => `${template(row.problem)}${row.solution}<|im_end|>`),
        prompts: items.map(({ row }) => template(row.problem)),
        labels: items.map(({ gold }) => gold)
      }
      : items.map(({ gold, row }) => ({ response: row.solution, gold })))
    bodies.set(key, body)
    const start = performance.now()
    try {
      const res = await fetch(`${url}${openrlhf ? "/get_reward" : "/grade"}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(Math.round(Math.max(1000, deadline - start + 30_000)))
      })
      const json = (await res.json()) as { rewards?: Array<number>; grades?: Array<{ correct: boolean }> }
      latencies.push(performance.now() - start)
      if (!res.ok) {
        errors.set(String(res.status), (errors.get(String(res.status)) ?? 0) + 1)
        return
      }
      const oks = openrlhf ? (json.rewards ?? []).map((r) => r === 1) : (json.grades ?? []).map((g) => g.correct)
      if (oks.length !== items.length) errors.set("short-answer", (errors.get("short-answer") ?? 0) + 1)
      graded += oks.length
      correct += oks.filter(Boolean).length
    } catch (error) {
      const key = error instanceof Error ? `${error.name}: ${error.message}` : "error"
      errors.set(key, (errors.get(key) ?? 0) + 1)
    }
  }

  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < maxRequests && performance.now() < deadline) await one(issued++)
    })
  )
  const wall = (performance.now() - t0) / 1000
  const health = await fetch(`${url}/health`).then((r) => r.json()).catch(() => ({}))
  if (child !== undefined) {
    child.kill("SIGTERM")
    await new Promise((r) => child.once("exit", r))
  }
  const sorted = [...latencies].sort((a, b) => a - b)
  const result = {
    protocol,
    clients,
    batch,
    requests: latencies.length,
    graded,
    correctFraction: graded === 0 ? 0 : correct / graded,
    wallS: wall,
    gradesPerS: graded / wall,
    baselineGradesPerS,
    requestsPerS: latencies.length / wall,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    errors: Object.fromEntries(errors),
    workers: (health as { workers?: number }).workers,
    workerRestarts: (health as { workerRestarts?: number }).workerRestarts,
    loadAverage1m: loadavg()[0],
    machine: `${cpus()[0]?.model ?? "cpu"} (${availableParallelism()} cores), node ${process.version}`
  }
  console.log(
    `\n${result.requests} requests × ${batch} items by ${clients} clients in ${wall.toFixed(1)} s on ${result.workers} workers: ` +
      `${result.gradesPerS.toFixed(0)} grades/s, ${result.requestsPerS.toFixed(1)} req/s, ` +
      `p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms, errors ${JSON.stringify(result.errors)}, ` +
      `correct ${(100 * result.correctFraction).toFixed(1)}%; in-process single-thread baseline ${baselineGradesPerS.toFixed(0)} grades/s; ` +
      `load average ${loadavg()[0]!.toFixed(1)}`
  )
  console.log(JSON.stringify(result))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})

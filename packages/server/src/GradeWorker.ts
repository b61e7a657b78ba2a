/**
 * Entry of a grading worker thread: loads the grader module once, then grades
 * chunks of items synchronously, publishing progress in shared memory and
 * posting grades in batches. A grader that throws yields an `error` grade for
 * that item; the worker lives on.
 */
import { isAbsolute, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { parentPort, workerData } from "node:worker_threads"
import {
  type ChunkMessage,
  failedGrade,
  type PlainGrade,
  toPlainGrade,
  type WorkerInit,
  type WorkerMessage
} from "./WorkerProtocol.ts"

/** On a slow chunk, send what is graded at least this often. */
const FLUSH_MS = 20

type GradeFn = (response: string, gold: string, options: { mode: string; timeoutMs: number }) => unknown

const port = parentPort
if (port === null) throw new Error("GradeWorker.ts must run in a worker thread")
const post = (m: WorkerMessage) => port.postMessage(m)

const init = workerData as WorkerInit

const load = async (): Promise<GradeFn> => {
  // Paths are the user's: relative to the working directory. Anything else is a URL or a package name.
  const m = init.graderModule
  const specifier = m.startsWith(".") || isAbsolute(m) ? pathToFileURL(resolve(process.cwd(), m)).href : m
  const mod = (await import(specifier)) as Record<string, unknown>
  const fn = mod[init.graderExport]
  if (typeof fn !== "function") {
    throw new Error(`module ${init.graderModule} has no function export '${init.graderExport}' (exports: ${Object.keys(mod).join(", ") || "none"})`)
  }
  return fn as GradeFn
}

load().then(
  (grade) => {
    const progress = new Int32Array(init.progress)
    port.on("message", (chunk: ChunkMessage) => {
      let batch: Array<PlainGrade> = []
      let from = 0
      let lastFlush = Date.now()
      chunk.jobs.forEach((job, index) => {
        // Started-at first, then the index: the watchdog reads the index, then its start.
        Atomics.store(progress, 1, Date.now() - init.base)
        Atomics.store(progress, 0, index)
        let result: PlainGrade
        try {
          result = toPlainGrade(grade(job.response, job.gold, { mode: job.mode, timeoutMs: job.timeoutMs }), job.mode)
        } catch {
          result = failedGrade(job.mode, "error")
        }
        batch.push(result)
        const now = Date.now()
        if (now - lastFlush >= FLUSH_MS && index < chunk.jobs.length - 1) {
          post({ type: "grades", id: chunk.id, from, grades: batch, done: false })
          from = index + 1
          batch = []
          lastFlush = now
        }
      })
      post({ type: "grades", id: chunk.id, from, grades: batch, done: true })
    })
    // Warm up (JIT, lazy CAS loading) so the first real batch is not the slow one.
    try {
      grade("so the answer is \\boxed{\\frac{1}{2}}", "0.5", { mode: "deepscaler", timeoutMs: 10_000 })
    } catch {
      // A grader that fails here fails per item later, as an `error` grade.
    }
    post({ type: "ready" })
  },
  (error: unknown) => post({ type: "init-error", message: error instanceof Error ? error.message : String(error) })
)

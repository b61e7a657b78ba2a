/**
 * Entry of a grading worker thread: loads the grader module once, then grades
 * chunks of items synchronously, posting each grade as it is done. A grader
 * that throws yields an `error` grade for that item; the worker lives on.
 */
import { parentPort, workerData } from "node:worker_threads"
import { type ChunkMessage, failedGrade, type WorkerInit, type WorkerMessage } from "./WorkerProtocol.ts"

type GradeFn = (response: string, gold: string, options: { mode: string; timeoutMs: number }) => unknown

const port = parentPort
if (port === null) throw new Error("GradeWorker.ts must run in a worker thread")
const post = (m: WorkerMessage) => port.postMessage(m)

const init = workerData as WorkerInit

const load = async (): Promise<GradeFn> => {
  const specifier = init.graderModule.startsWith("file:") || init.graderModule.startsWith(".")
    ? new URL(init.graderModule, import.meta.url).href
    : init.graderModule
  const mod = (await import(specifier)) as Record<string, unknown>
  const fn = mod[init.graderExport]
  if (typeof fn !== "function") {
    throw new Error(`module ${init.graderModule} has no function export '${init.graderExport}' (exports: ${Object.keys(mod).join(", ") || "none"})`)
  }
  return fn as GradeFn
}

load().then(
  (grade) => {
    port.on("message", (chunk: ChunkMessage) => {
      chunk.jobs.forEach((job, index) => {
        let result: unknown
        try {
          result = grade(job.response, job.gold, { mode: job.mode, timeoutMs: job.timeoutMs })
        } catch {
          result = failedGrade(job.mode, "error")
        }
        try {
          post({ type: "grade", id: chunk.id, index, grade: result })
        } catch {
          // Not structured-cloneable (e.g. holds a function): not a grade.
          post({ type: "grade", id: chunk.id, index, grade: failedGrade(job.mode, "invalid-grade") })
        }
      })
      post({ type: "done", id: chunk.id })
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

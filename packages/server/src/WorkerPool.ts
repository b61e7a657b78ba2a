/**
 * A fixed pool of grading worker threads, so that batches are graded in
 * parallel and never on the event loop. Batches are split into small chunks;
 * an idle worker takes the next chunk of the next waiting batch, round-robin,
 * so a small request is not stuck behind a large one. A per-item watchdog
 * (reading each worker's progress from shared memory) terminates a worker that
 * overruns an item's time bound (a grader caught in a loop), grades that item
 * `timeout` and hands the rest of its chunk to a fresh worker; a crashed
 * worker is handled the same way. The pool never fails a batch: every item
 * comes back as a `Grade`.
 */
import { Grade } from "@oneshot/core"
import { Effect, Schema, type Scope } from "effect"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import { type ChunkMessage, failedGrade, type GradeJob, type PlainGrade, type WorkerInit, type WorkerMessage } from "./WorkerProtocol.ts"

/** The grader module could not be loaded in a worker. */
export class GraderLoadError extends Schema.TaggedError<GraderLoadError>()("GraderLoadError", {
  module: Schema.String,
  export: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `cannot load grader ${this.module}#${this.export} in a worker thread: ${this.reason}`
  }
}

export interface WorkerPoolOptions {
  readonly size: number
  readonly graderModule: string
  readonly graderExport: string
  /** Time past an item's own `timeoutMs` before its worker is replaced. */
  readonly hardTimeoutGraceMs: number
  /** Heap limit of each worker; a grader that exceeds it costs one item, not the process. */
  readonly maxWorkerHeapMb?: number
  /** Longest wait for all workers to load the grader. */
  readonly startupTimeoutMs?: number
}

export interface WorkerPoolStats {
  readonly size: number
  readonly busy: number
  readonly queuedItems: number
  /** Workers replaced after a timeout or a crash. */
  readonly restarts: number
}

export interface WorkerPool {
  readonly size: number
  /** Grades the jobs in order. Interrupting drops the chunks not yet started. */
  readonly grade: (jobs: ReadonlyArray<GradeJob>) => Effect.Effect<ReadonlyArray<Grade>>
  readonly stats: () => WorkerPoolStats
}

/** Most items handed to a worker at once: small enough that batches interleave (~3 ms of grading). */
const MAX_CHUNK = 16

/** How often the watchdog looks at the workers' progress. */
const WATCHDOG_MS = 50

interface Task {
  readonly jobs: ReadonlyArray<GradeJob>
  readonly results: Array<Grade | undefined>
  /** Chunks not yet handed to a worker, in order. */
  readonly waiting: Array<Chunk>
  /** Whether the task is in the round-robin `ready` list. */
  queued: boolean
  pendingChunks: number
  cancelled: boolean
  readonly resolve: (grades: ReadonlyArray<Grade>) => void
}

interface Chunk {
  readonly id: number
  readonly task: Task
  readonly offset: number
  readonly jobs: ReadonlyArray<GradeJob>
  /** Items whose grades have come back (a prefix of the chunk). */
  received: number
}

interface Slot {
  worker: Worker | undefined
  ready: boolean
  chunk: Chunk | undefined
  /** Shared with the worker: [index of the item in hand, its start in ms since `base`]. */
  progress: Int32Array
  base: number
}

/**
 * Workers load TypeScript sources through tsx's ESM API (as `bin/rlvr.mjs`
 * does): `--import tsx` in a worker's execArgv does not apply its hooks to the
 * worker entry on Node 20, while `register()` inside the worker does, both
 * under tsx and under vitest.
 */
const tsxApiUrl = (): string => {
  const require = createRequire(import.meta.url)
  return pathToFileURL(join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs")).href
}

/** The worker already checked the fields (`toPlainGrade`); skip re-validating on the event loop. */
const toGrade = (g: PlainGrade): Grade => new Grade(g, true)

export const make = (options: WorkerPoolOptions): Effect.Effect<WorkerPool, GraderLoadError, Scope.Scope> =>
  Effect.gen(function*() {
    const entry = new URL("./GradeWorker.ts", import.meta.url).href
    const bootstrap = `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${
      JSON.stringify(entry)
    }) })`
    const grace = options.hardTimeoutGraceMs
    /** Tasks with waiting chunks, served round-robin. */
    let ready: Array<Task> = []
    const slots: Array<Slot> = Array.from({ length: options.size }, () => ({
      worker: undefined,
      ready: false,
      chunk: undefined,
      progress: new Int32Array(new SharedArrayBuffer(8)),
      base: Date.now()
    }))
    let nextChunkId = 0
    let restarts = 0
    let closed = false
    let startup: { ready: number; resolve: () => void; reject: (reason: string) => void } | undefined

    const finishChunk = (chunk: Chunk) => {
      const task = chunk.task
      task.pendingChunks -= 1
      if (task.pendingChunks === 0 && !task.cancelled) task.resolve(task.results as ReadonlyArray<Grade>)
    }

    /** Puts items `from…to` of a failed chunk back at the front of its task, and the task at the front. */
    const requeue = (chunk: Chunk, from: number, to: number) => {
      if (to <= from) return
      const task = chunk.task
      task.pendingChunks += 1
      task.waiting.unshift({ id: nextChunkId++, task, offset: chunk.offset + from, jobs: chunk.jobs.slice(from, to), received: 0 })
      if (!task.queued) {
        task.queued = true
        ready.unshift(task)
      }
    }

    /**
     * The worker of `slot` overran or died while on item `stuck` of its chunk:
     * grade that item `rule`, requeue the others not yet answered, replace the worker.
     */
    const fail = (slot: Slot, rule: string, timedOut: boolean) => {
      const worker = slot.worker
      slot.worker = undefined
      slot.ready = false
      const chunk = slot.chunk
      slot.chunk = undefined
      if (chunk !== undefined) {
        const stuck = Math.min(Math.max(Atomics.load(slot.progress, 0), chunk.received), chunk.jobs.length - 1)
        const job = chunk.jobs[stuck]!
        chunk.task.results[chunk.offset + stuck] = toGrade(failedGrade(job.mode, rule, timedOut))
        // Graded but not yet reported before the stuck item, and everything after it.
        requeue(chunk, stuck + 1, chunk.jobs.length)
        requeue(chunk, chunk.received, stuck)
        finishChunk(chunk)
      }
      if (worker !== undefined) void worker.terminate()
      if (!closed) {
        restarts += 1
        spawn(slot)
        // Other idle workers can take the requeued items now.
        pump()
      }
    }

    const watchdog = setInterval(() => {
      for (const slot of slots) {
        const chunk = slot.chunk
        if (chunk === undefined) continue
        const index = Atomics.load(slot.progress, 0)
        const started = Atomics.load(slot.progress, 1)
        const job = chunk.jobs[index]
        if (job !== undefined && Date.now() - slot.base - started > job.timeoutMs + grace) fail(slot, "timeout", true)
      }
    }, WATCHDOG_MS)
    watchdog.unref()

    /** The next chunk round-robin over waiting tasks. */
    const nextChunk = (): Chunk | undefined => {
      for (;;) {
        const task = ready.shift()
        if (task === undefined) return undefined
        const chunk = task.waiting.shift()
        if (chunk === undefined || task.cancelled) {
          task.queued = false
          continue
        }
        if (task.waiting.length > 0) ready.push(task)
        else task.queued = false
        return chunk
      }
    }

    const pump = () => {
      for (const slot of slots) {
        if (ready.length === 0) return
        if (!slot.ready || slot.chunk !== undefined || slot.worker === undefined) continue
        const chunk = nextChunk()
        if (chunk === undefined) return
        slot.chunk = chunk
        Atomics.store(slot.progress, 1, Date.now() - slot.base)
        Atomics.store(slot.progress, 0, 0)
        const message: ChunkMessage = { id: chunk.id, jobs: chunk.jobs }
        slot.worker.postMessage(message)
      }
    }

    const spawn = (slot: Slot) => {
      const init: WorkerInit = {
        graderModule: options.graderModule,
        graderExport: options.graderExport,
        progress: slot.progress.buffer as SharedArrayBuffer,
        base: slot.base
      }
      const worker = new Worker(bootstrap, {
        eval: true,
        workerData: init,
        resourceLimits: { maxOldGenerationSizeMb: options.maxWorkerHeapMb ?? 1024 },
        stdout: false,
        stderr: false
      })
      slot.worker = worker
      slot.ready = false
      const current = () => slot.worker === worker
      worker.on("message", (m: WorkerMessage) => {
        if (!current()) return
        switch (m.type) {
          case "ready": {
            slot.ready = true
            if (startup !== undefined) {
              startup.ready += 1
              if (startup.ready === slots.length) startup.resolve()
            }
            pump()
            return
          }
          case "init-error": {
            slot.worker = undefined
            void worker.terminate()
            if (startup !== undefined) startup.reject(m.message)
            // After startup the module loaded once already; retry rather than lose a worker.
            else if (!closed) setTimeout(() => !closed && spawn(slot), 1000).unref()
            return
          }
          case "grades": {
            const chunk = slot.chunk
            if (chunk === undefined || chunk.id !== m.id) return
            m.grades.forEach((g, k) => (chunk.task.results[chunk.offset + m.from + k] = toGrade(g)))
            chunk.received = m.from + m.grades.length
            if (m.done) {
              slot.chunk = undefined
              finishChunk(chunk)
              pump()
            }
            return
          }
        }
      })
      worker.on("error", (error) => {
        if (!current()) return
        if (startup !== undefined && !slot.ready) startup.reject(error.message)
        else fail(slot, "worker-crashed", false)
      })
      worker.on("exit", () => {
        if (!current() || closed) return
        if (startup !== undefined && !slot.ready) startup.reject("worker exited while loading")
        else fail(slot, "worker-crashed", false)
      })
    }

    const terminateAll = () =>
      Effect.promise(() => {
        closed = true
        clearInterval(watchdog)
        const workers = slots.flatMap((s) => {
          const w = s.worker
          s.worker = undefined
          s.ready = false
          return w === undefined ? [] : [w.terminate()]
        })
        // Anything still queued (only on a forced shutdown) is answered, not dropped.
        const waiting = ready.flatMap((task) => task.waiting.splice(0))
        ready = []
        for (const chunk of waiting) {
          chunk.jobs.forEach((job, i) => (chunk.task.results[chunk.offset + i] = toGrade(failedGrade(job.mode, "shutdown"))))
          finishChunk(chunk)
        }
        for (const s of slots) {
          const chunk = s.chunk
          s.chunk = undefined
          if (chunk === undefined) continue
          chunk.jobs.forEach((job, i) => {
            if (i >= chunk.received) chunk.task.results[chunk.offset + i] = toGrade(failedGrade(job.mode, "shutdown"))
          })
          finishChunk(chunk)
        }
        return Promise.allSettled(workers)
      })

    yield* Effect.acquireRelease(
      Effect.async<void, GraderLoadError>((resume) => {
        const timeout = setTimeout(
          () => startup?.reject(`workers not ready after ${options.startupTimeoutMs ?? 60_000} ms`),
          options.startupTimeoutMs ?? 60_000
        )
        startup = {
          ready: 0,
          resolve: () => {
            clearTimeout(timeout)
            startup = undefined
            resume(Effect.void)
          },
          reject: (reason) => {
            clearTimeout(timeout)
            startup = undefined
            resume(Effect.fail(new GraderLoadError({ module: options.graderModule, export: options.graderExport, reason })))
          }
        }
        for (const slot of slots) spawn(slot)
      }).pipe(Effect.tapError(() => terminateAll())),
      () => terminateAll()
    )

    const grade = (jobs: ReadonlyArray<GradeJob>): Effect.Effect<ReadonlyArray<Grade>> =>
      jobs.length === 0
        ? Effect.succeed([])
        : Effect.async<ReadonlyArray<Grade>>((resume) => {
          if (closed) {
            resume(Effect.succeed(jobs.map((job) => toGrade(failedGrade(job.mode, "shutdown")))))
            return
          }
          const size = Math.min(MAX_CHUNK, Math.ceil(jobs.length / slots.length))
          const task: Task = {
            jobs,
            results: new Array<Grade | undefined>(jobs.length),
            waiting: [],
            queued: true,
            pendingChunks: 0,
            cancelled: false,
            resolve: (grades) => resume(Effect.succeed(grades))
          }
          for (let offset = 0; offset < jobs.length; offset += size) {
            task.pendingChunks += 1
            task.waiting.push({ id: nextChunkId++, task, offset, jobs: jobs.slice(offset, offset + size), received: 0 })
          }
          ready.push(task)
          pump()
          return Effect.sync(() => {
            task.cancelled = true
            task.waiting.length = 0
            ready = ready.filter((t) => t !== task)
            task.queued = false
          })
        })

    const stats = (): WorkerPoolStats => ({
      size: slots.length,
      busy: slots.filter((s) => s.chunk !== undefined).length,
      queuedItems: ready.reduce((n, t) => t.waiting.reduce((m, c) => m + c.jobs.length, n), 0),
      restarts
    })

    return { size: slots.length, grade, stats }
  })

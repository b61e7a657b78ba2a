/**
 * Training data: verl RL parquet (the authors' DSR-sub and `pi*_r128` files)
 * or JSONL of core `Problem`s, then the paper's manipulations: select
 * examples by id, duplicate them to the batch (1-shot = one example repeated,
 * as `pi1_r128`), override the label, add label noise, and the per-step batch
 * order (shuffled per epoch, `drop_last`, as verl's sampler).
 */
import { FileError, InvalidInput, Problem } from "@oneshot/core"
import { Effect, Schema } from "effect"
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet"
import { readFileSync } from "node:fs"
import type { DataSection } from "./Config.ts"
import { hashInts, mulberry32, permutation, Stream } from "./Rng.ts"

const str = (v: unknown): string => (typeof v === "bigint" ? v.toString() : typeof v === "string" ? v : JSON.stringify(v))

/** One verl RL row → Problem: id = `extra_info.index`, prompt = the last user turn, answer = `reward_model.ground_truth`. */
export const problemFromVerlRow = (row: Record<string, unknown>, where: string): Problem => {
  const prompt = row["prompt"]
  const turns = Array.isArray(prompt) ? (prompt as Array<Record<string, unknown>>) : []
  const user = [...turns].reverse().find((t) => t["role"] === "user")
  const rm = row["reward_model"] as Record<string, unknown> | undefined
  const info = row["extra_info"] as Record<string, unknown> | undefined
  if (user === undefined || typeof user["content"] !== "string" || rm === undefined || rm["ground_truth"] === undefined) {
    throw new InvalidInput({
      input: where,
      expected: "a verl RL row: prompt = [{role: 'user', content}], reward_model.ground_truth",
      actual: JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)).slice(0, 120)
    })
  }
  return Problem.make({
    id: info?.["index"] !== undefined ? str(info["index"]) : where,
    prompt: user["content"],
    answer: str(rm["ground_truth"]),
    source: typeof row["data_source"] === "string" ? row["data_source"] : "parquet"
  })
}

export const readParquetProblems = (path: string): Effect.Effect<ReadonlyArray<Problem>, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const rows = yield* Effect.tryPromise({
      try: async () => parquetReadObjects({ file: await asyncBufferFromFile(path) }),
      catch: (e) => new FileError({ path, operation: "read parquet", reason: e instanceof Error ? e.message : String(e), cause: e })
    })
    return yield* Effect.try({
      try: () => rows.map((r, i) => problemFromVerlRow(r, `${path} row ${i}`)),
      catch: (e) => (e instanceof InvalidInput ? e : new InvalidInput({ input: path, expected: "verl RL rows", actual: String(e), cause: e }))
    })
  })

export const readJsonlProblems = (path: string): Effect.Effect<ReadonlyArray<Problem>, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const text = yield* Effect.try({
      try: () => readFileSync(path, "utf8"),
      catch: (e) => new FileError({ path, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
    })
    const out: Array<Problem> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim()
      if (line === "") continue
      const decoded = yield* Effect.try({
        try: () => Schema.decodeUnknownSync(Problem)(JSON.parse(line)),
        catch: (e) =>
          new InvalidInput({
            input: `${path}:${i + 1}`,
            expected: "a JSON Problem {id, prompt, answer, source}",
            actual: e instanceof Error ? e.message.split("\n")[0]!.slice(0, 120) : String(e),
            cause: e
          })
      })
      out.push(decoded)
    }
    return out
  })

export const readProblems = (path: string): Effect.Effect<ReadonlyArray<Problem>, FileError | InvalidInput> =>
  path.endsWith(".parquet") ? readParquetProblems(path) : readJsonlProblems(path)

/**
 * A wrong label for label-noise runs, as the paper describes: integers move by
 * a random ±1..10 with a random sign flip, fractions get numerator and
 * denominator perturbed, decimals move by ±1..10; anything else becomes a
 * random integer. Never returns the original answer.
 */
export const corruptLabel = (answer: string, rand: () => number): string => {
  const offset = () => 1 + Math.floor(rand() * 10)
  const sign = () => (rand() < 0.5 ? -1 : 1)
  const a = answer.trim()
  const frac = /^(-?)\\d?frac\{(-?\d+)\}\{(-?\d+)\}$/.exec(a) ?? /^(-?)\\frac\{(-?\d+)\}\{(-?\d+)\}$/.exec(a)
  let out: string
  if (/^-?\d+$/.test(a)) out = String((Number(a) + sign() * offset()) * sign())
  else if (frac !== null) {
    const num = Number(frac[2]) + offset()
    const den = Math.max(1, Number(frac[3]) + offset())
    out = `${frac[1] ?? ""}\\frac{${num}}{${den}}`
  } else if (/^-?\d*\.\d+$/.test(a)) out = String(Math.round((Number(a) + sign() * offset()) * 1e6) / 1e6)
  else out = String(Math.floor(rand() * 1000))
  return out === a ? `${out}1` : out
}

/** The training rows after selection, duplication and label changes (deterministic given the section). */
export const prepareRows = (problems: ReadonlyArray<Problem>, data: DataSection): Effect.Effect<ReadonlyArray<Problem>, InvalidInput> =>
  Effect.gen(function* () {
    let rows = problems
    if (data.ids !== undefined) {
      const byId = new Map(problems.map((p) => [p.id, p] as const))
      const picked: Array<Problem> = []
      for (const id of data.ids) {
        const p = byId.get(id)
        if (p === undefined) return yield* new InvalidInput({ input: `data.ids ${id}`, expected: `an id present in ${data.train}` })
        picked.push(p)
      }
      rows = picked
    }
    if (rows.length === 0) return yield* new InvalidInput({ input: `data.train ${data.train}`, expected: "at least one example" })
    if (data.duplicateTo !== undefined) {
      const base = rows
      rows = Array.from({ length: data.duplicateTo }, (_, i) => base[i % base.length]!)
    }
    if (data.labelOverride !== undefined) {
      const label = data.labelOverride
      rows = rows.map((p) => Problem.make({ ...p, answer: label }))
    }
    if (data.labelNoise > 0) {
      // Noise is per example id, so duplicated rows of one example share one label.
      const ids = [...new Set(rows.map((p) => p.id))]
      const k = Math.round(data.labelNoise * ids.length)
      const chosen = new Set(permutation(ids.length, hashInts(data.labelNoiseSeed, Stream.labelNoise)).slice(0, k).map((i) => ids[i]!))
      const wrong = new Map<string, string>()
      rows = rows.map((p) => {
        if (!chosen.has(p.id)) return p
        let w = wrong.get(p.id)
        if (w === undefined) {
          w = corruptLabel(p.answer, mulberry32(hashInts(data.labelNoiseSeed, Stream.labelNoise, ids.indexOf(p.id))))
          wrong.set(p.id, w)
        }
        return Problem.make({ ...p, answer: w })
      })
    }
    return rows
  })

/** Reads and prepares the training rows of a config's data section. */
export const loadTrainingRows = (data: DataSection): Effect.Effect<ReadonlyArray<Problem>, FileError | InvalidInput> =>
  Effect.flatMap(readProblems(data.train), (ps) => prepareRows(ps, data))

/** Steps per epoch with verl's `drop_last`; fails when the batch is larger than the data. */
export const stepsPerEpoch = (rows: number, batchSize: number): Effect.Effect<number, InvalidInput> =>
  rows >= batchSize
    ? Effect.succeed(Math.floor(rows / batchSize))
    : Effect.fail(
        new InvalidInput({
          input: "trainer.batchSize",
          expected: `at most the ${rows} training rows (set data.duplicateTo to ${batchSize} for 1-shot/few-shot)`,
          actual: String(batchSize)
        })
      )

/** Row indices of the batch at 0-based `step`: epoch-wise permutations (or file order without shuffle), drop_last. */
export const batchIndices = (rows: number, batchSize: number, step: number, seed: number, shuffle: boolean): Array<number> => {
  const spe = Math.floor(rows / batchSize)
  const epoch = Math.floor(step / spe)
  const k = step % spe
  const order = shuffle ? permutation(rows, hashInts(seed, Stream.shuffle, epoch)) : Array.from({ length: rows }, (_, i) => i)
  return order.slice(k * batchSize, (k + 1) * batchSize)
}

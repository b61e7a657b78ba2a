/**
 * A step's rollouts and how they are laid out for the model: right-padded
 * prompt+response rows, micro-batches (optionally length-bucketed so short
 * responses are not padded to the longest one), and per-rollout values
 * placed back into rows. Pure functions; every stage of a step shares them.
 */
import type { Problem } from "@oneshot/core"
import type { TokenBatch } from "@oneshot/policy"

/** One rollout: a response to a row of the batch. */
export interface Rollout {
  readonly row: number
  readonly problem: Problem
  readonly prompt: ReadonlyArray<number>
  readonly response: ReadonlyArray<number>
  readonly text: string
  readonly truncated: boolean
}

/** Width of rows holding rollouts `idx` (at least 2, as the scorer needs one prediction). */
export const rowWidth = (rollouts: ReadonlyArray<Rollout>, idx: ReadonlyArray<number>): number =>
  Math.max(2, ...idx.map((i) => rollouts[i]!.prompt.length + rollouts[i]!.response.length))

/** Rollouts `idx` as a TokenBatch of width T (response tokens masked in). */
export const tokenRows = (rollouts: ReadonlyArray<Rollout>, idx: ReadonlyArray<number>, T: number, padId: number): TokenBatch => ({
  tokens: idx.map((i) => {
    const r = rollouts[i]!
    const row = [...r.prompt, ...r.response]
    while (row.length < T) row.push(padId)
    return row
  }),
  responseMask: idx.map((i) => {
    const r = rollouts[i]!
    const m = new Array<number>(T).fill(0)
    for (let t = r.prompt.length; t < r.prompt.length + r.response.length; t++) m[t] = 1
    return m
  })
})

/** A row cut or zero-extended to width T (rows are right-padded, so content never moves). */
export const fitRow = (row: ReadonlyArray<number>, T: number): Array<number> => {
  const out = row.slice(0, T)
  while (out.length < T) out.push(0)
  return out
}

/** The response part [P, P+L) of a row. */
export const responsePart = (row: ReadonlyArray<number>, r: Rollout): Array<number> => row.slice(r.prompt.length, r.prompt.length + r.response.length)

/** Per-response token values placed into rows of width T (0 elsewhere). */
export const placeRows = (rollouts: ReadonlyArray<Rollout>, idx: ReadonlyArray<number>, values: ReadonlyArray<ReadonlyArray<number>>, T: number): Array<Array<number>> =>
  idx.map((i) => {
    const r = rollouts[i]!
    const row = new Array<number>(T).fill(0)
    values[i]!.forEach((v, j) => (row[r.prompt.length + j] = v))
    return row
  })

/** A micro-batch: rollout indices and the row width they are computed at. */
export interface MicroBatch {
  readonly idx: ReadonlyArray<number>
  readonly T: number
}

/**
 * Splits `idx` into micro-batches of at most `size`. Unpacked: consecutive
 * chunks, all at width `fullT` (the trainer's historical layout). Packed:
 * sorted by length first (stable), each chunk at its own width, so padding
 * is at most the spread of lengths within a chunk.
 */
export const microBatches = (
  rollouts: ReadonlyArray<Rollout>,
  idx: ReadonlyArray<number>,
  size: number,
  options: { readonly pack: boolean; readonly fullT: number }
): Array<MicroBatch> => {
  const order = options.pack
    ? [...idx].map((i, k) => [i, k] as const).sort((a, b) => len(rollouts[a[0]]!) - len(rollouts[b[0]]!) || a[1] - b[1]).map(([i]) => i)
    : idx
  const out: Array<MicroBatch> = []
  for (let s = 0; s < order.length; s += size) {
    const chunk = order.slice(s, s + size)
    out.push({ idx: chunk, T: options.pack ? rowWidth(rollouts, chunk) : options.fullT })
  }
  return out
}

const len = (r: Rollout): number => r.prompt.length + r.response.length

/** Scored positions (rows × width) a set of micro-batches computes: what packing saves. */
export const paddedArea = (batches: ReadonlyArray<MicroBatch>): number => batches.reduce((s, b) => s + b.idx.length * b.T, 0)

/**
 * Responses per micro-batch: the configured size (default: all `rows`), and
 * with several replicas at most rows / (2 · replicas), so every replica gets
 * work and the cost-balancing has pieces to balance with (the accumulated
 * gradient is exact for any split).
 */
export const microBatchSize = (configured: number | undefined, rows: number, replicas: number): number => {
  const size = configured ?? rows
  return replicas <= 1 ? size : Math.max(1, Math.min(size, Math.ceil(rows / (2 * replicas))))
}

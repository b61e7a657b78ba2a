/**
 * Historical-variance data selection, exactly as the authors'
 * `data_selection.py`: rank examples by the population standard deviation of
 * their training-accuracy history, descending, ties in original key order.
 */

/**
 * Sum in numpy's pairwise order (8 accumulators, blocks of 128), so that
 * scores and hence tie-breaks match the authors' `np.std` bit for bit.
 */
export const pairwiseSum = (xs: ReadonlyArray<number>, start = 0, n = xs.length - start): number => {
  if (n < 8) {
    let res = 0
    for (let i = 0; i < n; i++) res += xs[start + i]!
    return res
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0]
    for (let j = 0; j < 8; j++) r[j] = xs[start + j]!
    let i = 8
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += xs[start + i + j]!
    }
    let res = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!))
    for (; i < n; i++) res += xs[start + i]!
    return res
  }
  let n2 = Math.floor(n / 2)
  n2 -= n2 % 8
  return pairwiseSum(xs, start, n2) + pairwiseSum(xs, start + n2, n - n2)
}

/** Population standard deviation (divides by n), computed as `numpy.std`. 0 for empty input. */
export const populationStd = (xs: ReadonlyArray<number>): number => {
  const n = xs.length
  if (n === 0) return 0
  const mean = pairwiseSum(xs) / n
  return Math.sqrt(pairwiseSum(xs.map((x) => (x - mean) * (x - mean))) / n)
}

export interface RankedExample {
  readonly id: string
  readonly variance: number
  /** 1-based rank. */
  readonly rank: number
}

/**
 * Ranks every example of a history (`[id, accuracies]` entries in file order) by historical variance,
 * highest first. The sort is stable, so equal scores keep the history's key order.
 */
export const rankByHistoricalVariance = (
  history: ReadonlyArray<readonly [id: string, accuracies: ReadonlyArray<number>]>
): ReadonlyArray<RankedExample> =>
  history
    .map(([id, accs]) => ({ id, variance: populationStd(accs) }))
    .sort((a, b) => b.variance - a.variance)
    .map((e, i) => ({ ...e, rank: i + 1 }))

/**
 * Parses an `acc_step_N.json` history (`{"<index>": [acc, …], …}`) into
 * entries in file order. `JSON.parse` would reorder integer-like keys
 * ascending, which changes how ties are broken relative to the authors' Python.
 */
export const parseAccuracyHistory = (
  text: string
): ReadonlyArray<readonly [id: string, accuracies: ReadonlyArray<number>]> => {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TypeError("accuracy history: expected a JSON object of id → number[]")
  }
  const record = parsed as Record<string, unknown>
  const order: Array<string> = []
  const seen = new Set<string>()
  // Top-level keys are the only strings directly followed by `: [` in this format.
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*\[/g)) {
    const key = JSON.parse(`"${m[1]}"`) as string
    if (key in record && !seen.has(key)) {
      seen.add(key)
      order.push(key)
    }
  }
  for (const key of Object.keys(record)) if (!seen.has(key)) order.push(key)
  return order.map((id) => {
    const v = record[id]
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) {
      throw new TypeError(`accuracy history: key ${id}: expected an array of numbers`)
    }
    return [id, v as ReadonlyArray<number>] as const
  })
}

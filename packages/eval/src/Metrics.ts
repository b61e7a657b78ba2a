/**
 * The evaluation metrics of the paper and of the RLVR literature, as pure
 * functions over per-sample correctness so that every number in a report can
 * be recomputed by hand from the per-problem results.
 */

/** Mean of a list; 0 for an empty list (an empty benchmark has no accuracy to report). */
export const mean = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return 0
  let s = 0
  for (const x of xs) s += x
  return s / xs.length
}

/** Number of correct samples. */
export const countCorrect = (correct: ReadonlyArray<boolean>): number => {
  let c = 0
  for (const b of correct) if (b) c++
  return c
}

/**
 * Unbiased pass@k estimator of Chen et al. (2021), `1 - C(n-c, k) / C(n, k)`,
 * computed as the numerically stable product `1 - Π_{i=n-c+1..n} (1 - k/i)`.
 * `n` samples, `c` of them correct; requires `1 ≤ k ≤ n`.
 */
export const passAtK = (n: number, c: number, k: number): number => {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`passAtK: expected integers 0 ≤ c ≤ n and 1 ≤ k ≤ n, got n=${n}, c=${c}, k=${k}`)
  }
  if (n - c < k) return 1
  let prod = 1
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i
  return 1 - prod
}

/**
 * avg@k: the mean correctness of the first `k` samples, i.e. the mean pass@1
 * over `k` samples (the paper's AIME/AMC score). `k` defaults to all samples.
 */
export const avgAtK = (correct: ReadonlyArray<boolean>, k: number = correct.length): number => {
  if (!Number.isInteger(k) || k < 1 || k > correct.length) {
    throw new RangeError(`avgAtK: expected an integer 1 ≤ k ≤ ${correct.length}, got k=${k}`)
  }
  return countCorrect(correct.slice(0, k)) / k
}

/** One sample as majority voting sees it: its answer's equivalence key (null = no answer) and its grade. */
export interface Vote {
  readonly key: string | null
  readonly correct: boolean
}

/**
 * maj@k: majority vote over the answers of the first `k` samples; the score is
 * the correctness of the most frequent answer (samples without an answer do
 * not vote; ties go to the answer that appeared first). 0 when no sample of the
 * first `k` has an answer.
 */
export const majAtK = (votes: ReadonlyArray<Vote>, k: number = votes.length): number => {
  if (!Number.isInteger(k) || k < 1 || k > votes.length) {
    throw new RangeError(`majAtK: expected an integer 1 ≤ k ≤ ${votes.length}, got k=${k}`)
  }
  const counts = new Map<string, { count: number; correct: boolean; first: number }>()
  votes.slice(0, k).forEach((v, i) => {
    if (v.key === null) return
    const e = counts.get(v.key)
    if (e === undefined) counts.set(v.key, { count: 1, correct: v.correct, first: i })
    else e.count++
  })
  let best: { count: number; correct: boolean; first: number } | undefined
  for (const e of counts.values()) {
    if (best === undefined || e.count > best.count || (e.count === best.count && e.first < best.first)) best = e
  }
  return best?.correct === true ? 1 : 0
}

/** The reflection words of the paper's Fig. 4, matched case-insensitively anywhere in a response. */
export const REFLECTION_PATTERN = /rethink|recheck|recalculate/gi

/** Number of occurrences of the reflection words in one response. */
export const reflectionWordCount = (response: string): number => response.match(REFLECTION_PATTERN)?.length ?? 0

/** Whether a response contains at least one reflection word (what the paper's Fig. 4 counts). */
export const hasReflection = (response: string): boolean => reflectionWordCount(response) > 0

/** Whether a response contains a `\boxed{` (also `\boxed {`): the format signal of Tables 14-15. */
export const hasBoxed = (response: string): boolean => /\\boxed\s*\{/.test(response)

/** Accuracy of a group (subject, level) of problems: mean per-problem score and the count. */
export interface GroupScore {
  readonly accuracy: number
  readonly n: number
}

/** Groups per-problem scores by a key (problems whose key is undefined are left out). */
export const groupAccuracy = <A>(
  items: ReadonlyArray<A>,
  key: (a: A) => string | undefined,
  score: (a: A) => number
): Record<string, GroupScore> => {
  const groups = new Map<string, Array<number>>()
  for (const it of items) {
    const k = key(it)
    if (k === undefined) continue
    const g = groups.get(k)
    if (g === undefined) groups.set(k, [score(it)])
    else g.push(score(it))
  }
  const out: Record<string, GroupScore> = {}
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k)!
    out[k] = { accuracy: mean(g), n: g.length }
  }
  return out
}

/** The six math benchmarks whose unweighted mean is the paper's "Avg" (Tables 1, 4, 8, …). */
export const SIX_BENCHMARKS = ["math500", "aime24", "amc23", "minerva_math", "olympiadbench", "aime25"] as const

/**
 * The paper's 6-benchmark average: the unweighted mean of the six accuracies.
 * Fails naming the missing benchmarks when a score is absent.
 */
export const sixBenchmarkAverage = (scores: Readonly<Record<string, number>>): number => {
  const missing = SIX_BENCHMARKS.filter((b) => scores[b] === undefined)
  if (missing.length > 0) {
    throw new RangeError(`sixBenchmarkAverage: expected scores for ${SIX_BENCHMARKS.join(", ")}; missing ${missing.join(", ")}`)
  }
  return mean(SIX_BENCHMARKS.map((b) => scores[b]!))
}

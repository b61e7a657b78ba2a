/**
 * Advantage estimators, on plain arrays, matching verl's `core_algos`:
 * GRPO (group-normalised outcome reward, unbiased std + 1e-6), Dr. GRPO (no
 * std), RLOO (leave-one-out baseline) and PPO's GAE over a value head.
 *
 * Outcome estimators return one advantage per response; the trainer
 * broadcasts it over the response's tokens, as verl does.
 */

/** verl's epsilon in `(r − mean) / (std + ε)`. */
export const GRPO_EPSILON = 1e-6

/** Indices of each group, in first-appearance order (verl groups rollouts by `uid`). */
export const groupIndices = (groupIds: ReadonlyArray<string | number>): ReadonlyArray<ReadonlyArray<number>> => {
  const map = new Map<string | number, Array<number>>()
  groupIds.forEach((g, i) => {
    const arr = map.get(g)
    if (arr === undefined) map.set(g, [i])
    else arr.push(i)
  })
  return [...map.values()]
}

const checkLengths = (name: string, a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): void => {
  if (a.length !== b.length) {
    throw new RangeError(`${name}: expected rewards and groupIds of equal length, got ${a.length} and ${b.length}`)
  }
}

/** Mean shifted by the first element, so a group of equal rewards has exactly that mean (and exactly 0 advantages). */
const mean = (xs: ReadonlyArray<number>): number => {
  const x0 = xs[0] ?? 0
  return x0 + xs.reduce((s, x) => s + (x - x0), 0) / xs.length
}

/** Unbiased (n − 1) standard deviation, as `torch.std`; NaN for n < 2 as torch. */
export const unbiasedStd = (xs: ReadonlyArray<number>): number => {
  const n = xs.length
  if (n < 2) return Number.NaN
  const m = mean(xs)
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) * (x - m), 0) / (n - 1))
}

export interface GrpoOptions {
  /** Divide by the group's std (GRPO); `false` gives Dr. GRPO. Default true. */
  readonly normalizeByStd?: boolean
  readonly epsilon?: number
}

/**
 * GRPO outcome advantages: `(r − mean_g) / (std_g + ε)` per group g. A group of
 * one gets mean 0 and std 1, as verl does.
 */
export const grpoAdvantages = (
  rewards: ReadonlyArray<number>,
  groupIds: ReadonlyArray<string | number>,
  options: GrpoOptions = {}
): Array<number> => {
  checkLengths("grpoAdvantages", rewards, groupIds)
  const normalize = options.normalizeByStd ?? true
  const eps = options.epsilon ?? GRPO_EPSILON
  const out = new Array<number>(rewards.length).fill(0)
  for (const idx of groupIndices(groupIds)) {
    const rs = idx.map((i) => rewards[i]!)
    const m = rs.length === 1 ? 0 : mean(rs)
    const s = rs.length === 1 ? 1 : unbiasedStd(rs)
    // `+ 0` turns a −0 (a reward of −0 minus a mean of 0) into 0: an advantage has no sign of zero.
    for (const i of idx) out[i] = (normalize ? (rewards[i]! - m) / (s + eps) : rewards[i]! - m) + 0
  }
  return out
}

/** Dr. GRPO ("GRPO done right"): the group mean is subtracted, no std division. */
export const drGrpoAdvantages = (rewards: ReadonlyArray<number>, groupIds: ReadonlyArray<string | number>): Array<number> =>
  grpoAdvantages(rewards, groupIds, { normalizeByStd: false })

/**
 * RLOO: each response's baseline is the mean reward of the *other* responses
 * of its group, computed as verl does: `r·n/(n−1) − mean·n/(n−1)`. A group of
 * one keeps its reward.
 */
export const rlooAdvantages = (rewards: ReadonlyArray<number>, groupIds: ReadonlyArray<string | number>): Array<number> => {
  checkLengths("rlooAdvantages", rewards, groupIds)
  const out = new Array<number>(rewards.length).fill(0)
  for (const idx of groupIndices(groupIds)) {
    const n = idx.length
    const m = mean(idx.map((i) => rewards[i]!))
    for (const i of idx) out[i] = n > 1 ? (rewards[i]! * n) / (n - 1) - (m * n) / (n - 1) : rewards[i]!
  }
  return out
}

export interface GaeResult {
  readonly advantages: Array<number>
  readonly returns: Array<number>
}

/**
 * Generalised advantage estimation over one response's tokens (verl
 * `compute_gae_advantage_return`, before whitening): δ_t = r_t + γV_{t+1} − V_t,
 * A_t = δ_t + γλA_{t+1}, V past the last token is 0; returns = A + V.
 */
export const gae = (
  tokenRewards: ReadonlyArray<number>,
  values: ReadonlyArray<number>,
  gamma: number,
  lambda: number
): GaeResult => {
  if (tokenRewards.length !== values.length) {
    throw new RangeError(`gae: expected tokenRewards and values of equal length, got ${tokenRewards.length} and ${values.length}`)
  }
  const T = tokenRewards.length
  const advantages = new Array<number>(T).fill(0)
  let last = 0
  for (let t = T - 1; t >= 0; t--) {
    const next = t < T - 1 ? values[t + 1]! : 0
    const delta = tokenRewards[t]! + gamma * next - values[t]!
    last = delta + gamma * lambda * last
    advantages[t] = last
  }
  return { advantages, returns: advantages.map((a, t) => a + values[t]!) }
}

/**
 * Whitening over all tokens of a batch (verl `masked_whiten` with `shift_mean=True`:
 * mean 0, unbiased variance 1), so the advantage scale does not depend on the
 * reward scale. Input is a ragged list of per-response token values.
 */
export const whiten = (
  xs: ReadonlyArray<ReadonlyArray<number>>,
  epsilon = 1e-8
): Array<Array<number>> => {
  const flat = xs.flat()
  if (flat.length === 0) return xs.map(() => [])
  const m = mean(flat)
  // verl masked_var applies Bessel's correction.
  const n = flat.length
  const v = n > 1 ? flat.reduce((s, x) => s + (x - m) * (x - m), 0) / (n - 1) : 0
  const r = 1 / Math.sqrt(v + epsilon)
  return xs.map((row) => row.map((x) => (x - m) * r))
}

/** Token-level outcome reward: the response's reward on its last token, 0 elsewhere (verl places the score at the last valid token). */
export const outcomeTokenRewards = (reward: number, length: number): Array<number> => {
  const out = new Array<number>(length).fill(0)
  if (length > 0) out[length - 1] = reward
  return out
}

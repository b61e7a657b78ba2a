/**
 * The advantage stage as an open registry, like verl's `register_adv_est`:
 * an estimator turns a step's token rewards (and, for GAE, the old values)
 * into per-token advantages. The built-ins (grpo, drgrpo, rloo, gae) are
 * registered here; an experiment registers its own with
 * `registerAdvantageEstimator` and names it in `algorithm.advEstimator`.
 */
import { gae, grpoAdvantages, rlooAdvantages, whiten } from "./Advantages.ts"

export interface AdvantageInput {
  /** Per rollout, per response token (outcome reward on the last token, minus any KL penalty). */
  readonly tokenRewards: ReadonlyArray<ReadonlyArray<number>>
  /** Per rollout: the sum of its token rewards. */
  readonly seqRewards: ReadonlyArray<number>
  /** Per rollout: the prompt (group) it answers. */
  readonly groupIds: ReadonlyArray<number>
  /** Per rollout, per response token: the old value estimates (only for estimators with `needsValues`). */
  readonly values?: ReadonlyArray<ReadonlyArray<number>>
  readonly gamma: number
  readonly lambda: number
}

export interface AdvantageOutput {
  /** Per rollout, per response token. */
  readonly advantages: Array<Array<number>>
  /** Value targets (critic), per rollout and token, when the estimator has a critic. */
  readonly returns?: Array<Array<number>>
  /** Extra step metrics (verl names), in the order they are logged. */
  readonly metrics?: Readonly<Record<string, number>>
}

export interface AdvantageEstimatorShape {
  readonly name: string
  /** Needs the value head's estimates (and trains it on `returns`). */
  readonly needsValues: boolean
  readonly estimate: (input: AdvantageInput) => AdvantageOutput
}

const registry = new Map<string, AdvantageEstimatorShape>()

/** Adds (or replaces) an estimator under its name. */
export const registerAdvantageEstimator = (estimator: AdvantageEstimatorShape): void => {
  registry.set(estimator.name, estimator)
}

/** The estimator registered as `name`; throws a RangeError naming the registered ones otherwise. */
export const advantageEstimator = (name: string): AdvantageEstimatorShape => {
  const e = registry.get(name)
  if (e === undefined) throw new RangeError(`advantage estimator "${name}": expected one of ${[...registry.keys()].join(", ")}`)
  return e
}

export const registeredAdvantageEstimators = (): ReadonlyArray<string> => [...registry.keys()]

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length)

/** An outcome advantage (one number per rollout) spread over its tokens. */
const perToken = (input: AdvantageInput, a: ReadonlyArray<number>): Array<Array<number>> =>
  input.tokenRewards.map((tr, k) => new Array<number>(tr.length).fill(a[k]!))

registerAdvantageEstimator({
  name: "grpo",
  needsValues: false,
  estimate: (i) => ({ advantages: perToken(i, grpoAdvantages(i.seqRewards, i.groupIds, { normalizeByStd: true })) })
})
registerAdvantageEstimator({
  name: "drgrpo",
  needsValues: false,
  estimate: (i) => ({ advantages: perToken(i, grpoAdvantages(i.seqRewards, i.groupIds, { normalizeByStd: false })) })
})
registerAdvantageEstimator({
  name: "rloo",
  needsValues: false,
  estimate: (i) => ({ advantages: perToken(i, rlooAdvantages(i.seqRewards, i.groupIds)) })
})
registerAdvantageEstimator({
  name: "gae",
  needsValues: true,
  estimate: (i) => {
    if (i.values === undefined) throw new RangeError("advantage estimator gae: expected the old values of every rollout")
    const g = i.tokenRewards.map((tr, k) => gae(tr, i.values![k]!, i.gamma, i.lambda))
    const returns = g.map((x) => x.returns)
    return {
      advantages: whiten(g.map((x) => x.advantages)),
      returns,
      metrics: { "critic/values/mean": mean(i.values.flat()), "critic/returns/mean": mean(returns.flat()) }
    }
  }
})

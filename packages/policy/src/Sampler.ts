/**
 * Token choice from one row of logits, in plain JS (float64), so sampling is
 * deterministic for a seed on every backend: temperature, top-p, greedy.
 */

/** A seeded 32-bit PRNG (sfc32) as a function returning floats in [0, 1). */
export const makeRng = (seed: number, stream: number): (() => number) => {
  // splitmix32 to spread (seed, stream) over the state words.
  let s = (Math.imul(seed | 0, 0x9e3779b9) ^ Math.imul(stream | 0, 0x85ebca6b) ^ 0x6a09e667) >>> 0
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = mix()
  let b = mix()
  let c = mix()
  let d = mix()
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t / 4294967296
  }
}

/** log-softmax of `logits` (float64). */
export const logSoftmax = (logits: ArrayLike<number>): Float64Array => {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!)
  let sum = 0
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max)
  const lse = max + Math.log(sum)
  const out = new Float64Array(logits.length)
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! - lse
  return out
}

/** Index of the largest logit (the lowest index on ties). */
export const argmax = (logits: ArrayLike<number>): number => {
  let best = 0
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i
  return best
}

/**
 * The nucleus: the smallest set of most-probable tokens whose mass reaches
 * `topP` (at least one token), as indices sorted by decreasing probability
 * (ties: lower index first) with their probabilities.
 */
export const nucleus = (probs: ArrayLike<number>, topP: number): { ids: Array<number>; probs: Array<number> } => {
  const order = Array.from({ length: probs.length }, (_, i) => i).sort((i, j) => probs[j]! - probs[i]! || i - j)
  const ids: Array<number> = []
  const ps: Array<number> = []
  let mass = 0
  for (const i of order) {
    ids.push(i)
    ps.push(probs[i]!)
    mass += probs[i]!
    if (mass >= topP) break
  }
  return { ids, probs: ps }
}

/** The distribution sampled from: softmax(logits / temperature). */
export const temperedProbs = (logits: ArrayLike<number>, temperature: number): Float64Array => {
  const scaled = new Float64Array(logits.length)
  for (let i = 0; i < logits.length; i++) scaled[i] = logits[i]! / temperature
  const lp = logSoftmax(scaled)
  return lp.map(Math.exp)
}

/** Picks a token: greedy when temperature is 0, else from the top-p nucleus of the tempered distribution. */
export const pickToken = (logits: ArrayLike<number>, temperature: number, topP: number, rng: () => number): number => {
  if (temperature === 0) return argmax(logits)
  const probs = temperedProbs(logits, temperature)
  if (topP >= 1) {
    const u = rng()
    let acc = 0
    for (let i = 0; i < probs.length; i++) {
      acc += probs[i]!
      if (u < acc) return i
    }
    return argmax(logits)
  }
  const nuc = nucleus(probs, topP)
  const mass = nuc.probs.reduce((a, b) => a + b, 0)
  const u = rng() * mass
  let acc = 0
  for (let i = 0; i < nuc.ids.length; i++) {
    acc += nuc.probs[i]!
    if (u < acc) return nuc.ids[i]!
  }
  return nuc.ids[nuc.ids.length - 1]!
}

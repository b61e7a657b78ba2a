/**
 * A tiny seeded PRNG (mulberry32) that we own, so that every split and corpus
 * document is reproducible byte-for-byte on any platform and Node version
 * (only 32-bit integer ops: `Math.imul`, shifts, `>>> 0`).
 */

/** FNV-1a hash of a string to a 32-bit unsigned seed: derives independent streams from labels. */
export const hashSeed = (label: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A stream derived from a root seed and a label, independent of how much of any other stream was used. */
  static derive(seed: number, label: string): Rng {
    return new Rng(hashSeed(`${seed >>> 0}:${label}`))
  }

  /** A copy with the same state: replaying it draws the same numbers. */
  clone(): Rng {
    return new Rng(this.state)
  }

  /** Next 32-bit unsigned integer (mulberry32). */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`Rng.int: expected integers lo <= hi, got ${lo}, ${hi}`)
    }
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(xs: ReadonlyArray<T>): T {
    if (xs.length === 0) throw new RangeError("Rng.pick: expected a non-empty array")
    return xs[Math.floor(this.next() * xs.length)] as T
  }

  /** Fisher–Yates shuffle into a new array. */
  shuffle<T>(xs: ReadonlyArray<T>): Array<T> {
    const out = xs.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const t = out[i] as T
      out[i] = out[j] as T
      out[j] = t
    }
    return out
  }
}

/**
 * Small deterministic random numbers for everything the trainer randomises
 * (data order, label noise, sampling seeds). Each draw is a pure function of
 * (seed, purpose, counter), so a resumed run needs no saved generator state
 * beyond the step: it draws exactly what the uninterrupted run drew.
 */

/** 32-bit mix of several integers (murmur3 finaliser over a running hash). */
export const hashInts = (...xs: ReadonlyArray<number>): number => {
  let h = 0x9e3779b9 | 0
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** A mulberry32 generator: uniform floats in [0, 1). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A Fisher–Yates permutation of 0..n-1. */
export const permutation = (n: number, seed: number): Array<number> => {
  const rand = mulberry32(seed)
  const p = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[p[i], p[j]] = [p[j]!, p[i]!]
  }
  return p
}

/** Purpose tags so the streams of different uses never coincide. */
export const Stream = { shuffle: 1, labelNoise: 2, sampling: 3, miniBatch: 4 } as const

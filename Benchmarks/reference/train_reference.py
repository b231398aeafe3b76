"""PyTorch CPU reference for `make bench-train`: the same GPT, data, optimizer and thread count as
GrowthBench's Benchmarks/bench-train.yaml, timed the same way (optimizer steps only, after warm-up).

Model: pre-norm decoder, learned positions, LayerNorm, causal multi-head attention
(F.scaled_dot_product_attention, PyTorch's fused CPU kernel), tanh-GELU MLP, linear biases, untied readout;
AdamW with global-norm clipping. Prints one JSON line with tokens/s.
"""
import argparse
import json
import math
import time

import warnings

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Block(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, ffn)
        self.fc2 = nn.Linear(ffn, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(d, dim=2)
        shape = (b, t, self.heads, d // self.heads)
        q, k, v = (z.view(shape).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.out(y.transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, layers, d, heads, ffn, vocab, seq):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d)
        self.position = nn.Embedding(seq, d)
        self.blocks = nn.ModuleList(Block(d, heads, ffn) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.readout = nn.Linear(d, vocab, bias=False)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.trunc_normal_(p, std=0.02, a=-0.04, b=0.04)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.embedding(idx) + self.position(torch.arange(t))
        for block in self.blocks:
            x = block(x)
        logits = self.readout(self.norm(x))
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="a byte file to sample windows from")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    data = torch.frombuffer(bytearray(open(args.data, "rb").read()), dtype=torch.uint8).long()
    model = GPT(args.layers, args.hidden, args.heads, args.ffn, 256, args.seq)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    gen = torch.Generator().manual_seed(0)

    def step():
        starts = torch.randint(0, len(data) - args.seq - 1, (args.batch,), generator=gen)
        w = torch.stack([data[s:s + args.seq + 1] for s in starts.tolist()])
        loss = model(w[:, :-1], w[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    dt = time.perf_counter() - t0
    tokens = args.steps * args.batch * args.seq
    print(json.dumps({"tokens_per_second": tokens / dt, "ms_per_step": dt / args.steps * 1000, "final_loss": loss,
                      "bits_per_byte": loss / math.log(2), "threads": args.threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# `make bench-train`: GrowthBench's trainer against a PyTorch CPU reference on the same model, data and thread
# count (Benchmarks/bench-train.yaml and Benchmarks/reference/train_reference.py), plus this machine's measured
# sgemm rate as the practical limit. A benchmark, not a test: it prints numbers, it does not pass or fail.
# The PyTorch venv is created on first use in .venv-bench (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${GB_SCRATCH:-.build}"
THREADS="${THREADS:-2}"
STEPS="${STEPS:-20}"
VENV=.venv-bench
TORCH_VERSION="${TORCH_VERSION:-2.13.0+cpu}"

./scripts/build-corpora.sh > /dev/null
swift build -c release --scratch-path "$SCRATCH" --product growthbench > /dev/null
swift build -c release --scratch-path "$SCRATCH" --product trainer-profile > /dev/null
BIN="$SCRATCH/release"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  echo "bench-train: installing torch==$TORCH_VERSION into $VENV (once)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "torch==$TORCH_VERSION"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "bench-train: measuring cblas_sgemm (n = 1024)"
SGEMM2="$("$BIN/trainer-profile" sgemm 2)"
SGEMM1="$("$BIN/trainer-profile" sgemm 1)"

echo "bench-train: GrowthBench, $((STEPS + 3)) steps (the first 3 are warm-up)"
sed -e "s/steps: 23/steps: $((STEPS + 3))/" -e "s/threads: 2/threads: $THREADS/" Benchmarks/bench-train.yaml > "$tmp/bench.yaml"
"$BIN/growthbench" train "$tmp/bench.yaml" --out "$tmp/out" --db "$tmp/bench.sqlite" --json > "$tmp/gb.json" 2> "$tmp/gb.err"

echo "bench-train: PyTorch $TORCH_VERSION, $STEPS steps after 3 warm-up"
OMP_NUM_THREADS="$THREADS" "$VENV/bin/python" Benchmarks/reference/train_reference.py --data corpora/en-bible.txt \
  --threads "$THREADS" --steps "$STEPS" --warmup 3 > "$tmp/torch.json"

python3 - "$tmp/gb.json" "$tmp/torch.json" "$SGEMM1" "$SGEMM2" "$THREADS" <<'PY'
import json, sys
gb = json.load(open(sys.argv[1])); pt = json.load(open(sys.argv[2]))
sg1, sg2, threads = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
curve = gb["curve"]
# Steady state: drop the first 3 steps (allocation, page faults, thread start-up), like the PyTorch warm-up.
tokens_per_step = gb["tokens"] / gb["steps"]
flops_per_token = gb["gflopsPerSecond"] * 1e9 / gb["tokensPerSecond"]
timed = [p["seconds"] for p in curve[3:]]
gb_tps = tokens_per_step * len(timed) / sum(timed)
sg = sg2 if threads >= 2 else sg1
gb_gflops = gb_tps * flops_per_token / 1e9
pt_gflops = pt["tokens_per_second"] * flops_per_token / 1e9
print()
print(f"model: 6 layers, d=256, 4 heads, GELU, LayerNorm, seq 256, batch 8, vocab 256, AdamW, {threads} threads")
print(f"machine sgemm (n=1024): {sg1:.1f} GFLOP/s on 1 thread, {sg2:.1f} GFLOP/s on 2 threads")
print(f"{'':12}{'tokens/s':>10}{'ms/step':>10}{'GFLOP/s':>10}{'of sgemm':>10}")
print(f"{'GrowthBench':12}{gb_tps:>10.0f}{tokens_per_step / gb_tps * 1000:>10.0f}{gb_gflops:>10.1f}{gb_gflops / sg * 100:>9.0f}%")
print(f"{'PyTorch':12}{pt['tokens_per_second']:>10.0f}{pt['ms_per_step']:>10.0f}{pt_gflops:>10.1f}{pt_gflops / sg * 100:>9.0f}%")
print(f"ratio GrowthBench / PyTorch: {gb_tps / pt['tokens_per_second']:.2f}x")
print(f"(GFLOP/s on ModelKit's counted FLOPs, {flops_per_token / 1e6:.1f} MFLOP/token with the full s×s attention; "
      f"GrowthBench's block-causal attention executes {gb['executedFlopFraction'] * 100:.1f}% of them)")
PY

#!/usr/bin/env bash
# `make notebooks`: a fresh small results database built by the CLI (fast settings), then every notebook in
# Notebooks/ executed headless against it; executed copies and HTML go to out/notebooks/.
# The Python packages (Notebooks/requirements.txt, pinned) live in .venv-notebooks, created on first use and
# rebuilt when the requirements change. Point the notebooks at your own results with
#   .venv-notebooks/bin/python Notebooks/execute.py growthbench.sqlite out/my-notebooks
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.build/release/growthbench}
VENV=.venv-notebooks
OUT=out/notebooks
DB=$OUT/notebooks.sqlite

stamp=$(sha256sum Notebooks/requirements.txt | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$stamp" ]; then
  echo "notebooks: creating $VENV from Notebooks/requirements.txt"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r Notebooks/requirements.txt
  echo "$stamp" > "$VENV/.requirements"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
echo "notebooks: building $DB with the CLI"
"$BIN" estimate Scenarios/flm-101b-growth.yaml --db "$DB" > /dev/null
"$BIN" estimate Scenarios/flm-101b-scratch.yaml --db "$DB" > /dev/null
"$BIN" compare Scenarios/flm-101b-growth.yaml Scenarios/flm-101b-scratch.yaml --db "$DB" > /dev/null
"$BIN" shapes Scenarios/flm-101b-growth.yaml --db "$DB" > /dev/null

# 02-parallel-plans: every layout the plan search simulates for each FLM-101B stage and Tele-FLM, one pipeline
# Gantt chart, and the accuracy bench.
for stage in 16B 51B 101B; do
  "$BIN" plan Scenarios/flm-101b-growth.yaml --stage "$stage" --top 5000 --db "$DB" > /dev/null
done
"$BIN" plan Scenarios/tele-flm-52b.yaml --stage 52B --top 5000 --db "$DB" > /dev/null
# … and the simulator against the published runs of Data/validation (issue 16).
"$BIN" accuracy --db "$DB" --out "$OUT/accuracy" > /dev/null
"$BIN" simulate Scenarios/flm-101b-growth.yaml --stage 101B --timeline "$OUT/gantt-flm-101b-101B.svg" \
    --trace "$OUT/trace-flm-101b-101B.json" --db "$DB" > /dev/null

# 01-cost-of-growth: the FLM-101B comparison again with one input changed at a time, on edited copies of the
# scenarios (the run's scenario path names the change: sweeps/<input>-<value>/).
sweep() {  # sweep NAME VALUE SED-EXPRESSION [--data DIR]
  local dir="$OUT/sweeps/$1-$2"
  mkdir -p "$dir"
  for f in flm-101b-growth flm-101b-scratch; do sed -e "$3" "Scenarios/$f.yaml" > "$dir/$f.yaml"; done
  "$BIN" compare "$dir/flm-101b-growth.yaml" "$dir/flm-101b-scratch.yaml" --db "$DB" "${@:4}" > /dev/null
}
for v in 0.5 1 2 4; do sweep price "$v" "s/price_per_gpu_hour_usd: .*/price_per_gpu_hour_usd: $v/"; done
for v in 500 2000 6340 20000; do sweep node_mtbf_hours "$v" "\$a run: {node_mtbf_hours: $v}"; done
for v in 1 3 10 100; do sweep storage_gb_per_s "$v" "\$a run: {storage_gb_per_s: $v}"; done
for v in 100 200 400; do
  data="$OUT/sweeps/data-nic-$v"
  rm -rf "$data"; cp -r Data "$data"
  sed -i "s/nic_gbit_per_s: .*/nic_gbit_per_s: $v/" "$data/hardware/systems.yaml"
  sweep nic_gbit_per_s "$v" "" --data "$data"
done

# 04-training-runs: a tiny training run, on the real corpora when `make corpora` built them, else on a small
# synthetic text in the same four domain files (enough for curves, not for conclusions).
corpora=corpora
if [ ! -d corpora ]; then
  corpora="$OUT/synthetic-corpora"
  "$VENV/bin/python" - "$corpora" <<'PY'
import pathlib, sys
out = pathlib.Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
for k, name in enumerate(["en-bible", "en-fortunes", "zh-fortunes", "code-python"]):
    docs = [" ".join(words[(d * 7 + i * (k + 3)) % len(words)] for i in range(120)) for d in range(200)]
    (out / f"{name}.txt").write_bytes(b"\0".join(d.encode() for d in docs))
PY
fi
"$BIN" train Scenarios/mini/tiny.yaml --db "$DB" --out "$OUT/tiny" --corpora "$corpora" > /dev/null 2>&1

# 03-mup-transfer: coordinate checks and an LR × width sweep of the µP proxy at fast settings (12 steps per run,
# widths 64-192): the shape of Tensor Programs V's figures, not their numbers (`make mup-demo` runs the real ones).
mkdir -p "$OUT/mup"
sed -e 's/^name: mup-proxy/name: mup-proxy-fast/' -e 's/^  steps: 160 .*/  steps: 12/' -e 's/^  eval_every: 160/  eval_every: 12/' \
    -e 's/^  checkpoint_every: 80/  checkpoint_every: 12/' -e 's/^  eval_bytes: 16K/  eval_bytes: 2K/' \
    -e 's/^  warmup_steps: 20/  warmup_steps: 3/' -e "s|^  dir: corpora|  dir: $PWD/$corpora|" \
    Scenarios/mini/mup-proxy.yaml > "$OUT/mup/mup-proxy-fast.yaml"
cat > "$OUT/mup/mup-sweep-fast.yaml" <<'YAML'
name: mup-sweep-fast
train: mup-proxy-fast.yaml
widths: [64, 128, 192]
parametrizations: [sp, mup]
learning_rate_grid: {log2_from: -10, log2_to: -5}
YAML
for p in sp mup; do
  "$BIN" coordcheck "$OUT/mup/mup-proxy-fast.yaml" --widths 64,128,192 --steps 3 --param "$p" --lr 1e-2 --seeds 2 \
      --out "$OUT/mup/coordcheck-$p" --db "$DB" > /dev/null 2>&1 || true  # a failed verdict is a result, not an error
done
"$BIN" sweep "$OUT/mup/mup-sweep-fast.yaml" --out "$OUT/mup/sweep" --db "$DB" > /dev/null 2>&1

"$VENV/bin/python" Notebooks/execute.py "$DB" "$OUT"

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
if [ -d corpora ]; then
  "$BIN" train Scenarios/mini/tiny.yaml --db "$DB" --out "$OUT/tiny" > /dev/null
fi

"$VENV/bin/python" Notebooks/execute.py "$DB" "$OUT"

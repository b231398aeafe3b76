#!/usr/bin/env bash
# Installs the system libraries GrowthBench links against (OpenBLAS, GSL, SQLite) when they are missing.
# Idempotent: does nothing (and needs no root) when everything is already installed.
set -euo pipefail

packages=(libopenblas-dev libgsl-dev libsqlite3-dev pkg-config)
# Extra Debian packages for optional features, passed as arguments (e.g. the corpora for the trainer).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all system packages present (${packages[*]})"
  exit 0
fi

echo "install-deps: missing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "install-deps: error: installing ${missing[*]} needs root. Run as root, or:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"

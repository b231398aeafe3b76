#!/usr/bin/env bash
# Builds the mini trainer's byte-level text domains under corpora/ (git-ignored). Idempotent: installs the
# Debian text packages only when missing (through scripts/install-deps.sh) and rebuilds a domain file only
# when it is absent or was built by an older version of this script.
#
# Each domain file holds UTF-8 documents separated by one NUL byte (0x00, never present in the text).
# The trainer splits documents into train/validation itself (Sources/Corpus), so the split follows the
# run's configuration and seed. Sources and licences: /work/shared/research/corpora.md.
#   en-bible     King James Bible (bible-kjv-text, extracted with `bible` from bible-kjv); one chapter a document
#   en-fortunes  English fortune cookies (fortunes); one fortune a document
#   zh-fortunes  Chinese fortunes, Tang and Song poems (fortunes-zh), ANSI colour escapes stripped; one entry a document
#   code-python  Python standard-library sources of the machine's python3 (no tests, no site-packages); one file a document
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${CORPORA_DIR:-corpora}"
VERSION=2
FORTUNES=/usr/share/games/fortunes

./scripts/install-deps.sh bible-kjv bible-kjv-text fortunes fortunes-zh
mkdir -p "$OUT"

fresh() { [ -s "$OUT/$1.txt" ] && [ "$(cat "$OUT/$1.version" 2>/dev/null)" = "$VERSION" ]; }
done_domain() { echo "$VERSION" > "$OUT/$1.version"; printf 'build-corpora: %-12s %10d bytes\n' "$1" "$(stat -c %s "$OUT/$1.txt")"; }

# fortune files: entries separated by lines holding a single '%'. Emits entries separated by NUL.
fortune_documents() {
  awk 'BEGIN { doc = "" }
       /^%$/ { if (doc != "") printf "%s%c", doc, 0; doc = ""; next }
       { doc = doc $0 "\n" }
       END { if (doc != "") printf "%s%c", doc, 0 }' "$@"
}

if ! fresh en-bible; then
  # `bible -l0` prints "Book N" headers before each chapter; a chapter is one document.
  bible -l0 'gen1:1-rev22:21' |
    awk 'BEGIN { doc = "" }
         /^[1-3]? ?[A-Z][A-Za-z ]+ [0-9]+$/ { if (doc != "") printf "%s%c", doc, 0; doc = $0 "\n"; next }
         { doc = doc $0 "\n" }
         END { if (doc != "") printf "%s%c", doc, 0 }' > "$OUT/en-bible.tmp"
  mv "$OUT/en-bible.tmp" "$OUT/en-bible.txt"; done_domain en-bible
fi

if ! fresh en-fortunes; then
  files=()
  for f in "$FORTUNES"/*; do
    case "$(basename "$f")" in *.dat|*.u8|chinese|tang300|song100) continue ;; esac
    [ -f "$f" ] && [ ! -L "$f" ] && files+=("$f")
  done
  fortune_documents "${files[@]}" > "$OUT/en-fortunes.tmp"
  mv "$OUT/en-fortunes.tmp" "$OUT/en-fortunes.txt"; done_domain en-fortunes
fi

if ! fresh zh-fortunes; then
  perl -pe 's/\e\[[0-9;?]*[A-Za-z]//g; s/\e//g' "$FORTUNES/chinese" "$FORTUNES/tang300" "$FORTUNES/song100" > "$OUT/zh-fortunes.raw"
  fortune_documents "$OUT/zh-fortunes.raw" > "$OUT/zh-fortunes.tmp"
  rm -f "$OUT/zh-fortunes.raw"
  mv "$OUT/zh-fortunes.tmp" "$OUT/zh-fortunes.txt"; done_domain zh-fortunes
fi

if ! fresh code-python; then
  stdlib=""
  if command -v python3 >/dev/null 2>&1; then
    stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true)"
  fi
  if [ -z "$stdlib" ] || [ ! -d "$stdlib" ]; then
    stdlib="$(ls -d /usr/lib/python3.* 2>/dev/null | sort -V | tail -1 || true)"
  fi
  if [ -z "$stdlib" ] || [ ! -d "$stdlib" ]; then
    echo "build-corpora: warning: no Python standard library found; skipping the code-python domain" >&2
  else
    : > "$OUT/code-python.tmp"
    find "$stdlib" -name '*.py' -type f \
        -not -path '*/site-packages/*' -not -path '*/dist-packages/*' \
        -not -path '*/test/*' -not -path '*/tests/*' -not -path '*/idle_test/*' -print0 |
      LC_ALL=C sort -z |
      while IFS= read -r -d '' f; do
        # skip files with NUL bytes (none expected) so the separator stays unambiguous
        if ! LC_ALL=C grep -qP '\x00' "$f"; then cat "$f"; printf '\0'; fi
      done >> "$OUT/code-python.tmp"
    mv "$OUT/code-python.tmp" "$OUT/code-python.txt"; done_domain code-python
  fi
fi
echo "build-corpora: domains in $OUT/: $(cd "$OUT" && ls *.txt | tr '\n' ' ')"

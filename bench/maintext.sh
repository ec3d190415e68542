#!/usr/bin/env bash
# Main-text benchmark: precision, recall and F1 of quoth's HTML reader on trafilatura's
# main-text benchmark, scored trafilatura's way (bench/maintext.py says how), for all pages, the
# tuning half (file names starting with a digit or a-m) and the check half (the rest).
# Fetches nothing: DIR holds the benchmark as in trafilatura's repository (evaldata.json and the
# pages under eval/ and cache/), kept out of git.
# Usage: bench/maintext.sh DIR [QUOTH]   (QUOTH: the binary; default: a fresh release build)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:?usage: bench/maintext.sh DIR [QUOTH]}
Q=${2:-}
if [ -z "$Q" ]; then
  cargo build --release --quiet --bin quoth
  Q=./target/release/quoth
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
# Pages are linked as NNNN.html: some benchmark files have no .html extension.
python3 bench/maintext.py links "$DIR" "$W/pages"
xargs -d '\n' "$Q" read --json < "$W/pages/list" > "$W/read.jsonl" 2> "$W/stderr" || true
grep -v 'decoded as\|indexed undated' "$W/stderr" || true
python3 bench/maintext.py score "$DIR" "$W/read.jsonl" ${MISSES:+--misses tune}

#!/usr/bin/env bash
# quoth serve under hostile clients on loopback (bounded: about a minute), with 1 024 file
# descriptors: idle and half-sent connections, a burst of abandoned searches, /api/speakers.
# Usage: bench/hostile.sh [ARTICLES]   (default 3000: about 30 000 quotations)
# Environment: IDLE=N idle connections (2000), BURST=N abandoned searches (2000); BIN=DIR
# holding the quoth and gen-corpus binaries of another build to measure (built here otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000}
DIR=/tmp/quoth-hostile
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin quoth
  cargo build --release --quiet -p gen-corpus
  BIN=./target/release
fi
Q=$BIN/quoth
rm -rf "$DIR" && mkdir -p "$DIR"
"$BIN/gen-corpus" --articles "$N" --seed 19 --out "$DIR/corpus" >/dev/null
$Q --index "$DIR/index" index "$DIR/corpus" --quiet
echo "index: $($Q --index "$DIR/index" stats | grep -E '^quotes')"
# The server gets 1 024 file descriptors (as a default shell does), fewer than the attack.
( ulimit -n 1024 && exec $Q --index "$DIR/index" serve --addr 127.0.0.1:7373 ) 2>"$DIR/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
sleep 1
ulimit -n "$(ulimit -Hn)"
python3 -u bench/hostile.py http://127.0.0.1:7373 "$SERVER"

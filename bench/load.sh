#!/usr/bin/env bash
# Load test of `quoth serve` on loopback (bounded: 30 s), while an index run commits new files.
# Usage: bench/load.sh INDEX_DIR CORPUS_DIR   (from bench/run.sh: /tmp/quoth-bench/index and /corpus)
# Environment: CACHE=N entries of `quoth serve --cache` (0: every request searches), NICE=N for
# the concurrent indexer, ARTICLES=N new articles it indexes (20000), COMMIT_EVERY=N files per
# commit (2000; 0 for the default 30 s interval), WARMUP=N seconds of the same searches before
# the measured run (5; 0 measures a server that has just started, with nothing cached),
# ENDPOINTS=pictures to load /api/timeline and /api/speaker (bench/load-pictures.lua, over the
# index's 100 most quoted speakers) instead of /api/search, INDEXING=0 to measure without the
# concurrent index run, PORT=N for the server's port (7171).
set -euo pipefail
cd "$(dirname "$0")/.."
IDX=${1:-/tmp/quoth-bench/index}
CORPUS=${2:-/tmp/quoth-bench/corpus}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet --bin quoth
cargo build --release --quiet -p gen-corpus
PORT=${PORT:-7171}
export SPEAKERS=${SPEAKERS:-/tmp/quoth-load-speakers-$PORT.txt}
Q=./target/release/quoth
G=./target/release/gen-corpus
$Q --index "$IDX" serve --addr 127.0.0.1:$PORT --cache "${CACHE:-1024}" 2>${SERVE_LOG:-/tmp/quoth-serve.log} &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 1
curl -sf http://127.0.0.1:$PORT/healthz >/dev/null
SCRIPT=bench/load.lua
if [ "${ENDPOINTS:-search}" = pictures ]; then
  SCRIPT=bench/load-pictures.lua
  # The speakers whose pages are asked for, URL-encoded, one a line.
  curl -s "http://127.0.0.1:$PORT/api/speakers?limit=100" | python3 -c '
import json, sys, urllib.parse
for s in json.load(sys.stdin)["speakers"]:
    print(urllib.parse.quote(s["name"]))' > "$SPEAKERS"
fi
# A newsroom's server has been answering for a while: warm it up, then measure.
if [ "${WARMUP:-5}" != 0 ]; then
  wrk -t2 -c32 -d"${WARMUP:-5}s" -s "$SCRIPT" http://127.0.0.1:$PORT >/dev/null
fi
# New articles arrive during the test (a folder and seed of their own, so that every run adds
# files the index has never seen): the writer commits every 2000 files. NICE=10 runs the
# indexer as a background job (the default, 0, competes with the server as an equal).
NEW="$CORPUS/zz-load-test"
rm -rf "$NEW"
if [ "${INDEXING:-1}" != 0 ]; then
  SEED=$(date +%s)
  $G --articles "${ARTICLES:-20000}" --seed "$SEED" --out "$NEW/$SEED" 2>/dev/null
  ( sleep 2; nice -n "${NICE:-0}" $Q --index "$IDX" index "$CORPUS" --quiet --threads 1 --commit-every "${COMMIT_EVERY:-2000}" > /tmp/quoth-load-index-$PORT.log 2>&1 ) &
  INDEXER=$!
else
  echo "no index run during the test" > /tmp/quoth-load-index-$PORT.log
  INDEXER=
fi
wrk -t2 -c32 -d30s --latency -s "$SCRIPT" http://127.0.0.1:$PORT
[ -n "$INDEXER" ] && { wait $INDEXER || true; }
echo "index run during the test: $(cat /tmp/quoth-load-index-$PORT.log)"
echo "quotes now searchable: $(curl -s "http://127.0.0.1:$PORT/api/stats" | grep -o '"quotes":[0-9]*')"
# Leave the benchmark index as it was: drop the test's articles again.
rm -rf "$NEW"
$Q --index "$IDX" index "$CORPUS" --quiet > /dev/null

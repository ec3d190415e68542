#!/usr/bin/env bash
# Memory and speed of a full index run by archive size, for BENCHMARKS.md's size table.
# Usage: bench/scale.sh WORKDIR [SIZES_GB...]   (default sizes: 0.25 0.5 1 2 4)
# Each size: a corpus of generated articles (seed 1; 155 000 articles is about 1 GB of text)
# is written under WORKDIR, read once, indexed from scratch by `quoth index` with its
# defaults (all cores, --memory 256MB), and deleted with its index before the next size, so
# the disk holds at most one corpus and one index (about 1.4x the text). WORKDIR must be on a
# disk, not in memory: the largest corpus alone is 4 GB (plus 0.6 GB of file system overhead).
# Environment: QUOTH_ARGS adds arguments to the index run (e.g. "--threads 1 --memory 64MB");
# QUOTH and GEN_CORPUS name other builds of the two programs (nothing is built then);
# QUERY_BENCH names a build of examples/query_bench, run on each index (5 rounds) with its
# latency line printed after the table row. KEEP=1 keeps each index (as WORKDIR/index-SIZE),
# to time queries later on a quieter machine:
#   target/release/examples/query_bench WORKDIR/index-4 20
# CPU time (user + system) is the figure a busy machine leaves comparable: wall time and
# throughput depend on what else runs, and the load column says how much did.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:?usage: bench/scale.sh WORKDIR [SIZES_GB...]}
shift
SIZES=${*:-0.25 0.5 1 2 4}
if [ -z "${QUOTH:-}" ]; then cargo build --release --quiet --bin quoth; fi
if [ -z "${GEN_CORPUS:-}" ]; then cargo build --release --quiet -p gen-corpus; fi
Q=$(realpath "${QUOTH:-target/release/quoth}")
G=$(realpath "${GEN_CORPUS:-target/release/gen-corpus}")
mkdir -p "$W"
echo "| text | articles | quotations | wall | throughput | CPU time | MB per CPU-second | peak RSS | index on disk | load (1 min) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for size in $SIZES; do
  n=$(awk -v s="$size" 'BEGIN { printf "%d", s * 155000 }')
  rm -rf "$W/corpus" "$W/index"
  $G --articles "$n" --seed 1 --out "$W/corpus" 2>/dev/null
  find "$W/corpus" -type f -print0 | xargs -0 cat > /dev/null
  load=$(cut -d' ' -f1 /proc/loadavg)
  # shellcheck disable=SC2086
  /usr/bin/time -o "$W/time.txt" -f "%e %M %U %S" \
    "$Q" --index "$W/index" index "$W/corpus" --quiet --json ${QUOTH_ARGS:-} > "$W/summary.json"
  read -r wall rss_kb user sys < "$W/time.txt"
  index_bytes=$(du -sb "$W/index" | cut -f1)
  python3 - "$W/summary.json" "$wall" "$rss_kb" "$index_bytes" "$n" "$load" "$user" "$sys" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
wall, rss_kb, index_bytes, n, load = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
cpu = float(sys.argv[7]) + float(sys.argv[8])
print(f"| {s['bytes'] / 1e9:.2f} GB | {n:,} | {s['quotes_added']:,} | {wall:.1f} s "
      f"| {s['bytes'] / 1e6 / wall:.1f} MB/s | {cpu:.0f} s | {s['bytes'] / 1e6 / cpu:.1f} "
      f"| {rss_kb / 1024:.0f} MB | {index_bytes / 1e9:.2f} GB | {load} |")
EOF
  if [ -n "${QUERY_BENCH:-}" ]; then
    "$QUERY_BENCH" "$W/index" 5 > "$W/queries.txt"
    echo "  queries at $size GB: $(head -1 "$W/queries.txt")"
  fi
  if [ -n "${KEEP:-}" ]; then rm -rf "$W/index-$size"; mv "$W/index" "$W/index-$size"; fi
  rm -rf "$W/corpus" "$W/index"
done

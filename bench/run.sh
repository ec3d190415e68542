#!/usr/bin/env bash
# Benchmarks for BENCHMARKS.md: corpus generation, full index, unchanged and 1%-changed
# re-index, query latency (examples/query_bench.rs), claim-check latency (examples/check_bench.rs)
# and ripgrep over the raw corpus.
# Usage: bench/run.sh [ARTICLES] [WORKDIR]   (defaults: 155000 articles, about 1 GB of text; /tmp/quoth-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-155000}
W=${2:-/tmp/quoth-bench}
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; }
cargo build --release --quiet --bin quoth --example query_bench --example extract_bench --example check_bench
cargo build --release --quiet -p gen-corpus
Q=./target/release/quoth
G=./target/release/gen-corpus
rm -rf "$W" && mkdir -p "$W"
echo "== corpus: $N articles, seed 1"
$G --articles "$N" --seed 1 --out "$W/corpus"
du -sb "$W/corpus" | awk '{printf "corpus bytes on disk: %.2f GB\n", $1/1e9}'
sync
# Read the corpus once before each timed run: the machine's proactive memory reclaim (kdamond)
# evicts cold files, and a run that reads half its files from disk varies by a third.
warm() { find "$W/corpus" -type f -print0 | xargs -0 cat > /dev/null; }
echo "== extraction alone, one thread (20 000 articles read into memory first)"
./target/release/examples/extract_bench "$W/corpus" 20000
echo "== full index (release, all cores)"
warm
/usr/bin/time -f "wall %e s, peak RSS %M KB" $Q --index "$W/index" index "$W/corpus" --quiet
du -sb "$W/index" | awk '{printf "index size: %.2f GB\n", $1/1e9}'
# The same run three times with the corpus in memory (tmpfs), where reclaim cannot evict it:
# on disk, this machine's reclaim evicts part of even a freshly read corpus, and waiting on the
# disk then costs 2-10 s of the cores' time per run.
if [ "$(df --output=avail -B1 /dev/shm 2>/dev/null | tail -1)" -gt $((3 * 1024 * 1024 * 1024)) ] 2>/dev/null; then
  echo "== full index, corpus in memory (tmpfs), 3 runs"
  M=/dev/shm/quoth-bench-corpus
  rm -rf "$M" && cp -r "$W/corpus" "$M"
  for run in 1 2 3; do
    rm -rf "$W/index-mem"
    /usr/bin/time -f "wall %e s, user %U s, system %S s, peak RSS %M KB" \
      $Q --index "$W/index-mem" index "$M" --quiet
  done
  rm -rf "$M" "$W/index-mem"
fi
echo "== re-index, nothing changed"
warm
/usr/bin/time -f "wall %e s, peak RSS %M KB" $Q --index "$W/index" index "$W/corpus" --quiet
echo "== re-index after 1% of files changed"
find "$W/corpus" -name '*.txt' | sort | awk 'NR % 100 == 0' | while read -r f; do
  printf '\n“A late addition to this story arrived today,” said Edda Varnholt.\n' >> "$f"
done
warm
/usr/bin/time -f "wall %e s, peak RSS %M KB" $Q --index "$W/index" index "$W/corpus" --quiet
echo "== query latency (100 queries, 20 rounds, one reader)"
./target/release/examples/query_bench "$W/index"
echo "== claim-check latency (900 claims of 9 kinds made from the index's quotations, 3 rounds)"
./target/release/examples/check_bench "$W/index" 900 3
echo "== ripgrep over the raw corpus for the same keywords"
for word in tariff harbour council inquiry steel; do
  /usr/bin/time -f "rg -c $word: wall %e s" rg -c --no-messages "$word" "$W/corpus" > /dev/null
done

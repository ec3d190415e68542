#!/usr/bin/env bash
# Checks that two builds of quoth index a corpus into the same results: every quotation
# (`quoth export --format jsonl`, sorted: ids, speakers, roles, dates, paragraphs, offsets) and
# the ranked answers of fixed searches (ids, scores, occurrence counts), differing in nothing
# but the corpus's own path (replaced by CORPUS/ on both sides).
# Usage: bench/same-results.sh QUOTH_A QUOTH_B CORPUS_DIR [WORKDIR]
# e.g. after `git worktree add /tmp/before <commit>` and a release build there:
#   bench/same-results.sh /tmp/before/target/release/quoth target/release/quoth /tmp/corpus
set -euo pipefail
A=$(realpath "${1:?usage: bench/same-results.sh QUOTH_A QUOTH_B CORPUS_DIR [WORKDIR]}")
B=$(realpath "${2:?QUOTH_B}")
C=$(realpath "${3:?CORPUS_DIR}")
W=${4:-$(mktemp -d)}
mkdir -p "$W"
# Ties (equal scores) come in the order of the documents in the index, which follows the
# thread that indexed each one and so differs from run to run of any build: each search's hits
# are compared sorted by score, then id, and a full page (50) without the hits tied at its
# lowest score, as which of those made the page is the same coin toss. For the same reason a
# quotation repeated in several articles (folded into one hit) is compared by its words, score,
# count of articles and first date, not by the copy that stands for it.
ranked() {
  python3 -c '
import json, sys
hits = [json.loads(l) for l in sys.stdin if l.strip()]
if len(hits) == 50:
    low = min(h["score"] for h in hits)
    hits = [h for h in hits if h["score"] > low]
group = ("quote", "score", "occurrences", "first_date")
hits = [h if h["occurrences"] == 1 else {k: h[k] for k in group} for h in hits]
for h in sorted(hits, key=lambda h: (-h["score"], h.get("id", ""), h["quote"])):
    print(json.dumps(h, sort_keys=True))'
}
for side in A B; do
  bin=${!side}
  rm -rf "$W/index-$side"
  nice "$bin" --index "$W/index-$side" index "$C" --quiet > /dev/null
  nice "$bin" --index "$W/index-$side" export --format jsonl | sed "s#$C/#CORPUS/#g" | sort > "$W/export-$side.jsonl"
  # The most quoted speaker of the corpus (the same on both sides, or the exports differ).
  speaker=$("$bin" --index "$W/index-$side" speakers --top 1 --json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["name"])')
  searches=(
    "tariff" "harbour council" "'\"will not\"'" "'steel -tariff'" "inquir*" "council OR harbour"
    "--speaker '$speaker'" "--since 2020-01-01 --until 2020-12-31" "--no-speaker minister" "minister vote"
  )
  : > "$W/searches-$side.jsonl"
  for s in "${searches[@]}"; do
    eval "set -- $s"
    echo "== $s" >> "$W/searches-$side.jsonl"
    nice "$bin" --index "$W/index-$side" query "$@" --json --limit 50 | sed "s#$C/#CORPUS/#g" | ranked >> "$W/searches-$side.jsonl" || true
  done
done
echo "quotations: $(wc -l < "$W/export-A.jsonl") (A), $(wc -l < "$W/export-B.jsonl") (B)"
echo "search hits: $(grep -vc '^==' "$W/searches-A.jsonl") (A), $(grep -vc '^==' "$W/searches-B.jsonl") (B)"
diff -q "$W/export-A.jsonl" "$W/export-B.jsonl" && diff -q "$W/searches-A.jsonl" "$W/searches-B.jsonl" && echo "same results"
rm -rf "$W/index-A" "$W/index-B"

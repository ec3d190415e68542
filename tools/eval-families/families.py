#!/usr/bin/env python3
"""Counts `quoth eval` errors on PolNeAR per error family of issue #13, to compare builds.

    python3 tools/eval-families/families.py target/release/quoth [--data ../shared/data/polnear]

Runs `quoth eval --json --verbose --min-words 2` on dev and train and sorts each problem into a
rough family by what can be told without a parser:
- F1 no speaker: a matched quotation left without a speaker (verb not linked to a subject);
- F3 pronoun: a wrong speaker where the quotation's paragraph has `he said`/`she said` or the
  like, so the answer came from a pronoun;
- F4-6 other name: a wrong speaker named in the quotation's paragraph (a title, appositive, object
  or non-person taken for the speaker);
- F7 context: a wrong speaker named elsewhere (continuation, previous paragraph);
- F2 short missed: a missed quotation of two or three words;
- F9-10 long missed: a missed quotation of four words or more (marks, boundaries);
- false positive: a returned quotation that is not in the gold.
The families overlap the issue's only roughly; counts are for before/after comparisons. Prints
counts only, never text of the corpus.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

PRONOUN = re.compile(
    r"\b(he|she)\s+(\w+\s+)?(said|says|added|told|asked|wrote|explained|continued|noted)\b"
    r"|\b(said|says|added|told|asked|wrote|explained|continued|noted)\s+(he|she)\b",
    re.I)


def paragraphs(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    body = text.split("\n\n", 1)[1] if text.startswith("date ") else text
    return [p for p in re.split(r"\n\s*\n", body) if p.strip()]


def family(p, articles):
    words = len(re.findall(r"\w+", p["quote"]))
    if p["kind"] == "missed":
        return "F2 short missed" if words <= 3 else "F9-10 long missed"
    if p["kind"] == "false positive":
        return "false positive"
    if not p.get("got"):
        return "F1 no speaker"
    paras = paragraphs(os.path.join(articles, p["file"]))
    k = (p.get("paragraph") or 0) - 1
    para = paras[k] if 0 <= k < len(paras) else ""
    if PRONOUN.search(para):
        return "F3 pronoun"
    last = p["got"].split()[-1]
    if last and re.search(r"\b" + re.escape(last) + r"\b", para):
        return "F4-6 other name"
    return "F7 context"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--data", default="../shared/data/polnear")
    a = ap.parse_args()
    for split in ["dev", "train"]:
        articles = f"{a.data}/{split}/articles"
        out = subprocess.run(
            [a.binary, "eval", f"{a.data}/{split}/gold.jsonl", articles, "--min-words", "2",
             "--json", "--verbose"], capture_output=True, text=True, check=True).stdout
        report = json.loads(out)
        counts = collections.Counter(family(p, articles) for p in report["problems"])
        e2e = report["end_to_end"]["f1"]
        print(f"{split}: e2e F1 {e2e:.3f}, " + ", ".join(
            f"{k} {counts[k]}" for k in sorted(counts)))


if __name__ == "__main__":
    sys.exit(main())

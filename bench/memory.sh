#!/usr/bin/env bash
# Peak memory of `quoth index` on one file of each costly shape, by file size (bench/memory.py).
# Usage: bench/memory.sh [SIZE_MB...]   (default 1 4 16)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin quoth
python3 bench/memory.py ./target/release/quoth "$@"

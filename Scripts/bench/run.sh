#!/usr/bin/env bash
# Benchmarks nk against DuckDB and polars on the shared benchmark data, in one run.
#
#   Scripts/bench/run.sh [S|L|XL] [RUNS]     (default: L, 5)
#
# Generates the data when missing (python3 ../shared/bench/gen.py), installs the reference
# engines when missing (pip install duckdb polars), runs them (anchors.py, W1–W6), then
# W7–W8 on both (Scripts/bench/joins.py), then nk's release-built benchmark, which prints its
# medians beside theirs as ratios and checks its answers against ../shared/bench/expected.json
# and, for W7–W8, against theirs.
set -euo pipefail
scale=${1:-L}
runs=${2:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${NK_SHARED:-$root/../shared}
data=${NK_BENCH_DATA:-/tmp/nkbench/$scale}

# (the generator knows sizes up to L; XL is five times L: 5 M customers, 50 M orders, 3.4 GB)
if [ ! -f "$data/manifest.json" ]; then
    if [ "$scale" = XL ]; then python3 "$shared/bench/gen.py" --customers 5000000 --out "$data"
    else python3 "$shared/bench/gen.py" --scale "$scale" --out "$data"; fi
fi
python3 -c "import duckdb, polars" 2>/dev/null || pip install -q duckdb polars
(cd "$root" && swift build -c release --product nk-bench >/dev/null)
echo "reference engines (log: $data/anchors.log) ..."
python3 "$shared/bench/anchors.py" --data "$data" --engines duckdb,polars --workloads W1,W2,W3,W4,W5,W6 \
    --runs "$runs" --out "$data/anchors.json" > "$data/anchors.log" 2>&1
echo "reference engines, W7–W8 (log: $data/joins.log) ..."
python3 "$root/Scripts/bench/joins.py" --data "$data" --runs "$runs" --out "$data/joins.json" > "$data/joins.log" 2>&1
"$root/.build/release/nk-bench" --data "$data" --runs "$runs" --anchors "$data/anchors.json" \
    --expected "$shared/bench/expected.json" --joins "$data/joins.json"

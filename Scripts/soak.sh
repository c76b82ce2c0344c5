#!/usr/bin/env bash
# A long session: one nk process at its prompt driven through generated statements (Scripts/soak.py).
#
#   Scripts/soak.sh [STATEMENTS] [DATA]     (default: 20000 statements, /tmp/nkbench/L)
#
# Builds the release binary, generates the benchmark's L data when missing, and runs the soak
# on the demo data and the L data. Exits 1 when nk crashed, hung, printed an error without its
# place, or kept memory after the last drop (see Scripts/soak.py for the checks).
set -euo pipefail
cd "$(dirname "$0")/.."
statements=${1:-20000}
data=${2:-/tmp/nkbench/L}
shared=${NK_SHARED:-../shared}
swift build -c release --product nk >/dev/null
[ -f "$data/orders.csv" ] || python3 "$shared/bench/gen.py" --scale L --out "$data"
python3 Scripts/soak.py --nk .build/release/nk --statements "$statements" --data "$data" --seed "${SOAK_SEED:-1}"

#!/usr/bin/env bash
# why-not and a grouping over the benchmark's customers and orders: nk in memory, nk sending
# the work to DuckDB and to Spark, and DuckDB on its own; wall time and nk's peak memory.
#   Scripts/bench/pushdown.sh [DATA]      (DATA: a folder made by ../shared/bench/gen.py; default /tmp/nkbench/L)
# Needs a release build (swift build -c release), duckdb (pip install duckdb-cli) and, for the
# Spark rows, spark-sql (pip install pyspark, Java 17).
set -euo pipefail
data="${1:-/tmp/nkbench/L}"
nk="$(cd "$(dirname "$0")/../.." && pwd)/.build/release/nk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -x "$nk" ] || { echo "build nk first: swift build -c release"; exit 1; }
[ -f "$data/customers.csv" ] || { echo "no $data/customers.csv: python3 ../shared/bench/gen.py makes it"; exit 1; }

duckdb "$work/crm.duckdb" -c "CREATE TABLE customers AS SELECT * FROM read_csv_auto('$data/customers.csv');
                               CREATE TABLE orders AS SELECT * FROM read_csv_auto('$data/orders.csv');" >/dev/null
mkdir "$work/files" && ln -s "$data/customers.csv" "$data/orders.csv" "$work/files/"

question='why-not status = "lost"'
grouping='segment by customer_id agg count(), sum(revenue) | sort count desc | head 3'

run() {   # label, nk script: wall time, and the peak of nk's own memory (VmHWM; an engine's
          # program is a process of its own and not counted)
    printf '%s\n' "$2" > "$work/q.nk"
    local start peak=0 v
    start=$(date +%s.%N)
    "$nk" "$work/q.nk" > "$work/out" 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$v" ] && peak=$v
        sleep 0.02
    done
    wait "$pid" || { cat "$work/out"; exit 1; }
    printf '%-50s %8.2f s %8d MB\n' "$1" "$(echo "$(date +%s.%N) - $start" | bc)" $((peak / 1024))
}

echo "data: $data ($(($(wc -l < "$data/customers.csv") - 1)) customers, $(($(wc -l < "$data/orders.csv") - 1)) orders)"
printf '%-50s %10s %11s\n' "" "wall" "nk peak"
run "why-not, nk in memory (load + why-not)" "load \"$data/customers.csv\" as c
c | $question"
run "why-not, nk -> DuckDB" "attach duckdb \"$work/crm.duckdb\" as d
d.customers | $question"
run "orders grouped per customer, nk in memory" "load \"$data/orders.csv\" as o
o | $grouping"
run "orders grouped per customer, nk -> DuckDB" "attach duckdb \"$work/crm.duckdb\" as d
d.orders | $grouping"
start=$(date +%s.%N)
duckdb "$work/crm.duckdb" -c "SELECT customer_id, count(*), sum(revenue) FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 3" >/dev/null
printf '%-50s %8.2f s\n' "orders grouped per customer, DuckDB alone" "$(echo "$(date +%s.%N) - $start" | bc)"
if command -v spark-sql >/dev/null 2>&1; then
    run "why-not, nk -> Spark local[2] (with JVM start)" "attach spark \"local[2]\" as s with files \"$work/files\"
s.customers | $question"
    run "orders grouped, nk -> Spark local[2] (JVM start)" "attach spark \"local[2]\" as s with files \"$work/files\"
s.orders | $grouping"
fi

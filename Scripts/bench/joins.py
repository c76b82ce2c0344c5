#!/usr/bin/env python3
"""W7 and W8 on DuckDB and polars, in one run beside nk's (Scripts/bench/run.sh calls it).

    python3 Scripts/bench/joins.py --data /tmp/nkbench/L [--runs 5] --out FILE.json

W7: orders joined with customers on customer_id, revenue summed per customer region.
W8: orders sorted by revenue with every column (a table kept, not printed).
Each engine loads both files once (not timed), then runs each workload once to warm up and
RUNS times timed (wall clock); the median is written with the answer, which is the same for
every engine: W7 the sum (to the cent: engines add in different orders) and the row count
per region, W8 the row count and the revenue at every tenth of the sorted table (ties in
revenue may come in any order, so only revenues are compared).
"""
import argparse
import json
import statistics
import time


def timed(runs, work):
    work()
    times = []
    answer = None
    for _ in range(runs):
        start = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, answer


def w8_answer(n, revenue_at):
    return {"rows": n, "deciles": [round(revenue_at(min(n - 1, n * k // 10)), 6) for k in range(11)]}


def duckdb_runs(data, runs):
    import duckdb
    con = duckdb.connect(":memory:")
    con.execute(f"CREATE TABLE customers AS SELECT * FROM read_csv('{data}/customers.csv')")
    con.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{data}/orders.csv')")

    def w7():
        rows = con.execute("SELECT c.region, sum(o.revenue), count(*) FROM orders o JOIN customers c "
                           "ON o.customer_id = c.customer_id GROUP BY c.region").fetchall()
        return {r[0]: [round(r[1], 2), r[2]] for r in rows}

    def w8():
        con.execute("CREATE OR REPLACE TABLE s AS SELECT * FROM orders ORDER BY revenue")
        n = con.execute("SELECT count(*) FROM s").fetchone()[0]
        # the table as stored keeps the order of the sort
        revenues = con.execute("SELECT revenue FROM s").fetchnumpy()["revenue"]
        return w8_answer(n, lambda i: float(revenues[i]))
    out = {}
    for name, work in (("W7", w7), ("W8", w8)):
        median, times, answer = timed(runs, work)
        out[name] = {"median": median, "times": times, "answer": answer}
    return duckdb.__version__, out


def polars_runs(data, runs):
    import polars as pl
    customers = pl.read_csv(f"{data}/customers.csv", try_parse_dates=True)
    orders = pl.read_csv(f"{data}/orders.csv", try_parse_dates=True)

    def w7():
        t = (orders.join(customers, on="customer_id").group_by("region")
             .agg(pl.col("revenue").sum().alias("revenue"), pl.len().alias("n")))
        return {r[0]: [round(r[1], 2), r[2]] for r in t.iter_rows()}

    def w8():
        s = orders.sort("revenue")
        revenues = s.get_column("revenue")
        return w8_answer(s.height, lambda i: float(revenues[i]))
    out = {}
    for name, work in (("W7", w7), ("W8", w8)):
        median, times, answer = timed(runs, work)
        out[name] = {"median": median, "times": times, "answer": answer}
    return pl.__version__, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    engines = {}
    for name, run in (("duckdb", duckdb_runs), ("polars", polars_runs)):
        version, workloads = run(args.data, args.runs)
        engines[name] = {"version": version, "workloads": workloads}
        print(name, version, {w: round(r["median"], 3) for w, r in workloads.items()}, flush=True)
    a, b = (engines[e]["workloads"] for e in ("duckdb", "polars"))
    for w in ("W7", "W8"):
        if json.dumps(a[w]["answer"], sort_keys=True) != json.dumps(b[w]["answer"], sort_keys=True):
            print(f"{w}: DuckDB and polars answer differently:", a[w]["answer"], b[w]["answer"])
    with open(args.out, "w") as f:
        json.dump({"engines": engines}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()

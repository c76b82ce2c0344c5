#!/usr/bin/env python3
"""W2-W6 of the shared benchmark run by nk in memory, nk -> DuckDB, nk -> PostgreSQL and
nk -> Spark local, beside DuckDB and polars on their own (../shared/bench/anchors.py), on one
data folder; prints wall time per workload and nk's peak memory per run.

    python3 Scripts/bench/scale.py --data /tmp/nkbench/L
    python3 Scripts/bench/scale.py --data /tmp/nkbench/XL --engines memory,duckdb,postgresql

DATA is a folder made by ../shared/bench/gen.py (--scale L, or --customers 5000000 for five
times L). Needs a release build (swift build -c release); duckdb (pip install duckdb-cli), the
PostgreSQL 15 server programs (apt-get install postgresql) and spark-sql (pip install pyspark,
Java 17) for their rows; polars and the duckdb module for the reference rows.

nk's times are its own `.timer` figures per statement (the statement's wall time, results
printed); the reference engines' are anchors.py's medians. nk's peak memory is the VmHWM of
its process: the engines' own processes are not counted. An engine's loading is done once,
before, and not timed (the data lives there).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NK = os.path.join(ROOT, ".build", "release", "nk")
SHARED = os.environ.get("NK_SHARED", os.path.join(ROOT, "..", "shared"))

# the workloads as nk statements over tables c (customers) and o (orders)
WORKLOADS = [
    ("W2 filter", 'c | filter region = "Süd" and employees > 50 and nps < 0 | count'),
    ("W3 segment orders", "o | segment by product_line agg count(), sum(revenue), avg(revenue)"),
    ("W3 segment customers", "c | segment by industry, size_class agg count()"),
    ("W4 lifecycle", "o | segment lifecycle by customer_id on order_date lapsed after 365 days new within 90 days "
                     "| segment by class agg count(), sum(recent_orders)"),
    ("W5 compare", 'c | filter status != "" | compare where status = "customer" on industry, region, size_class, channel, '
                   "competitor, employees, acquisition_cost, complaints, nps"),
    ("W6 why-not", 'c | why-not status != "customer" by industry, region, size_class, channel depth 2 min-support 1%'),
]
TIMER = re.compile(r"^real ([0-9.]+) s")


def run_nk(script, work):
    """Runs an nk script; returns the .timer figures in order and the peak memory in MB."""
    path = os.path.join(work, "q.nk")
    with open(path, "w") as f:
        f.write(script)
    proc = subprocess.Popen([NK, "--keep-going", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def watch():
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as s:
                    for line in s:
                        if line.startswith("VmHWM"):
                            peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.02)

    t = threading.Thread(target=watch)
    t.start()
    out, _ = proc.communicate()
    t.join()
    if "error:" in out:
        sys.stderr.write(out[-3000:])
        raise SystemExit("nk reported an error (above)")
    return [float(m.group(1)) for m in map(TIMER.match, out.splitlines()) if m], peak[0] // 1024


def script(prefix, c, o):
    lines = [".timer on", prefix] + [w.replace("c |", c + " |", 1).replace("o |", o + " |", 1) for _, w in WORKLOADS]
    return "\n".join(lines) + "\n"


def duckdb_file(data, work):
    path = os.path.join(work, "bench.duckdb")
    subprocess.run(["duckdb", path, "-c",
                    f"CREATE TABLE customers AS SELECT * FROM read_csv_auto('{data}/customers.csv');"
                    f"CREATE TABLE orders AS SELECT * FROM read_csv_auto('{data}/orders.csv');"], check=True, stdout=subprocess.DEVNULL)
    return path


class Postgres:
    """A throwaway cluster on a Unix socket in a temporary folder (as `postgres` when root)."""

    def __init__(self, data, work):
        self.bin = "/usr/lib/postgresql/15/bin"
        self.folder = tempfile.mkdtemp(prefix="nkpg-")
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user:
            shutil.chown(self.folder, "postgres")
        d = os.path.join(self.folder, "data")
        subprocess.run(self.user + [f"{self.bin}/initdb", "-D", d, "-U", "nk", "-A", "trust", "--no-sync", "--locale=C", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(self.user + [f"{self.bin}/pg_ctl", "-D", d, "-l", os.path.join(self.folder, "log"), "-w", "-o",
                                    f"-k {self.folder} -c listen_addresses='' -c shared_buffers=2GB -c work_mem=256MB -c max_parallel_workers_per_gather=2",
                                    "start"], check=True, stdout=subprocess.DEVNULL)
        self.url = f"postgresql:///postgres?host={self.folder}&user=nk"
        types = {"customers": "customer_id bigint, name text, industry text, region text, size_class text, employees bigint, channel text, "
                              "acquired_on date, acquisition_cost double precision, complaints bigint, nps bigint, status text, "
                              "lost_reason text, competitor text",
                 "orders": "order_id bigint, customer_id bigint, order_date date, revenue double precision, cost double precision, product_line text"}
        for table, columns in types.items():
            self.psql(f"create table {table} ({columns})")
            self.psql(f"\\copy {table} from '{data}/{table}.csv' csv header")
        self.psql("analyze")

    def psql(self, sql):
        subprocess.run([f"{self.bin}/psql", "-q", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql], check=True)

    def stop(self):
        subprocess.run(self.user + [f"{self.bin}/pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(self.folder, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/tmp/nkbench/L")
    ap.add_argument("--engines", default="memory,duckdb,postgresql,spark")
    ap.add_argument("--references", default="duckdb,polars")
    a = ap.parse_args()
    data = os.path.abspath(a.data)
    engines = a.engines.split(",")
    if not os.path.exists(NK):
        raise SystemExit("build nk first: swift build -c release")
    work = tempfile.mkdtemp(prefix="nkscale-")
    results = {}
    try:
        for engine in engines:
            sys.stderr.write(f"{engine} ...\n")
            if engine == "memory":
                figures, peak = run_nk(script(f'load "{data}/customers.csv" as c\nload "{data}/orders.csv" as o', "c", "o"), work)
                figures = figures[2:]      # the loads
            elif engine == "duckdb":
                path = duckdb_file(data, work)
                figures, peak = run_nk(script(f'attach duckdb "{path}" as d', "d.customers", "d.orders"), work)
                figures = figures[1:]
            elif engine == "postgresql":
                pg = Postgres(data, work)
                try:
                    figures, peak = run_nk(script(f'attach "{pg.url}" as pg', "pg.customers", "pg.orders"), work)
                finally:
                    pg.stop()
                figures = figures[1:]
            elif engine == "spark":
                files = os.path.join(work, "files")
                os.makedirs(files, exist_ok=True)
                for t in ("customers", "orders"):
                    if not os.path.exists(os.path.join(files, t + ".csv")):
                        os.symlink(os.path.join(data, t + ".csv"), os.path.join(files, t + ".csv"))
                figures, peak = run_nk(script(f'attach spark "local[2]" as s with files "{files}"', "s.customers", "s.orders"), work)
                figures = figures[1:]
            else:
                raise SystemExit(f"no engine {engine}")
            results[engine] = (figures, peak)
        refs = {}
        if a.references:
            out = os.path.join(work, "anchors.json")
            subprocess.run([sys.executable, os.path.join(SHARED, "bench", "anchors.py"), "--data", data, "--engines", a.references,
                            "--workloads", "W2,W3,W4,W5,W6", "--runs", "3", "--out", out], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            import json
            with open(out) as f:
                anchors = json.load(f)
            for engine in a.references.split(","):
                refs[engine] = anchors
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = sum(1 for _ in open(os.path.join(data, "customers.csv"))) - 1
    orders = sum(1 for _ in open(os.path.join(data, "orders.csv"))) - 1
    print(f"data: {data}: {rows:,} customers, {orders:,} orders")
    header = f"{'workload':24}" + "".join(f"{'nk ' + e if e == 'memory' else 'nk -> ' + e:>18}" for e in engines)
    header += "".join(f"{r + ' alone':>16}" for r in refs)
    print(header)
    for k, (name, _) in enumerate(WORKLOADS):
        line = f"{name:24}" + "".join(f"{results[e][0][k]:>16.3f} s" if k < len(results[e][0]) else f"{'-':>18}" for e in engines)
        for r, anchors in refs.items():
            w = name.split()[0]
            v = anchor(anchors, r, w, name)
            line += f"{v:>14.3f} s" if v is not None else f"{'-':>16}"
        print(line)
    print(f"{'nk peak memory':24}" + "".join(f"{str(results[e][1]) + ' MB':>18}" for e in engines))


def anchor(anchors, engine, workload, name):
    """anchors.py's median for a workload (W3 is one figure for both groupings: on the first row)."""
    if workload == "W3" and "customers" in name:
        return None
    try:
        return anchors["engines"][engine]["workloads"][workload]["median"]
    except (KeyError, TypeError):
        return None


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reading from databases and workbooks, nk beside the tools a user would otherwise use.

    Scripts/bench/sources.py [DATA] [--runs N] [--only pg,sqlite,xlsx]

DATA is a benchmark folder with customers.csv (Scripts/bench/run.sh L writes /tmp/nkbench/L,
1 M customers). The script starts a throwaway PostgreSQL cluster on a Unix socket, loads the
customers into it and into a SQLite file, writes a 100,000 × 20 workbook, then times, in the
same run, each reader N times (default 5) and prints medians and ratios:

  PostgreSQL  nk (COPY into columns)  vs  psql \\copy to /dev/null, pandas.read_sql (psycopg2)
  SQLite      nk                      vs  sqlite3 -csv 'select *' > /dev/null
  xlsx read   nk                      vs  pandas.read_excel (openpyxl)
  xlsx write  nk save                 vs  DataFrame.to_excel (openpyxl)

Each nk figure is a whole `nk -c …` process (start, attach or load, exit), from a release build.
A reference that is not installed is reported as missing, not timed.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NK = os.path.join(ROOT, ".build", "release", "nk")
args = [a for i, a in enumerate(sys.argv[1:]) if not a.startswith("--") and not sys.argv[i].startswith("--")]
DATA = args[0] if args else "/tmp/nkbench/L"
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
ONLY = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else ["pg", "sqlite", "xlsx"]
CSV = os.path.join(DATA, "customers.csv")

COLUMNS = """customer_id bigint, name text, industry text, region text, size_class text, employees bigint,
channel text, acquired_on date, acquisition_cost double precision, complaints bigint, nps bigint, status text,
lost_reason text, competitor text"""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def median_seconds(cmd, shell=False):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run(cmd, shell=shell)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def python_has(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"], stderr=subprocess.DEVNULL).returncode == 0


def report(title, rows):
    print(f"\n{title}")
    base = rows[0][1]
    for name, seconds in rows:
        if seconds is None:
            print(f"  {name:<34} not installed here")
        else:
            print(f"  {name:<34} {seconds * 1000:9.0f} ms   {seconds / base:5.2f}× nk")


def start_postgres(folder):
    bins = sorted(d for d in os.listdir("/usr/lib/postgresql")) if os.path.isdir("/usr/lib/postgresql") else []
    path = f"/usr/lib/postgresql/{bins[-1]}/bin" if bins else os.path.dirname(shutil.which("initdb") or "")
    prefix = []
    if os.geteuid() == 0:
        user = "postgres" if subprocess.run(["id", "postgres"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0 else "nobody"
        shutil.chown(folder, user)
        prefix = ["runuser", "-u", user, "--"]
    data = os.path.join(folder, "data")
    run(prefix + [f"{path}/initdb", "-D", data, "-U", "nk", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"])
    subprocess.run(prefix + [f"{path}/pg_ctl", "-D", data, "-o", f"-k {folder} -c listen_addresses='' -c fsync=off",
                             "-l", os.path.join(folder, "log"), "-w", "start"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return lambda: subprocess.run(prefix + [f"{path}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    if not os.path.exists(NK):
        sys.exit("build nk first: swift build -c release --product nk")
    if not os.path.exists(CSV):
        sys.exit(f"{CSV} is missing: Scripts/bench/run.sh L writes it")
    work = tempfile.mkdtemp(prefix="nk-sources-")
    os.chmod(work, 0o777)
    stop = start_postgres(work)
    try:
        url = f"postgresql:///postgres?host={work}&user=nk"
        if "pg" in ONLY:
            postgres(url, work)
        if "sqlite" in ONLY:
            sqlite(work)
        if "xlsx" in ONLY:
            xlsx(work)
    finally:
        stop()
        shutil.rmtree(work, ignore_errors=True)


def postgres(url, work):
        run(["psql", "-q", url, "-c", f"create table customers ({COLUMNS})"])
        run(["psql", "-q", url, "-c", f"\\copy customers from '{CSV}' csv header"])
        run(["psql", "-q", url, "-c", "analyze customers"])
        rows = [("nk load pg.customers", median_seconds([NK, "-c", f'attach "{url}" as pg', "-c", "load pg.customers as c"])),
                ("psql \\copy to /dev/null", median_seconds(["psql", url, "-c", "\\copy customers to '/dev/null'"]))]
        if python_has("pandas") and python_has("psycopg2"):
            script = f"import pandas, psycopg2, warnings; warnings.simplefilter('ignore'); pandas.read_sql('select * from customers', psycopg2.connect(host='{work}', user='nk', dbname='postgres'))"
            rows.append(("pandas.read_sql (psycopg2)", median_seconds([sys.executable, "-c", script])))
        else:
            rows.append(("pandas.read_sql (psycopg2)", None))
        report(f"PostgreSQL: 1,000,000 customers × 14 columns, median of {RUNS}", rows)


def sqlite(work):

        db = os.path.join(work, "crm.sqlite")
        sqlite_columns = COLUMNS.replace("bigint", "integer").replace("double precision", "real")
        run(["sqlite3", db, f"create table customers ({sqlite_columns})"])
        run(["sqlite3", db, f".import --csv --skip 1 {CSV} customers"])
        rows = [("nk load crm.customers", median_seconds([NK, "-c", f'attach "{db}" as crm', "-c", "load crm.customers as c"])),
                ("sqlite3 -csv select * > /dev/null", median_seconds(f"sqlite3 -csv {db} 'select * from customers' > /dev/null", shell=True))]
        report(f"SQLite: the same table, median of {RUNS}", rows)


def xlsx(work):

        book = os.path.join(work, "wide.xlsx")
        make = (f'load "{CSV}" as c\nlet w = c | head 100000 | derive a = customer_id * 2, b = nps + 1, '
                f'c2 = acquisition_cost / 3, d = name, e = region, f = complaints > 0\nsave w to "{book}" overwrite\n')
        script = os.path.join(work, "make.nk")
        with open(script, "w") as f:
            f.write(make)
        rows = [("nk save to .xlsx", median_seconds([NK, script]))]
        if python_has("pandas") and python_has("openpyxl"):
            to_excel = f"import pandas; pandas.read_csv('{CSV}', nrows=100000).assign(a=1, b=2, c2=0.5, d='x', e='y', f=True).to_excel('{work}/pandas.xlsx', index=False)"
            read_csv_only = f"import pandas; pandas.read_csv('{CSV}', nrows=100000).assign(a=1, b=2, c2=0.5, d='x', e='y', f=True)"
            rows.append(("DataFrame.to_excel (openpyxl)", median_seconds([sys.executable, "-c", to_excel]) - median_seconds([sys.executable, "-c", read_csv_only])))
        else:
            rows.append(("DataFrame.to_excel (openpyxl)", None))
        report(f"xlsx write: 100,000 rows × 20 columns, median of {RUNS} (pandas: minus its CSV read)", rows)
        rows = [("nk load wide.xlsx", median_seconds([NK, "-c", f'load "{book}" as w']))]
        if python_has("pandas") and python_has("openpyxl"):
            rows.append(("pandas.read_excel (openpyxl)", median_seconds([sys.executable, "-c", f"import pandas; pandas.read_excel('{book}')"])))
        else:
            rows.append(("pandas.read_excel (openpyxl)", None))
        report(f"xlsx read: the same workbook, median of {RUNS}", rows)


main()

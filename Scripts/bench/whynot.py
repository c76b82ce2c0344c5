#!/usr/bin/env python3
"""why-not against the slice-finding tools, side by side.

Runs nk's why-not and three tools from PyPI -- sliceline, pysubgroup, divexplorer -- on the
same question at comparable settings (depth 2 and 3, least support 1 % of the target rows),
and prints, per data set and depth, each one's wall time and its top pattern, and whether
that pattern is among nk's distinct findings or in nk's full table.

    python3 Scripts/bench/whynot.py [--runs 3] [--timeout 600] [--only demo,bank,L]

Two times per tool. "answer": from reading the file to the answer -- for nk the load and the
why-not statements as its timer measures them (it reads the columns the question uses, with
`load … with columns (…)`), for the Python tools reading the same columns with pandas and
mining (the interpreter's start and imports not counted). "whole process": the process's
wall time from its start, for nk and for the Python tools alike. Every run is a child process, stopped after --timeout seconds.

Needs: a release build of nk (swift build -c release), pip install sliceline pysubgroup
divexplorer pandas; the bank data in ../shared/realdata; the L benchmark's customers
(python3 ../shared/bench/generate.py, or NK_BENCH_DATA_L).
"""
import argparse
import csv
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NK = os.path.join(ROOT, ".build", "release", "nk")

# each question: the CSV file, how to read it, the target, the text columns looked at
DATASETS = {
    "demo": dict(path=os.path.join(ROOT, "Datasets", "demo", "customers.csv"), sep=",",
                 column="status", op="!=", value="customer", columns=["channel", "industry", "size", "region"]),
    "bank": dict(path=os.path.join(os.path.dirname(ROOT), "shared", "realdata", "bank_marketing", "bank-full.csv"), sep=";",
                 column="y", op="=", value="yes",
                 columns=["job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"]),
    "L": dict(path=os.path.join(os.environ.get("NK_BENCH_DATA_L", "/tmp/nkbench/L"), "customers.csv"), sep=",",
              column="status", op="!=", value="customer", columns=["industry", "region", "size_class", "channel"]),
}


def canonical(items):
    """A pattern as a sorted tuple of (column, value) pairs."""
    return tuple(sorted((str(c), str(v)) for c, v in items))


def nk_patterns(text):
    """nk's `col = "v" and col2 = "w"` as a canonical pattern."""
    items = []
    for part in text.split(" and "):
        column, _, value = part.partition(" = ")
        items.append((column.strip(), value.strip().strip('"')))
    return canonical(items)


def target_mask(df, d):
    is_value = df[d["column"]].astype(str) == d["value"]
    return ~is_value if d["op"] == "!=" else is_value


# ---- the runs, each in a child process ----------------------------------------------------

def run_nk(d, depth):
    condition = f'{d["column"]} {d["op"]} "{d["value"]}"'
    statement = f'why-not {condition} by {", ".join(d["columns"])} depth {depth}'
    # only the columns the question uses, as pandas reads them for the other tools
    load = f'load "{d["path"]}" as t with columns ({", ".join([d["column"]] + d["columns"])})'
    start = time.perf_counter()
    done = subprocess.run([NK, "--format", "csv", "-c", ".timer on", "-c", load, "-c", f"t | {statement}"],
                          capture_output=True, text=True, check=True)
    process = time.perf_counter() - start
    out = done.stdout
    # reading the file and answering, as nk's timer measures each statement
    seconds = sum(float(m) for m in re.findall(r"^real ([0-9.]+) s", done.stderr, re.M))
    blocks = [b for b in out.strip().split("\n\n") if b.strip()]
    tables = [list(csv.DictReader(io.StringIO(b))) for b in blocks]
    summary = next(t for t in tables if t and "adds" in t[0])
    full = next(t for t in tables if t and "q_value" in t[0])
    # every pattern tested, with why it was dropped (not timed)
    every = subprocess.run([NK, "--format", "csv", "-c", load, "-c", f"t | {statement} all"],
                           capture_output=True, text=True, check=True).stdout
    tested = [list(csv.DictReader(io.StringIO(b))) for b in every.strip().split("\n\n") if b.strip()]
    tested = next(t for t in tested if t and "q_value" in t[0])
    def short(x):
        return f"{float(x):.3g}" if x else "–"
    why = {r["pattern"]: f'{short(r["risk_ratio"])}×, q {short(r["q_value"])}: {r["note"]}' for r in tested}
    return dict(seconds=seconds, process=process, summary=[r["pattern"] for r in summary], full=[r["pattern"] for r in full], why=why)


def read(d):
    import pandas as pd
    df = pd.read_csv(d["path"], sep=d["sep"], usecols=d["columns"] + [d["column"]], dtype=str, keep_default_na=False)
    target = target_mask(df, d).astype(int)
    return df[d["columns"]], target


def run_sliceline(d, depth):
    from sliceline.slicefinder import Slicefinder
    start = time.perf_counter()
    X, y = read(d)
    min_rows = max(1, int(0.01 * y.sum()))
    finder = Slicefinder(alpha=0.95, k=1, max_l=depth, min_sup=min_rows, verbose=False)
    finder.fit(X, y.to_numpy())
    seconds = time.perf_counter() - start
    top = finder.top_slices_[0] if len(finder.top_slices_) else []
    items = [(c, v) for c, v in zip(X.columns, top) if v is not None]
    return dict(seconds=seconds, top=list(canonical(items)))


def run_pysubgroup(d, depth):
    import pysubgroup as ps
    start = time.perf_counter()
    X, y = read(d)
    data = X.copy()
    data["nk_target"] = y.astype(bool)
    task = ps.SubgroupDiscoveryTask(data, ps.BinaryTarget("nk_target", True), ps.create_selectors(data, ignore=["nk_target"]),
                                    result_set_size=10, depth=depth, qf=ps.WRAccQF(),
                                    constraints=[ps.MinSupportConstraint(max(1, int(0.01 * y.sum())))])
    result = ps.Apriori().execute(task)
    seconds = time.perf_counter() - start
    best = result.to_descriptions()[0][1] if result.to_descriptions() else None
    items = [(s.attribute_name, s.attribute_value) for s in best.selectors] if best is not None else []
    return dict(seconds=seconds, top=list(canonical(items)))


def run_divexplorer(d, depth):
    from divexplorer import DivergenceExplorer
    start = time.perf_counter()
    X, y = read(d)
    data = X.copy()
    data["nk_target"] = y
    explorer = DivergenceExplorer(data)
    # divexplorer mines every length; the least support is a share of all rows
    found = explorer.get_pattern_divergence(min_support=0.01 * y.sum() / len(y), boolean_outcomes=["nk_target"])
    found = found[found["itemset"].apply(len) <= depth]
    seconds = time.perf_counter() - start
    column = "nk_target_div"
    top = found.sort_values(column, ascending=False).iloc[0]["itemset"] if len(found) else []
    items = [tuple(item.split("=", 1)) for item in top]
    return dict(seconds=seconds, top=list(canonical(items)))


RUNNERS = {"nk": run_nk, "sliceline": run_sliceline, "pysubgroup": run_pysubgroup, "divexplorer": run_divexplorer}


def child(tool, dataset, depth, timeout):
    """One run in its own process: its answer, or why there is none."""
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, __file__, "--child", tool, dataset, str(depth)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return dict(error=f"> {timeout} s")
    if done.returncode != 0:
        return dict(error=(done.stderr.strip().splitlines() or ["failed"])[-1][:120])
    answer = json.loads(done.stdout)
    # the whole process: for the Python tools with the interpreter's start and imports
    if tool != "nk":
        answer["process"] = time.perf_counter() - start
    return answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--only", default="demo,bank,L")
    parser.add_argument("--depths", default="2,3")
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        tool, dataset, depth = args.child
        print(json.dumps(RUNNERS[tool](DATASETS[dataset], int(depth))))
        return
    for name in args.only.split(","):
        d = DATASETS[name]
        if not os.path.exists(d["path"]):
            print(f"{name}: {d['path']} is missing; skipped")
            continue
        for depth in [int(x) for x in args.depths.split(",")]:
            print(f"\n{name}, depth {depth}: why-not {d['column']} {d['op']} \"{d['value']}\" by {', '.join(d['columns'])}")
            print(f"| tool | answer s | × nk | whole process s | × nk | top pattern | in nk's summary | in nk's full table (else why not) |")
            print("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
            answers = {}
            for tool in RUNNERS:
                runs = [child(tool, name, depth, args.timeout) for _ in range(args.runs)]
                good = [r for r in runs if "error" not in r]
                if good:
                    good[0]["process"] = statistics.median(r["process"] for r in good)
                answers[tool] = (statistics.median(r["seconds"] for r in good), good[0]) if good else (None, runs[0])
            nk_seconds, nk = answers["nk"]
            summary = {nk_patterns(p) for p in nk.get("summary", [])}
            full = {nk_patterns(p) for p in nk.get("full", [])}
            for tool, (seconds, answer) in answers.items():
                if seconds is None:
                    print(f"| {tool} | {answer['error']} | | | | | | |")
                    continue
                ratio = f"{seconds / nk_seconds:.1f}" if nk_seconds else ""
                process_ratio = f"{answer['process'] / nk['process']:.1f}" if nk_seconds else ""
                if tool == "nk":
                    top = nk["summary"][0] if nk["summary"] else "(none)"
                    print(f"| nk | {seconds:.3f} | 1.0 | {answer['process']:.3f} | 1.0 | {top} | yes | yes |")
                    continue
                top = canonical(tuple(x) for x in answer["top"])
                text = " and ".join(f'{c} = "{v}"' for c, v in top) or "(none)"
                nk_text = next((p for p in nk.get("why", {}) if nk_patterns(p) == top), None)
                in_full = "yes" if top in full else "no: " + (nk["why"][nk_text] if nk_text else "not tested: fewer target rows than the least support")
                print(f"| {tool} | {seconds:.3f} | {ratio} | {answer['process']:.3f} | {process_ratio} | {text} | {'yes' if top in summary else 'no'} | {in_full} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()

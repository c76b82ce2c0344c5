#!/usr/bin/env python3
"""A long session: one interactive nk process, driven through a terminal as a person drives it.

Loads the demo data (and the benchmark's L data when given), then runs generated statements:
loads, lets and drops, every verb, joins, statements that fail on purpose, and long statements
interrupted with SIGINT at a random moment. Checks, and exits 1 when one fails:

  - no crash and no hang (each statement's prompt comes back within --timeout seconds);
  - every error names its place (<prompt>:line:column) and a cancelled statement says so;
  - after the last drop, the process's resident memory is within --tolerance of where it was
    after the first loads, plus the 4 MB the prompt keeps for `.report` (its last pages: a
    session of thousands of statements fills it; on the L data that is under 1 %).

  Scripts/soak.py --nk .build/release/nk --statements 20000 --data /tmp/nkbench/L
"""
import argparse
import os
import pty
import random
import re
import select
import signal
import sys
import time

PROMPT = b"nk> "
REPORT_BUDGET_KB = 4 << 10   # ReportRecorder.budget
LOCATED = re.compile(r"^<prompt>:\d+:\d+: error: ")

# the demo tables' columns by kind (Datasets/demo)
DEMO = {
    "customers": {"num": ["employees", "acquisition_cost", "complaints", "nps"],
                  "text": ["industry", "region", "city", "size", "channel", "status", "lost_reason", "competitor"],
                  "date": ["acquired_on"], "status": "status"},
    "orders": {"num": ["revenue", "direct_cost", "service_cost", "delivery_days"], "text": ["product_line"],
               "date": ["order_date"]},
}
# the benchmark's tables (../shared/bench/gen.py), loaded as lc and lo
LARGE = {
    "lc": {"num": ["employees", "acquisition_cost", "complaints", "nps"],
           "text": ["industry", "region", "size_class", "channel", "status", "lost_reason", "competitor"],
           "date": ["acquired_on"], "status": "status"},
    "lo": {"num": ["revenue", "cost"], "text": ["product_line"], "date": ["order_date"]},
}


class Shell:
    """nk at its prompt in a pseudo-terminal."""

    def __init__(self, nk):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update({"NO_COLOR": "1", "NK_HISTORY": "", "TERM": "xterm"})
            os.execv(nk, [nk, "--no-init", "--rows", "5", "-i", "--demo"])
        self.pending = b""

    def read_prompt(self, timeout):
        """Output up to the next prompt; None when it did not come in time."""
        end = time.time() + timeout
        out = self.pending
        while not out.endswith(PROMPT):
            left = end - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.fd, 1 << 16)
                except OSError:
                    return None
                if not chunk:
                    return None
                out += chunk
        self.pending = b""
        return out.decode("utf-8", "replace").replace("\r", "").replace("\x1b[?2004h", "").replace("\x1b[?2004l", "")

    def drain(self, quiet=0.3):
        """Reads what arrives until the terminal is quiet (the prompt a late interrupt redraws)."""
        out = b""
        while True:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                return out.decode("utf-8", "replace")
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                return out.decode("utf-8", "replace")
            if not chunk:
                return out.decode("utf-8", "replace")
            out += chunk

    def send(self, line):
        os.write(self.fd, line.encode() + b"\r")

    def alive(self):
        pid, _ = os.waitpid(self.pid, os.WNOHANG)
        return pid == 0

    def rss_kb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


class Statements:
    """Generated statements over the demo tables (and the large ones, now and then)."""

    def __init__(self, rng, large, data):
        self.rng, self.large, self.data = rng, large, data
        self.kept = []      # names defined with let
        self.counter = 0

    def table(self):
        pool = dict(DEMO)
        if self.large and self.rng.random() < 0.03:
            pool = LARGE
        name = self.rng.choice(sorted(pool))
        return name, pool[name]

    def pipeline(self):
        r = self.rng
        name, t = self.table()
        num, text = r.choice(t["num"]), r.choice(t["text"])
        other = "lc" if name == "lo" else "customers"
        choices = [
            f"{name} | filter {num} > {r.randint(-10, 2000)} | count",
            f"{name} | derive x = {num} * {r.randint(-3, 9)} + 1 | select {text}, x | head 5",
            f"{name} | segment by {text} agg count() as n, sum({num}) as s, median({num}) as m, quantile({num}, 0.9) as q",
            f"{name} | sort {num} desc, {text} | head 3",
            f"{name} | top {r.randint(1, 20)} by {num}",
            f"{name} | distinct {text}",
            f"{name} | filter {text} is not null | segment by {text} agg avg({num}) as a, count(distinct {num}) as d",
            f"{name} | select {t['date'][0]} + {r.randint(-400, 400)} as moved, {num} | head 4",
        ]
        if name in ("orders", "lo"):
            choices += [
                f"{name} | join {other} on customer_id | segment by region agg sum(revenue) as r, count() as n",
                f"{name} | join {other} on customer_id left | filter revenue > {r.randint(0, 900)} | count",
                f"{name} | segment lifecycle",
                f"{name} | segment rfm",
                f"{name} | segment pareto on revenue by customer_id | segment by class agg count() as n",
                f"{name} | segment cohort per quarter",
            ]
        if "status" in t:
            choices += [
                f'{name} | compare where status = "customer" on {text}, {num}',
                f'{name} | why-not status = "lost" by channel, {text}',
                f"{name} | segment by {text}",
            ]
        return r.choice(choices)

    def failing(self):
        """Statements that must fail, each with a located error."""
        r = self.rng
        return r.choice([
            "customers | filter nosuch > 1",
            "nosuchtable | count",
            "customers | filter region > 5",
            "customers | head many",
            "customers | fitler region = \"Süd\"",
            "orders | segment by product_line agg sum(product_line) as s",
            "load \"/nonexistent/folder/file.csv\"",
            "customers | select 99999999999999999999 as x",
            "orders | join customers on nosuch",
            "drop nosuch_table_here",
        ])

    def next(self):
        r = self.rng
        roll = r.random()
        if len(self.kept) > 12:
            # a session keeps a dozen tables at most: each let is dropped again sooner or later
            name = self.kept.pop(r.randrange(len(self.kept)))
            return "drop", f"drop {name}"
        if roll < 0.12:
            self.counter += 1
            name = f"s{self.counter}"
            self.kept.append(name)
            return "let", f"let {name} = {self.pipeline()}"
        if roll < 0.20 and self.kept:
            name = self.kept.pop(r.randrange(len(self.kept)))
            return "drop", f"drop {name}"
        if roll < 0.24 and self.kept:
            return "query", f"{r.choice(self.kept)} | count"
        if roll < 0.32:
            return "error", self.failing()
        if roll < 0.34:
            return "load", f'load "{self.data}/orders.csv" as reloaded'
        if roll < 0.36:
            return "query", r.choice(["describe orders", "show customers 3", "explain orders | join customers on customer_id | count",
                                      ".tables"])
        return "query", self.pipeline()


def long_statement(rng, large):
    if large:
        return rng.choice(["lo | sort revenue | head 1", "lo | join lc on customer_id | segment by region agg sum(revenue) as r",
                           "lo | segment rfm | count", "let cancelled_table = lo | sort cost"])
    return rng.choice(["orders | segment rfm | count", "orders | join customers on customer_id | sort revenue | head 1"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nk", default=".build/release/nk")
    ap.add_argument("--statements", type=int, default=20000)
    ap.add_argument("--data", help="the benchmark's L data (customers.csv, orders.csv), loaded as lc and lo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--tolerance", type=float, default=0.10)
    ap.add_argument("--cancels", type=float, default=0.01, help="share of statements interrupted")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    problems = []
    shell = Shell(args.nk)
    if shell.read_prompt(60) is None:
        sys.exit("nk did not show its prompt")

    def run(statement, timeout=args.timeout):
        out = shell.read_prompt(timeout) if statement is None else (shell.send(statement) or shell.read_prompt(timeout))
        if out is None:
            problems.append(f"no prompt after: {statement}")
            raise SystemExit(report(problems, shell, args))
        return out

    large = args.data is not None
    data = args.data or "Datasets/demo"
    if large:
        for line in (f'load "{data}/customers.csv" as lc', f'load "{data}/orders.csv" as lo'):
            out = run(line)
            if "error" in out:
                sys.exit(f"loading the large data failed:\n{out}")
    # measured as at the end: after a drop, which gives freed memory back to the system
    run("let soak_scratch = customers | head 1")
    run("drop soak_scratch")
    baseline = shell.rss_kb()
    print(f"after the first loads: {baseline / 1024:.0f} MB resident", flush=True)
    gen = Statements(rng, large, data)
    counts = {"statements": 0, "errors": 0, "cancelled": 0, "interrupts": 0}
    started = time.time()
    for i in range(args.statements):
        if rng.random() < args.cancels:
            statement = long_statement(rng, large)
            shell.send(statement)
            time.sleep(rng.uniform(0, 0.3 if large else 0.01))
            os.kill(shell.pid, signal.SIGINT)
            counts["interrupts"] += 1
            out = run(None)
            # an interrupt that came after the statement finished redraws the prompt
            out += shell.drain()
            kind = "cancel"
        else:
            kind, statement = gen.next()
            out = run(statement)
        counts["statements"] += 1
        if not shell.alive() or "Program crashed" in out or "Fatal error" in out:
            problems.append(f"crash after: {statement}\n{out}")
            break
        errors = [line for line in out.splitlines() if " error: " in line or line.startswith("error: ")]
        counts["errors"] += len(errors)
        # Ctrl-C ends a running statement with this line of its own
        counts["cancelled"] += sum(1 for line in out.splitlines() if line.strip() == "cancelled")
        for line in errors:
            if not LOCATED.match(line):
                problems.append(f"an error without its place: {line!r} (statement: {statement})")
        if kind == "error" and not errors:
            problems.append(f"no error for: {statement}")
        if kind not in ("error", "cancel") and errors and not statement.startswith("load") and "memory limit" not in out:
            problems.append(f"unexpected error for: {statement}\n{out}")
        if (i + 1) % 1000 == 0:
            print(f"{i + 1} statements, {time.time() - started:.0f} s, {shell.rss_kb() / 1024:.0f} MB resident", flush=True)
    for name in gen.kept + ["reloaded", "cancelled_table"]:
        run(f"drop {name}")
    run("customers | count")  # one more statement after the drops
    after = shell.rss_kb()
    print(f"after the last drop: {after / 1024:.0f} MB resident ({(after - baseline) / max(baseline, 1) * 100:+.1f} %)")
    print(f"statements: {counts['statements']}, errors reported: {counts['errors']}, interrupts: {counts['interrupts']} "
          f"({counts['cancelled']} cancelled, the rest had finished), {time.time() - started:.0f} s")
    allowed = baseline * (1 + args.tolerance) + REPORT_BUDGET_KB
    print(f"allowed: {allowed / 1024:.0f} MB ({args.tolerance * 100:.0f} % more, and the report's {REPORT_BUDGET_KB // 1024} MB)")
    if after > allowed:
        problems.append(f"resident memory grew from {baseline} kB to {after} kB")
    sys.exit(report(problems, shell, args))


def report(problems, shell, args):
    shell.send(".quit")
    time.sleep(0.5)
    for p in problems[:20]:
        print("PROBLEM:", p)
    print("soak:", "failed" if problems else "passed")
    return 1 if problems else 0


if __name__ == "__main__":
    main()

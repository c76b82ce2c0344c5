#!/usr/bin/env bash
# Replays the SQL the sql fuzz target's corpus produces through DuckDB: every statement must be
# one DuckDB accepts (EXPLAIN for queries; a statement that makes or drops a table of an
# analysis runs, so that the ones after it can refer to it).
#
#   Scripts/fuzz/replay-sql.sh        (after Scripts/fuzz.sh sql SECONDS)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${FUZZ_BUILD:-.build/fuzz-plain}
[ -x "$out/fuzz-sql" ] || out=.build/fuzz
binary=$out/fuzz-sql
corpus=.build/fuzz/corpus-sql
[ -x "$binary" ] || { echo "build the target first: Scripts/fuzz.sh sql SECONDS" >&2; exit 2; }
command -v duckdb >/dev/null || { echo "the duckdb command is missing (pip install duckdb-cli)" >&2; exit 2; }
statements=$(mktemp) && rm -f "$statements"
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0
FUZZ_SQL_OUT=$statements "$binary" "$corpus" -runs=0 >/dev/null 2>&1 || true
python3 - "$statements" <<'PY'
import subprocess, sys
text = open(sys.argv[1]).read()
table = """create table t (id bigint, name varchar, region varchar, employees bigint, revenue double,
           since date, active boolean);
insert into t values (1, 'Anna Müller', 'Süd', 12, 1200.5, '2021-03-15', true), (2, 'Bernd', 'Nord', 150, null, '2019-11-01', true);"""
blocks = [b for b in text.split("\n-- end\n") if b.strip()]
script, count = [table], 0
for block in blocks:
    lines = block.split("\n")
    body = "\n".join(lines[1:]).strip()
    for statement in [s.strip() for s in body.split(";\n") if s.strip()]:
        statement = statement.rstrip(";")
        count += 1
        lowered = statement.lstrip("( \n").lower()
        script.append(statement + ";" if lowered.startswith(("create", "drop", "insert")) else "explain " + statement + ";")
# one DuckDB process for all; .bail off goes on after an error, and each error is counted
result = subprocess.run(["duckdb", ":memory:"], input=".bail off\n" + "\n".join(script) + "\n", capture_output=True, text=True)
errors = [line for line in result.stderr.splitlines() if "Error" in line]
print(f"pipelines: {len(blocks)}, statements: {count}, DuckDB errors: {len(errors)}")
for e in errors[:10]:
    print("  ", e)
sys.exit(1 if errors else 0)
PY

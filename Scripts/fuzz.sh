#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a while, then prints what it found.
#
#   Scripts/fuzz.sh parser|csv|evaluator|xlsx|sqlite|sql|charts SECONDS [JOBS]
#
# The engine, analysis and language modules are compiled with coverage instrumentation and
# AddressSanitizer into .build/fuzz; the target's entry point is Scripts/fuzz/TARGET.swift.
# Seeds come from the tests' corpora, new inputs go to .build/fuzz/corpus-TARGET, crashes to
# .build/fuzz/crashes-TARGET (each one should become a regression test). The evaluator builds
# its pipelines from the bytes, so its dictionary holds bytes, not words.
#
#   FUZZ_ASAN=0   builds without AddressSanitizer (into .build/fuzz-plain, about twice the
#                 executions; Swift's own checks still trap on overflow and bad indices)
#   FUZZ_MAX_LEN  the longest input tried (default 4096 bytes)
#   FUZZ_TIMEOUT  seconds one input may take before it counts as a hang (default 10; libFuzzer
#                 measures wall time, so a fuzzer run at low priority beside heavy work needs more)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?"usage: Scripts/fuzz.sh parser|csv|evaluator|xlsx|sqlite|sql|charts SECONDS [JOBS]"}
seconds=${2:-60}
jobs=${3:-1}
[ -f "Scripts/fuzz/$target.swift" ] || { echo "no fuzz target $target (parser, csv, evaluator, xlsx, sqlite, sql, charts)" >&2; exit 2; }
sanitizers=fuzzer,address out=.build/fuzz
if [ "${FUZZ_ASAN:-1}" = 0 ]; then sanitizers=fuzzer out=.build/fuzz-plain; fi
max_len=${FUZZ_MAX_LEN:-4096}
corpus=.build/fuzz/corpus-$target crashes=.build/fuzz/crashes-$target   # shared by both builds
mkdir -p "$out" "$corpus" "$crashes"
flags=(-O -sanitize=$sanitizers -parse-as-library -I "$out" -L "$out" -module-cache-path "$out/cache")

rebuilt=0
build_module() {   # name, sources folder; a module is rebuilt when it or one below it changed
    local name=$1 folder=$2; shift 2
    local stamp="$out/lib$name.a"
    if [ "$rebuilt" = 0 ] && [ -f "$stamp" ] && [ -z "$(find "$folder" -name '*.swift' -newer "$stamp" | head -1)" ]; then return; fi
    rebuilt=1
    echo "building $name" >&2
    swiftc "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -emit-library -static -o "$stamp" $(find "$folder" -name '*.swift' | sort) "$@" 2>"$out/build-$name.log" \
        || { cat "$out/build-$name.log" >&2; exit 1; }
}
build_module NKEngine Sources/NKEngine
build_module NKAnalysis Sources/NKAnalysis
# the system libraries' module maps, for the sources floor
cmodules=(-I Sources/CZlib -I Sources/CSQLite -I Sources/CLibPQ -Xcc -I/usr/include/postgresql)
build_module NKSources Sources/NKSources "${cmodules[@]}"
build_module NKLanguage Sources/NKLanguage "${cmodules[@]}"
build_module NKRendering Sources/NKRendering "${cmodules[@]}"
# the evaluator and sql targets share their table and pipeline grammar
extra=()
case $target in evaluator|sql) extra=(Scripts/fuzz/Pipelines.swift) ;; esac
binary="$out/fuzz-$target"
if [ ! -x "$binary" ] || [ -n "$(find Scripts/fuzz "$out"/*.a -newer "$binary" | head -1)" ]; then
    echo "building fuzz-$target" >&2
    # (the gold linker warns about every sanitizer helper; the log keeps that out of sight)
    swiftc "${flags[@]}" -o "$binary" "Scripts/fuzz/$target.swift" Scripts/fuzz/Support.swift "${extra[@]}" \
        "${cmodules[@]}" -lNKRendering -lNKLanguage -lNKSources -lNKAnalysis -lNKEngine -lz -lsqlite3 -lpq 2>"$out/build-$target.log" || { cat "$out/build-$target.log" >&2; exit 1; }
fi

seeds=()
case $target in
    parser|evaluator|sql) seeds=(Tests/Corpus/nk Scripts/workshop) ;;
    csv) seeds=(Tests/Corpus/csv) ;;
    xlsx) mkdir -p "$out/seeds-xlsx"; seeds=("$out/seeds-xlsx")
          # a sheet, its shared strings and its styles, as the target splits them
          printf '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row><row r="2"><c r="A2" s="1"><v>45000.5</v></c><c r="B2" t="b"><v>1</v></c></row></sheetData>\xff<sst><si><t>name</t></si></sst>\xff<styleSheet><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>' > "$out/seeds-xlsx/sheet" ;;
esac
log="$out/fuzz-$target.log"
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0
# JOBS independent processes on the one corpus folder, each with its own log: each keeps its
# inputs in memory and adds what it finds to the folder. (libFuzzer's -fork ran at about 1,450
# executions a second with two jobs where two processes of their own run 3,450: each forked
# job starts again from the corpus on disk.)
arguments=("$corpus" "${seeds[@]}" -dict="Scripts/fuzz/$target.dict"
           -artifact_prefix="$crashes/" -max_len="$max_len" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=4096 -print_final_stats=1)
logs=("$log")
for k in $(seq 2 "$jobs"); do logs+=("$out/fuzz-$target.$k.log"); done
started=$(date +%s)
stamp=$(mktemp); touch -d "@$started" "$stamp"   # crashes newer than this are this run's
# One job: libFuzzer for the time that is left. A crash (saved in the crash folder) ends a
# libFuzzer process, so the job starts another on the corpus for the rest of the time, up to
# 10 crashes a job: a long run left alone keeps fuzzing past its first finding. It ends when
# the time is up or when it is told to stop (libFuzzer's exit status 72, or SIGTERM here).
job() {
    local log=$1 crashes_found=0 child=0 stopping=0 left s
    trap 'stopping=1; [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null' TERM
    : >"$log"
    while [ "$stopping" = 0 ]; do
        left=$(( seconds - ($(date +%s) - started) ))
        [ "$left" -gt 0 ] || break
        "$binary" "${arguments[@]}" -max_total_time="$left" >>"$log" 2>&1 & child=$!
        s=0; wait "$child" || s=$?
        # (a wait cut short by the trap waits again for the process to finish)
        while kill -0 "$child" 2>/dev/null; do s=0; wait "$child" || s=$?; done
        child=0
        [ "$s" -eq 0 ] || [ "$s" -eq 72 ] || [ "$stopping" = 1 ] && break
        crashes_found=$((crashes_found + 1))
        [ "$crashes_found" -lt 10 ] || break
        echo "nk fuzz.sh: the process ended with status $s; starting again for the time left" >>"$log"
    done
}
pids=()
for l in "${logs[@]}"; do job "$l" & pids+=($!); done
# Ctrl-C stops every job (a process started in the background ignores the terminal's SIGINT;
# SIGTERM ends it the same way), and each libFuzzer process prints its statistics as it ends
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' INT TERM
for p in "${pids[@]}"; do
    set +e
    wait "$p"
    while kill -0 "$p" 2>/dev/null; do wait "$p"; done
    set -e
done
# what libFuzzer saves there: crash-, timeout-, oom- and leak- files are findings; a slow-unit-
# file is an input that took longer than 10 s, which at low priority beside heavy work is often
# the wait for a core (each is run again and timed below)
new_crashes=$(find "$crashes" -type f -newer "$stamp" ! -name 'slow-unit-*' | wc -l)
slow=$(find "$crashes" -type f -newer "$stamp" -name 'slow-unit-*' | sort)
rm -f "$stamp"
status=0; [ "$new_crashes" -eq 0 ] || status=1
runs=$(grep -h 'stat::number_of_executed_units' "${logs[@]}" | awk '{s += $2} END {print s + 0}' || true)
echo "target:     $target"
echo "seconds:    $seconds (jobs: $jobs, sanitizers: $sanitizers, inputs up to $max_len bytes)"
echo "executions: $runs"
echo "corpus:     $(ls "$corpus" | wc -l) inputs"
echo "crashes:    $new_crashes new in this run ($(find "$crashes" -type f ! -name 'slow-unit-*' | wc -l) in $crashes)"
for unit in $slow; do
    # run alone, a unit that is slow only beside other work finishes at once
    started_unit=$(date +%s%N)
    timeout 300 "$binary" "$unit" >/dev/null 2>&1 || true
    echo "slow unit:  $unit (took over 10 s in the run; alone $(( ($(date +%s%N) - started_unit) / 1000000 )) ms)"
done
echo "exit:       $status (logs: ${logs[*]})"
exit "$status"

#!/usr/bin/env bash
# Builds the HTML report of each workshop script: one self-contained page per workshop, for
# the projector and the handout.
#
#   Scripts/reports.sh [FOLDER]              writes FOLDER/01-nicht-kunden.html … (default: reports)
#   Scripts/reports.sh --screenshot PNG      also photographs the first workshop's page with
#                                            headless Chromium (the README's picture)
set -euo pipefail
cd "$(dirname "$0")/.."

folder=reports
screenshot=""
while [ $# -gt 0 ]; do
    case "$1" in
        --screenshot) screenshot="$2"; shift 2 ;;
        -h|--help) sed -n 2,7p "$0"; exit 0 ;;
        *) folder="$1"; shift ;;
    esac
done

swift build -c release --product nk >/dev/null
mkdir -p "$folder"
for script in Scripts/workshop/*.nk; do
    name="$(basename "$script" .nk)"
    .build/release/nk --report "$folder/$name.html" "$script" >/dev/null
    echo "$folder/$name.html  ($(wc -c < "$folder/$name.html") bytes)"
done

if [ -n "$screenshot" ]; then
    browser="$(command -v chromium || command -v chromium-browser || true)"
    [ -n "$browser" ] || { echo "no chromium for the screenshot (apt-get install chromium)"; exit 1; }
    page="$(cd "$folder" && pwd)/01-nicht-kunden.html"
    # off the network: every host name resolves to nothing
    "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --disable-background-networking --host-resolver-rules="MAP * ~NOTFOUND" \
        --window-size=1280,1500 --screenshot="$screenshot" "file://$page" 2>/dev/null
    echo "$screenshot"
fi

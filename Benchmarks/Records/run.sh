#!/bin/sh
# Records benchmark (issue 7): durable capture (record + outbox in one fsynced transaction) median and p99, and the
# drain of a large backlog to kiosk-sim api on loopback: records per second and peak memory (max RSS) for two
# backlog sizes, to show memory stays flat as the backlog grows.
#   Benchmarks/Records/run.sh [BIN_DIR] [BACKLOG]     (defaults: .build/release, 100000)
set -eu
BIN=${1:-.build/release}
BACKLOG=${2:-100000}
WORK=$(mktemp -d /tmp/kiosk-records-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN/kiosk-sim" api serve --state "$WORK/api" --port 0 --token BENCH-TOKEN-1=1809072001:Hanura \
    --token BENCH-TOKEN-2=1809072001:Hanura >"$WORK/api.out" 2>/dev/null &
SERVER=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/api.out" 2>/dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:$(sed -n 's/listening on 127.0.0.1://p' "$WORK/api.out")"

config() { # $1: state folder
    cat <<TOML
[kiosk]
id = "BENCH-01"
village_code = "18.09.07.2001"
village_name = "Hanura"
state_directory = "$1"
[letterhead]
regency = "Pesawaran"
district = "Padang Cermin"
village = "Hanura"
address = "Jl. Raya Hanura No. 1"
[letters]
templates = "$(pwd)/templates"
[card_reader]
backend = "script"
[api]
batch_size = 500
TOML
}

drain() { # $1: name, $2: backlog
    config "$WORK/$1" >"$WORK/$1.toml"
    echo "$3" | "$BIN/kiosk" enroll --config "$WORK/$1.toml" --url "$URL" --token-file - >/dev/null
    "$BIN/record-load" --config "$WORK/$1.toml" --count "$2" >/dev/null
    /usr/bin/time -f "%e %M" -o "$WORK/$1.time" "$BIN/kiosk" upload --config "$WORK/$1.toml" --batch-size 500 >/dev/null
    read -r seconds rss <"$WORK/$1.time"
    echo "drain $2 records: ${seconds} s, $(awk "BEGIN { printf \"%d\", $2 / $seconds }") records/s, max RSS $((rss / 1024)) MiB"
}

config "$WORK/capture" >"$WORK/capture.toml"
echo "durable capture, kiosk (2,000 records, fsync per commit): $("$BIN/record-load" --config "$WORK/capture.toml" --count 2000 --stats | tail -1)"
echo "durable capture, peer: bare sqlite3 record + outbox insert, WAL FULL: $(python3 "$(dirname "$0")/../Peers/sqlite_capture_peer.py" "$WORK/peer" 2000)"
drain small $((BACKLOG / 10)) BENCH-TOKEN-1
drain large "$BACKLOG" BENCH-TOKEN-2

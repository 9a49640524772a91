#!/bin/bash
# Idle cost of the running daemon with the idle screen on a virtual framebuffer: CPU time and context switches
# (wake-ups) of every thread over SECONDS (default 60): with the idle animation, without it, and with the village
# board beside the idle text (imported from demo/keuangan_manual_rinci.csv; its pages turn with the animation).
# Usage: Benchmarks/Screens/idle.sh BUILD_DIR [SECONDS]   (by hand; make bench's report measures the idle with the
# animation on, on the demo configuration)
set -euo pipefail
build=${1:?build directory, e.g. .build/release}
seconds=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ticks=$(getconf CLK_TCK)

# CPU ticks (user + system) of the process, and each thread's context switches (voluntary + involuntary) as
# "tid count" lines: threads of the pool come and go, so switches are summed per thread that is there at the end.
cpu() { awk '{print $14 + $15}' /proc/"$1"/stat; }
switches() {
    for status in /proc/"$1"/task/*/status; do
        awk '/^Pid:/ {t = $2} /ctxt_switches/ {s += $2} END {print t, s}' "$status" 2>/dev/null || true
    done
}

for mode in true false board; do
    animate=$([ "$mode" = false ] && echo false || echo true)
    sed -e 's|^backend = "pcsc"|backend = "script"|' -e "s|^snapshots = .*|animate_idle = $animate|" \
        -e "s|^state_directory = .*|state_directory = \"$work/state-$mode\"|" \
        -e "s|^templates = .*|templates = \"$PWD/templates\"|" -e "s|^opensid_export = .*||" \
        demo/kiosk.toml > "$work/kiosk.toml"
    if [ "$mode" = board ]; then
        "$build"/kiosk import board demo/keuangan_manual_rinci.csv --config "$work/kiosk.toml" > /dev/null
    fi
    "$build"/kiosk run --config "$work/kiosk.toml" --log-level error > "$work/log-$mode" 2>&1 &
    pid=$!
    sleep 3  # start-up done, the idle screen drawn
    cpu0=$(cpu "$pid"); switches "$pid" > "$work/before"
    sleep "$seconds"
    cpu1=$(cpu "$pid"); switches "$pid" > "$work/after"
    woke=$(awk 'NR == FNR {start[$1] = $2; next} {sum += $2 - start[$1]} END {print sum}' "$work/before" "$work/after")
    rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
    pss=$(awk '/^Pss:/ {print $2}' /proc/"$pid"/smaps_rollup)
    kill -TERM "$pid"; wait "$pid" || true
    awk -v c=$((cpu1 - cpu0)) -v t="$ticks" -v s="$seconds" -v w="$woke" -v a="$animate$([ "$mode" = board ] && echo ', with the village board')" -v r="$rss" -v p="$pss" \
        'BEGIN { printf "idle screen, animate_idle=%s: CPU %.3f %% (%.2f s in %d s), %.1f wake-ups/min, RSS %d kB, PSS %d kB\n", a, 100 * c / t / s, c / t, s, w * 60 / s, r, p }'
done

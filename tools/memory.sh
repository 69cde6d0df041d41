#!/usr/bin/env bash
# Peak memory (VmHWM, the most resident memory the process ever had) of the
# window with a clinic file open on its Patients view, after SECONDS (the
# list read, the day's check and backups done), on the first start of a
# day (the backups folder emptied) and on a later start; beside the peak of
# a bare eframe window of the same size and renderer at its first frame.
# Also the window's anonymous memory then (RssAnon: its own heap and
# stacks). The rest is file-backed (the binary, the GL driver's libraries),
# and how much of that is counted moves by 10-15 MB from run to run with
# what the page cache holds (the kernel maps neighbouring pages already
# there on each fault).
# Needs: cargo build --release --bin recovery-tracker --example bare_window.
#   tools/memory.sh [RUNS] [PATIENTS] [SECONDS]   (3, 5000, 10 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
patients=${2:-5000}
seconds=${3:-10}
disp=96
# shellcheck source=tools/clinic-display.sh
. tools/clinic-display.sh
# The window's peak in MB after $seconds.
ours() {
    target/release/recovery-tracker gui --db "$work/clinic.db" >/dev/null 2>&1 &
    local pid=$!
    sleep "$seconds"
    local kb anon
    kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    anon=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "$((kb / 1024))/$((anon / 1024))"
}
bare() {
    /usr/bin/time -f '%M' target/release/examples/bare_window 2>&1 >/dev/null | awk '{kb=$1} END {print int(kb / 1024)}'
}
first=() later=() floor=()
for _ in $(seq "$runs"); do
    rm -rf "$work/backups"
    first+=("$(ours)")
    later+=("$(ours)")
    floor+=("$(bare)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "${patients}-patient file, Patients view after ${seconds} s, median of $runs (MB, peak/anonymous):"
echo "  first start of a day:  $(median "${first[@]}")   (${first[*]})"
echo "  later start of a day:  $(median "${later[@]}")   (${later[*]})"
echo "  bare eframe window:    $(median "${floor[@]}")   (${floor[*]})"

#!/usr/bin/env bash
# Start-up to first frame against a bare eframe window of the same size in
# the same run, on a virtual display with Mesa's software GL: a later start
# of the day (today's backups exist) and the first start of a day (the
# backups folder emptied before each run). Needs: cargo build --release
# --bin recovery-tracker --example bare_window. The clinic file is made on
# first use and kept under target/tmp/bench-data/.
#   tools/startup.sh [RUNS] [PATIENTS]     (PATIENTS: 500 by default; 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
patients=${2:-500}
disp=97
# shellcheck source=tools/clinic-display.sh
. tools/clinic-display.sh
first_frame() { sed -n 's/first frame after \([0-9.]*\) ms/\1/p'; }
ours() { target/release/recovery-tracker gui --db "$work/clinic.db" --exit-after-first-frame | first_frame; }
# One start to make today's backups (the window makes them after its first
# frame; wait for them before measuring later starts).
target/release/recovery-tracker backup --daily --db "$work/clinic.db" >/dev/null
# The copies just written are flushed before a start is timed: their
# writeback would otherwise land on the next start and be counted there.
sync
# Whatever starts first after the machine has been idle for a few seconds
# (here: waiting on the disk for a backup and a sync) takes up to twice as
# long, ours or the bare window alike (the virtual CPU and the X server
# waking). So every timed start follows an untimed bare window.
warm() { target/release/examples/bare_window >/dev/null; }
later=() first=() bare=()
for _ in $(seq "$runs"); do
    # Interleaved, so all see the same load.
    warm
    later+=("$(ours)")
    warm
    bare+=("$(target/release/examples/bare_window | first_frame)")
    rm -rf "$work/backups"
    warm
    first+=("$(ours)")
    target/release/recovery-tracker backup --daily --db "$work/clinic.db" >/dev/null
    sync
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v o="$1" -v b="$2" 'BEGIN {printf "%.2f", o / b}'; }
l=$(median "${later[@]}"); f=$(median "${first[@]}"); b=$(median "${bare[@]}")
size=$(du -m "$db" | cut -f1)
echo "${patients}-patient file (${size} MB), median of $runs:"
echo "  bare eframe window:          ${b} ms"
echo "  later start of a day:        ${l} ms  ratio $(ratio "$l" "$b")x"
echo "  first start of a day:        ${f} ms  ratio $(ratio "$f" "$b")x"

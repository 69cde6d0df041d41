#!/usr/bin/env bash
# Start-up to first frame, with the 500-patient file, against a bare eframe
# window of the same size in the same run, on a virtual display with Mesa's
# software GL. Needs: cargo build --release --bin recovery-tracker --example
# bare_window, and the clinic file made by `cargo bench` (or by demo).
#   tools/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
db=target/tmp/bench-data/clinic-500x730.db
[ -f "$db" ] || target/release/recovery-tracker demo --db "$db" --patients 500 --days 730 >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; kill "${xvfb:-0}" 2>/dev/null || true' EXIT
cp "$db" "$work/clinic.db"
disp=97
Xvfb ":$disp" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=":$disp" LIBGL_ALWAYS_SOFTWARE=1 XDG_RUNTIME_DIR=/tmp
ours=() bare=()
for _ in $(seq "$runs"); do
    # Interleaved, so both see the same load.
    ours+=("$(target/release/recovery-tracker gui --db "$work/clinic.db" --exit-after-first-frame | sed -n 's/first frame after \([0-9.]*\) ms/\1/p')")
    bare+=("$(target/release/examples/bare_window | sed -n 's/first frame after \([0-9.]*\) ms/\1/p')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
o=$(median "${ours[@]}"); b=$(median "${bare[@]}")
echo "first frame, 500-patient file: ${o} ms (median of $runs); bare eframe window: ${b} ms; ratio $(awk -v o="$o" -v b="$b" 'BEGIN {printf "%.2f", o / b}')x"

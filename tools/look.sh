#!/usr/bin/env bash
# Every screen of the real window, for looking at: one PNG per screen at a
# window size, text size and theme.
#
#   tools/look.sh OUTDIR [SIZE=1280x800] [TEXT=100] [THEME=light] [DAYS=730]
#
# Uses demo data made for a fixed day (2026-11-25), a fresh copy per shot.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: tools/look.sh OUTDIR [SIZE] [TEXT] [THEME] [DAYS]}
size=${2:-1280x800}
text=${3:-100}
theme=${4:-light}
days=${5:-730}
app=${APP:-target/debug/recovery-tracker}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$app" demo --db "$work/demo.db" --patients 4 --days "$days" --today 2026-11-25 >/dev/null
# A clinic's screens in side-bar order (Ctrl+1 …).
screens=(patients review today progress exercises milestones history details settings)
for i in "${!screens[@]}"; do
    n=$((i + 1))
    cp "$work/demo.db" "$work/$n.db"
    SHOT_SIZE=$size SHOT_WAIT=3 SHOT_KEYS="key ctrl+$n sleep 1 mousemove 2 2" \
        bash tools/screenshot.sh "$out/$n-${screens[$i]}.png" --db "$work/$n.db" --today 2026-11-25 \
        gui --theme "$theme" --text-size "$text" >/dev/null
done
ls "$out"

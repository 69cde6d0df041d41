#!/usr/bin/env bash
# Regenerates every screenshot the README shows, from demo data made for
# fixed dates, with the real window under Xvfb (tools/screenshot.sh) and
# the real PDF (pdftoppm). Run after `cargo build --release`:
#
#   tools/screenshots.sh            # writes assets/screenshots/
#   APP=target/debug/recovery-tracker tools/screenshots.sh
#
# Fails when a shot cannot be taken; never leaves a stale picture silently.
set -euo pipefail
cd "$(dirname "$0")/.."
app=${APP:-target/release/recovery-tracker}
[ -x "$app" ] || { echo "no binary at $app: run 'cargo build --release' first (or set APP=)" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: apt-get install poppler-utils" >&2; exit 1; }
out=assets/screenshots
today=2026-11-25
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
mkdir -p "$out/light" "$out/dark"

# Demo data made for $today, a given number of days after surgery.
demo() { # NAME DAYS
    "$app" demo --db "$work/$1.db" --patients 4 --days "$2" --today "$today" >/dev/null
}
# One shot of a fresh copy of a demo file: OUT DB SIZE KEYS [gui options…]
shot() {
    local png=$1 db=$2 size=$3 keys=$4
    shift 4
    local copy="$work/shot-$(basename "$png" .png)-$RANDOM.db"
    cp "$work/$db.db" "$copy"
    SHOT_SIZE=$size SHOT_WAIT=3 SHOT_KEYS="$keys mousemove 2 2 sleep 1" \
        APP="$app" bash tools/screenshot.sh "$png" --db "$copy" --today "$today" gui "$@" >/dev/null
    echo "$png"
}

demo week6 42
demo year2 730
# One patient's own file (a patient at home) at week 6 and week 17.
"$app" demo --db "$work/own6.db" --patients 1 --days 42 --today "$today" >/dev/null
"$app" demo --db "$work/own17.db" --patients 1 --days 120 --today "$today" >/dev/null
# Today on a day not yet filled in: the demo ends the day before.
"$app" demo --db "$work/yesterday.db" --patients 1 --days 42 --today 2026-11-24 >/dev/null

# A patient 12 days before the operation, with ten check-ins so far: the
# demo patient's first ten days, moved before a later surgery date (no
# milestones, exercises or ODI totals, which belong after it).
"$app" demo --db "$work/first10.db" --patients 1 --days 10 --today 2026-11-24 >/dev/null
"$app" --today "$today" export --db "$work/first10.db" --format json -o "$work/first10.json" >/dev/null
python3 - "$work/first10.json" "$work/before.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
p = doc["patients"][0]
p["patient"]["details"]["surgery_date"] = "2026-12-07"
p["patient"]["details"].pop("discharged_on", None)
p["patient"]["first_used_on"] = p["check_ins"][0]["day"]
for rows in ("milestones", "plan", "exercise_logs", "odi_entries", "visit_notes", "flag_reviews", "changes"):
    p[rows] = []
json.dump(doc, open(sys.argv[2], "w"), indent=2)
PY
"$app" --today "$today" import --db "$work/before.db" "$work/before.json" >/dev/null

# A patient's own screens: Ctrl+1 Today, Ctrl+2 Progress, Ctrl+3 What to
# expect … Ctrl+6 History, Ctrl+7 My operation.
shot "$out/today-before-surgery.png" before 1280x800 "key ctrl+1 sleep 1" --theme light
shot "$out/what-to-expect.png" before 1280x800 "key ctrl+3 sleep 1" --theme light
shot "$out/progress-week6.png" own6 1280x800 "key ctrl+2 sleep 1" --theme light
shot "$out/exercises.png" own6 1280x800 "key ctrl+4 sleep 1" --theme light
shot "$out/milestones.png" own17 1280x800 "key ctrl+5 sleep 1" --theme light
# Progress, then its last tab, Activities (the PSFS).
shot "$out/progress-psfs.png" own17 1280x800 "key ctrl+2 sleep 1 mousemove 1177 137 click 1 sleep 1" --theme light
shot "$out/about-my-operation.png" own6 1280x800 "key ctrl+7 sleep 1" --theme light
# Half filled in: back pain 4 by keyboard (the first score has the focus).
shot "$out/today.png" yesterday 1280x800 "key ctrl+1 sleep 1 key 4 sleep 1" --theme light
# The body map, scrolled into view, with the week's marks carried over.
shot "$out/today-body-map.png" own6 1280x800 \
    "key ctrl+1 sleep 1 mousemove 700 500 click --repeat 18 --delay 80 5 sleep 1" --theme light
shot "$out/today-200-percent.png" own6 1280x800 "key ctrl+1 sleep 1" --theme light --text-size 200
shot "$out/today-200-percent-scrolled.png" own6 1280x800 \
    "key ctrl+1 sleep 1 mousemove 640 500 click --repeat 8 --delay 80 5 sleep 1" --theme light --text-size 200

# A clinic's file: Ctrl+1 Patients, Ctrl+2 Review, Ctrl+3 Today … Ctrl+9 Settings.
shot "$out/patients.png" year2 1280x800 "key ctrl+1 sleep 1" --theme light
shot "$out/review.png" year2 1280x800 "key ctrl+2 sleep 1" --theme light
shot "$out/review-body-map.png" week6 1280x800 \
    "key ctrl+2 sleep 1 mousemove 700 500 click --repeat 12 --delay 80 5 sleep 1" --theme light
shot "$out/progress-2-years.png" year2 1280x800 "key ctrl+4 sleep 1" --theme light
shot "$out/history.png" year2 1280x800 "key ctrl+7 sleep 1" --theme light

screens=(patients review today progress exercises milestones history details settings)
rm -f "$out"/light/*.png "$out"/dark/*.png
for theme in light dark; do
    for i in "${!screens[@]}"; do
        shot "$out/$theme/${screens[$i]}.png" year2 1280x800 "key ctrl+$((i + 1)) sleep 1" --theme "$theme"
    done
done

# The window for a damaged database with a good backup beside it.
mkdir -p "$work/damaged"
cp "$work/week6.db" "$work/damaged/recovery.db"
"$app" backup --db "$work/damaged/recovery.db" >/dev/null
head -c 65536 /dev/urandom >"$work/damaged/recovery.db"
SHOT_SIZE=1280x800 SHOT_WAIT=3 APP="$app" bash tools/screenshot.sh "$out/damaged-database.png" \
    --db "$work/damaged/recovery.db" --today "$today" gui --theme light >/dev/null
echo "$out/damaged-database.png"

# A database the person marked read-only.
cp "$work/week6.db" "$work/read-only.db"
chmod a-w "$work/read-only.db"
SHOT_SIZE=1280x800 SHOT_WAIT=3 APP="$app" bash tools/screenshot.sh "$out/read-only.png" \
    --db "$work/read-only.db" --today "$today" gui --theme light >/dev/null
echo "$out/read-only.png"

# The first two pages of the PDF report of a patient two years on.
"$app" --today "$today" report --db "$work/year2.db" --patient 1 -o "$work/report.pdf" >/dev/null
pdftoppm -r 70 -png -f 1 -l 2 "$work/report.pdf" "$work/page"
convert "$work"/page-1.png "$work"/page-2.png -bordercolor '#888888' -border 1 \
    -background white +append "$out/report-pages-1-2.png"
echo "$out/report-pages-1-2.png"

# The page of the same report that carries the body map.
for page in $(seq 1 "$(pdfinfo "$work/report.pdf" | awk '/^Pages:/ {print $2}')"); do
    if pdftotext -f "$page" -l "$page" "$work/report.pdf" - | grep -q "Where: the body map"; then
        pdftoppm -r 70 -png -f "$page" -l "$page" -singlefile "$work/report.pdf" "$work/map-page"
        convert "$work/map-page.png" -bordercolor '#888888' -border 1 "$out/report-body-map.png"
        echo "$out/report-body-map.png"
    fi
done
[ -f "$out/report-body-map.png" ] || { echo "the report has no body map page" >&2; exit 1; }

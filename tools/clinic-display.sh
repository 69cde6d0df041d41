# Sourced by tools/startup.sh and tools/memory.sh (from the repository's
# top): a copy of the $patients-patient clinic file at "$work/clinic.db",
# and a virtual X display with Mesa's software GL on display $disp.
# The clinic file is named by schema version (the number of migrations), as
# the benches name theirs: a file made by an older build would be migrated
# on the first run. It is made on first use and kept under
# target/tmp/bench-data/.
version=$(find migrations -name '*.sql' | wc -l)
db=target/tmp/bench-data/clinic-${patients}x730-v${version}.db
mkdir -p target/tmp/bench-data
[ -f "$db" ] || target/release/recovery-tracker demo --db "$db" --patients "$patients" --days 730 >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; kill "${xvfb:-0}" 2>/dev/null || true' EXIT
cp "$db" "$work/clinic.db"
Xvfb ":$disp" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=":$disp" LIBGL_ALWAYS_SOFTWARE=1 XDG_RUNTIME_DIR=/tmp

#!/usr/bin/env bash
# Times `sync push` of the two-year demo patient (10,775 resources) to a
# local Helios FHIR Server with an empty database: the whole record pushed
# (the first push, then `--everything` again), and an incremental push of
# one day's corrected back pain. Each a whole process, median of RUNS.
# Needs: cargo build --release --bin recovery-tracker; hfs on the PATH (or
# RECOVERY_TRACKER_HFS) and RECOVERY_TRACKER_HFS_DATA, as for tests/sync.rs;
# sqlite3 to correct the day.
#   tools/sync-push.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
hfs=${RECOVERY_TRACKER_HFS:-hfs}
data=${RECOVERY_TRACKER_HFS_DATA:?set RECOVERY_TRACKER_HFS_DATA to the folder with search-parameters-r4.json}
app=target/release/recovery-tracker
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server=http://127.0.0.1:$port
"$hfs" --host 127.0.0.1 --port "$port" --data-dir "$data" --database-url "$work/fhir.db" \
    --base-url "$server" --log-level error >/dev/null 2>&1 &
hfs_pid=$!
trap 'kill $hfs_pid 2>/dev/null; wait $hfs_pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "$server/metadata" >/dev/null; do sleep 0.1; done
db=$work/patient.db
"$app" --db "$db" --today 2026-11-25 demo --patients 1 --days 730 >/dev/null
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
push() { "$app" --db "$db" --today 2026-11-25 sync push --server "$server" --patient 1 "$@"; }
first=$(ms push)
full=() incremental=()
for i in $(seq "$runs"); do
    full+=("$(ms push --everything)")
    sqlite3 "$db" "UPDATE check_in SET back_pain = $((i % 2 + 3)) WHERE patient_id = 1 AND day = '2026-01-10'"
    incremental+=("$(ms push)")
done
echo "sync push of the two-year demo patient to a local Helios FHIR Server, median of $runs (ms):"
echo "  first push (10,775 resources created):  $first"
echo "  everything again (10,775 updated):      $(median "${full[@]}")   (${full[*]})"
echo "  one day's correction (1 updated):       $(median "${incremental[@]}")   (${incremental[*]})"

#!/usr/bin/env bash
# Renders the application icon (assets/icons/<app id>.svg) to the PNG sizes
# of the hicolor icon theme:
#
#   assets/icons/hicolor/<N>x<N>/apps/<app id>.png   for N in 16 … 512
#
#   tools/icons.sh
#
# Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin). Fails when
# it is missing or a size cannot be made; never leaves a stale PNG silently.
set -euo pipefail
cd "$(dirname "$0")/.."
id=io.github.recovery_tracker.RecoveryTracker
svg=assets/icons/$id.svg
command -v rsvg-convert >/dev/null || {
    echo "rsvg-convert is missing: apt-get install librsvg2-bin" >&2
    exit 1
}
[ -f "$svg" ] || { echo "no icon at $svg" >&2; exit 1; }
for n in 16 24 32 48 64 128 256 512; do
    dir=assets/icons/hicolor/${n}x${n}/apps
    mkdir -p "$dir"
    rm -f "$dir/$id.png"
    rsvg-convert --width "$n" --height "$n" --format png --output "$dir/$id.png" "$svg"
    echo "$dir/$id.png"
done

#!/usr/bin/env bash
# A screenshot of the app in a real window on a virtual X display.
#
#   tools/screenshot.sh OUT.png [app arguments...]
#
# Runs target/debug/recovery-tracker (APP=path for another binary) with the
# given arguments under Xvfb at SHOT_SIZE (default 1280x800), waits
# SHOT_WAIT seconds (default 5), optionally drives the window with the
# xdotool commands in SHOT_KEYS (e.g. SHOT_KEYS='key ctrl+2 sleep 1'),
# saves the window to OUT.png and stops the app.
#
# Installs Xvfb, ImageMagick, xdotool and Mesa's software GL with apt-get
# when they are missing. Exits non-zero when anything needed is missing or
# the display does not start: a check that cannot run fails, it never
# passes silently.
set -euo pipefail
out=${1:?usage: tools/screenshot.sh OUT.png [app arguments...]}
shift
app=${APP:-target/debug/recovery-tracker}
wait_s=${SHOT_WAIT:-5}
size=${SHOT_SIZE:-1280x800}

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
{ command -v import >/dev/null && import -version 2>/dev/null | grep -q ImageMagick; } || need+=(imagemagick)
command -v xdotool >/dev/null || need+=(xdotool)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || need+=(libgl1-mesa-dri libglx-mesa0 libegl1 libegl-mesa0)
dpkg -s libxkbcommon-x11-0 >/dev/null 2>&1 || need+=(libxkbcommon-x11-0)
dpkg -s libxcursor1 >/dev/null 2>&1 || need+=(libxcursor1 libxrandr2 libxi6)
if [ ${#need[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
        echo "screenshot.sh needs ${need[*]}; install them (apt-get install ${need[*]})" >&2
        exit 1
    fi
    echo "installing: ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -x "$app" ] || { echo "no binary at $app: run 'cargo build' first (or set APP=)" >&2; exit 1; }

disp=99
while [ -e "/tmp/.X${disp}-lock" ]; do disp=$((disp + 1)); done
log=$(mktemp)
Xvfb ":$disp" -screen 0 "${size}x24" -nolisten tcp >"$log.xvfb" 2>&1 &
xvfb_pid=$!
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
    rm -f "$log" "$log.xvfb"
}
trap cleanup EXIT
for _ in $(seq 50); do
    [ -e "/tmp/.X11-unix/X$disp" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
done
if ! kill -0 "$xvfb_pid" 2>/dev/null || [ ! -e "/tmp/.X11-unix/X$disp" ]; then
    echo "Xvfb did not start on :$disp:" >&2
    cat "$log.xvfb" >&2
    exit 1
fi

env -u WAYLAND_DISPLAY DISPLAY=":$disp" LIBGL_ALWAYS_SOFTWARE=1 \
    XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}" "$app" "$@" >"$log" 2>&1 &
app_pid=$!
sleep "$wait_s"
if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "the app exited before the screenshot; its output:" >&2
    cat "$log" >&2
    exit 1
fi
win=$(DISPLAY=":$disp" timeout 5 xdotool search --sync --onlyvisible --pid "$app_pid" 2>/dev/null | tail -1 || true)
if [ -n "${SHOT_KEYS:-}" ]; then
    # Without a window manager, typed keys are lost unless the window has focus.
    [ -n "$win" ] && DISPLAY=":$disp" xdotool windowfocus --sync "$win" 2>/dev/null || true
    # shellcheck disable=SC2086
    DISPLAY=":$disp" xdotool $SHOT_KEYS
    sleep 1
fi
DISPLAY=":$disp" import -window "${win:-root}" "$out"
echo "saved $out"

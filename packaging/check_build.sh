#!/usr/bin/env bash
# Check the built archive the way a user gets it (issue 22): unpack it into a temporary folder and run
# the frozen program with a clean environment (env -i: no virtual environment, no PYTHONPATH, nothing
# from the source tree; run from the temporary folder), offline where the system allows it
# (a network namespace with no network: unshare -n), with a fresh HOME so that no cache from an
# earlier run (converted weights, sample dataset) can hide a file missing from the build.
#   1. --screenshot: the window renders; it loads the sample dataset (built from scikit-image's
#      photographs inside the build) and the backbone's layer table, which the engine process
#      computes, so the frozen program must start its own engine process;
#   2. train SAMPLE --out M (the sample dataset the window just built, 1 epoch);
#   3. predict M img;
#   4. install.sh adds the menu launcher and its icon (into a temporary XDG_DATA_HOME) and removes them.
# Not part of the README's test suite (minutes of CPU). Usage: packaging/check_build.sh [ARCHIVE]
# KEEP=1 keeps the temporary folder. Prints the cold start (first launch after unpacking) and timings.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ARCHIVE=${1:-$(ls -t "$ROOT"/dist/FinetuneStudio-*-linux-*.tar.gz 2>/dev/null | awk 'NR == 1')}
[ -f "$ARCHIVE" ] || { echo "check_build.sh: no archive; run packaging/build.sh first" >&2; exit 2; }
ARCHIVE=$(cd "$(dirname "$ARCHIVE")" && pwd)/$(basename "$ARCHIVE")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fts-check.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
echo "check_build.sh: $(du -h "$ARCHIVE" | cut -f1) $ARCHIVE -> $WORK"
tar -xzf "$ARCHIVE"
mkdir home
APP=./FinetuneStudio/FinetuneStudio

OFFLINE=()
if unshare -n true 2>/dev/null; then OFFLINE=(unshare -n)
elif unshare -rn true 2>/dev/null; then OFFLINE=(unshare -rn)
else echo "check_build.sh: cannot make a network namespace here; running with the network (offline not proven)"
fi
run() { env -i HOME="$WORK/home" QT_QPA_PLATFORM=offscreen "${OFFLINE[@]}" "$@"; }
fail() { echo "check_build.sh: FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t=$(now)
run "$APP" --help > help.txt || fail "--help"
grep -q "train" help.txt || fail "--help does not list the commands"
echo "check_build.sh: cold start of the command line (--help, first launch): $(took "$t") s"

t=$(now)
run "$APP" --screenshot "$WORK/out.png" --size 1280x800 2>&1 | tee screenshot.log || fail "--screenshot"
echo "check_build.sh: --screenshot took $(took "$t") s in all"
[ -s "$WORK/out.png" ] || fail "no screenshot written"
head -c 8 "$WORK/out.png" | od -An -c | grep -q "P   N   G" || fail "out.png is not a PNG"
# the Chinese window (gui/language.py): the app's and Qt's translations inside the build
find ./FinetuneStudio -name finetune_studio_zh_CN.qm | grep -q . || fail "no finetune_studio_zh_CN.qm in the build"
find ./FinetuneStudio -name qtbase_zh_CN.qm | grep -q . || fail "no qtbase_zh_CN.qm in the build (Qt's buttons would stay English)"
LOG=$(ls "$WORK"/home/.local/share/finetune-studio/*.log "$WORK"/home/.local/share/finetune-studio/*/*.log 2>/dev/null | head -1 || true)
if [ -n "$LOG" ] && grep -q "engine process started" "$LOG"; then
    echo "check_build.sh: engine process started ($(grep -m1 'engine process started' "$LOG"))"
else
    fail "no 'engine process started' in the app's log ($LOG)"
fi
# The window waits for the layer table, which only the engine process can compute: not ready = no engine.
grep -iE "Traceback|ModuleNotFoundError|engine process stopped|was not ready" "$LOG" && fail "errors in the app's log $LOG"
SAMPLE="$WORK/home/.local/share/finetune-studio/sample-dataset"
[ -d "$SAMPLE" ] || fail "the window did not build the sample dataset at $SAMPLE"

t=$(now)
run "$APP" train "$SAMPLE" --out "$WORK/M" --epochs 1 --warmup-epochs 0 2>&1 | tail -n 5 || fail "train"
echo "check_build.sh: train (1 epoch) took $(took "$t") s"
[ -d "$WORK/M" ] || fail "train wrote no bundle"

IMG=$(find "$SAMPLE/grass" -type f | sort | awk 'NR == 1')
cp "$IMG" "$WORK/img.${IMG##*.}"
t=$(now)
run "$APP" predict "$WORK/M" "$WORK/img.${IMG##*.}" | tee predict.txt || fail "predict"
echo "check_build.sh: predict took $(took "$t") s"
grep -qE "brick|grass|gravel|tissue" predict.txt || fail "predict named no class"
XDG_DATA_HOME="$WORK/xdg" ./install.sh > /dev/null || fail "install.sh"
grep -q "^Exec=\"$WORK/FinetuneStudio/FinetuneStudio\"$" "$WORK/xdg/applications/finetune-studio.desktop" \
    || fail "install.sh wrote no launcher for $WORK/FinetuneStudio/FinetuneStudio"
[ -s "$WORK/xdg/icons/hicolor/scalable/apps/finetune-studio.svg" ] || fail "install.sh installed no icon"
XDG_DATA_HOME="$WORK/xdg" ./install.sh --uninstall > /dev/null || fail "install.sh --uninstall"
[ ! -e "$WORK/xdg/applications/finetune-studio.desktop" ] || fail "install.sh --uninstall left the launcher"
echo "check_build.sh: install.sh adds and removes the menu launcher"
echo "check_build.sh: OK (screenshot $WORK/out.png$([ "${KEEP:-0}" = 1 ] || echo ', removed with the folder'))"

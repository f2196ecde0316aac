#!/usr/bin/env bash
# One command: build the self-contained desktop app (dist/FinetuneStudio/, its own Python, TensorFlow,
# Qt and the offline weights) and the archive users download:
#   dist/FinetuneStudio-<version>-<os>-<arch>.tar.gz  =  FinetuneStudio/ + install.sh
# The build uses its own virtual environment (.buildvenv, made on first use) so PyInstaller and the
# exact packages frozen into the app never touch a development environment.
# Usage: packaging/build.sh        (PYTHON=/path/to/python to freeze another environment's packages)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
NAME=FinetuneStudio
start=$(date +%s)

PY=${PYTHON:-$ROOT/.buildvenv/bin/python}
if [ ! -x "$PY" ]; then
    echo "build.sh: making the build environment .buildvenv (once)"
    python3 -m venv "$ROOT/.buildvenv"
    "$ROOT/.buildvenv/bin/pip" install -e . pyinstaller
fi
VERSION=$("$PY" -c "import importlib.metadata as m; print(m.version('finetune-studio'))")
case "$(uname -s)" in
    Linux) OS=linux ;;
    Darwin) OS=macos ;;
    *) OS=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
esac
ARCH=$(uname -m)

# The Windows and macOS icons (.ico/.icns) are converted by PyInstaller from this PNG; Linux menus use the SVG.
mkdir -p build
QT_QPA_PLATFORM=offscreen "$PY" - <<'PYEOF'
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

app = QGuiApplication([])
image = QImage(512, 512, QImage.Format.Format_ARGB32)
image.fill(Qt.GlobalColor.transparent)
painter = QPainter(image)
QSvgRenderer("resources/icons/app.svg").render(painter)
painter.end()
assert image.save("build/icon-512.png"), "could not write build/icon-512.png"
PYEOF

"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/$NAME.spec
if [ "$OS" = linux ] && command -v strip >/dev/null && command -v readelf >/dev/null; then
    # TensorFlow's libraries ship with their full static symbol tables (about 250 MB, a third of it
    # in the archive), used only by debuggers; the dynamic symbols that loading needs stay.
    find "dist/$NAME/_internal/tensorflow" -type f -name "*.so*" -print0 | while IFS= read -r -d '' lib; do
        if readelf -S "$lib" 2>/dev/null | grep -q '\.symtab'; then strip --strip-unneeded "$lib"; fi
    done
fi
built=$(date +%s)

ARCHIVE="dist/$NAME-$VERSION-$OS-$ARCH.tar.gz"
if [ "$OS" = macos ]; then
    tar -czf "$ARCHIVE.part" -C dist "$NAME.app"
else
    tar -czf "$ARCHIVE.part" -C dist "$NAME" -C "$ROOT/packaging" install.sh
fi
mv "$ARCHIVE.part" "$ARCHIVE"  # never a half-written archive under the final name
end=$(date +%s)

echo "build.sh: $(du -sh "dist/$NAME" | cut -f1) in dist/$NAME, archive $ARCHIVE $(du -h "$ARCHIVE" | cut -f1)"
echo "build.sh: PyInstaller $((built - start)) s, archive $((end - built)) s, total $((end - start)) s"

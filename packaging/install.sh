#!/bin/sh
# Put Finetune Studio in your application menu, no root needed: a launcher (.desktop file) in
# ~/.local/share/applications and the app's icon beside it. The app itself stays in this folder:
# move the unpacked folder where you want to keep it first, then run ./install.sh.
#   ./install.sh              add the launcher (run again after moving the folder)
#   ./install.sh --uninstall  remove the launcher and the icon (the app folder and your data stay)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
APP="$HERE/FinetuneStudio/FinetuneStudio"
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
DESKTOP="$DATA/applications/finetune-studio.desktop"
ICON="$DATA/icons/hicolor/scalable/apps/finetune-studio.svg"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DESKTOP" "$ICON"
    echo "Removed the Finetune Studio launcher. The app folder $HERE was left as it is."
    exit 0
fi
if [ ! -x "$APP" ]; then
    echo "install.sh: $APP not found; run install.sh from the folder the archive was unpacked into" >&2
    exit 2
fi
mkdir -p "$DATA/applications" "$(dirname "$ICON")"
cp "$HERE/FinetuneStudio/_internal/resources/icons/app.svg" "$ICON.part" && mv "$ICON.part" "$ICON"
# The Desktop Entry spec: a quoted Exec argument escapes ", `, $ and \ with a backslash.
exec_path=$(printf '%s' "$APP" | sed -e 's/[\\"`$]/\\&/g')
cat > "$DESKTOP.part" <<DESKTOP_EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=Finetune Studio
GenericName=Image classifier trainer
Comment=Fine-tune pretrained image classifiers on your own image folders
Exec="$exec_path"
Icon=$ICON
Terminal=false
Categories=Science;Education;Graphics;
DESKTOP_EOF
chmod +x "$DESKTOP.part"
mv "$DESKTOP.part" "$DESKTOP"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
echo "Finetune Studio is in your application menu ($DESKTOP)."
echo "Command line: \"$APP\" --help"

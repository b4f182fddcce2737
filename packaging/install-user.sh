#!/usr/bin/env bash
# Install Relationship Notebook for the current user only (no root needed), on Linux.
#
#   ./install-user.sh              from the unpacked tarball (this script sits in the app folder)
#   packaging/install-user.sh      from a source checkout, after packaging/build.sh
#   ./install-user.sh --uninstall  remove it again (your notebooks and settings stay)
#
# Puts the app folder in ~/.local/opt/relnotebook, a `relnotebook` launcher in ~/.local/bin,
# the desktop file in ~/.local/share/applications (so the launcher lists it and "Open with"
# offers it for .vcf files), the icons in ~/.local/share/icons/hicolor and the AppStream
# metainfo in ~/.local/share/metainfo. Honours XDG_DATA_HOME; APP_DIR=... names the app folder.
set -euo pipefail

app_id=io.github.relnotebook.RelationshipNotebook
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
opt_dir=$HOME/.local/opt/relnotebook
bin_dir=$HOME/.local/bin
launcher=$bin_dir/relnotebook
desktop_file=$data_home/applications/$app_id.desktop
metainfo_file=$data_home/metainfo/$app_id.metainfo.xml
icon_root=$data_home/icons/hicolor

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$data_home/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icon_root/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$icon_root" 2>/dev/null || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$opt_dir"
    rm -f "$desktop_file" "$metainfo_file"
    if [ -f "$launcher" ] && grep -q "relnotebook-launcher" "$launcher"; then
        rm -f "$launcher"
    fi
    find "$icon_root" -name "$app_id.*" -type f -delete 2>/dev/null || true
    refresh_caches
    echo "Relationship Notebook is uninstalled. Your notebooks are still in" \
         "${XDG_DATA_HOME:-$HOME/.local/share}/relnotebook."
    exit 0
fi

# The built app folder: beside this script (tarball), or dist/relnotebook (source checkout).
app_dir=${APP_DIR:-}
if [ -z "$app_dir" ]; then
    if [ -x "$here/relnotebook" ] && [ -d "$here/_internal" ]; then
        app_dir=$here
    elif [ -x "$here/../dist/relnotebook/relnotebook" ]; then
        app_dir=$(cd "$here/../dist/relnotebook" && pwd)
    else
        echo "install-user.sh: no built app found; run packaging/build.sh first" \
             "(or set APP_DIR to the app folder)" >&2
        exit 1
    fi
fi
# The desktop files: in the app folder (tarball) or in packaging/ (source checkout).
share_src=$app_dir
[ -f "$share_src/$app_id.desktop" ] || share_src=$here
icons_src=$app_dir/_internal/resources/icons/hicolor
[ -d "$icons_src" ] || icons_src=$here/../resources/icons/hicolor

# The app folder, replaced whole (never mixed with an older version's files).
mkdir -p "$(dirname "$opt_dir")"
staging=$(mktemp -d "$(dirname "$opt_dir")/.relnotebook-new.XXXXXX")
cp -a "$app_dir/." "$staging/"
rm -rf "$opt_dir"
mv "$staging" "$opt_dir"
chmod 755 "$opt_dir"

mkdir -p "$bin_dir"
cat > "$launcher" <<LAUNCHER
#!/bin/sh
# relnotebook-launcher: written by install-user.sh; starts the app installed in $opt_dir
exec "$opt_dir/relnotebook" "\$@"
LAUNCHER
chmod 755 "$launcher"

# The desktop file runs the launcher by its full path: a desktop session's PATH may lack
# ~/.local/bin. Quoted for the Desktop Entry spec (a home folder may contain spaces).
exec_path=$(printf '%s' "$launcher" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/%/%%/g')
mkdir -p "$(dirname "$desktop_file")"
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        Exec=*) printf 'Exec="%s" %%f\n' "$exec_path" ;;
        TryExec=*) printf 'TryExec=%s\n' "$launcher" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$share_src/$app_id.desktop" > "$desktop_file"
mkdir -p "$(dirname "$metainfo_file")"
cp "$share_src/$app_id.metainfo.xml" "$metainfo_file"

for icon in "$icons_src"/*/apps/"$app_id".*; do
    size_dir=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$icon_root/$size_dir/apps"
    cp "$icon" "$icon_root/$size_dir/apps/"
done
refresh_caches

echo "Installed Relationship Notebook in $opt_dir"
echo "  command:  $launcher"
echo "  launcher: $desktop_file"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "  note: $bin_dir is not on your PATH; add it to use \`relnotebook\` in a terminal." ;;
esac

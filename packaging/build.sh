#!/usr/bin/env bash
# Build the self-contained app folder dist/relnotebook/ and the tarball beside it.
#
#   packaging/build.sh                    (from anywhere; PYTHON=... picks the interpreter)
#
# Needs the project installed with its packaging extra:  python -m pip install -e '.[packaging]'
# Steps: PyInstaller with packaging/relnotebook.spec; the desktop file, the AppStream metainfo
# and install-user.sh are copied into the folder; the built binary runs `--smoke` offscreen
# (SKIP_SMOKE=1 skips it); then dist/relnotebook-<version>-<os>-<arch>.tar.gz is written.
# DIST=... and WORK=... move the output and PyInstaller's work folder (default dist/, build/).
# Linux and macOS; on Windows run the PyInstaller line below by hand.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"

if [ -z "${PYTHON:-}" ]; then
    if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
        PYTHON="$VIRTUAL_ENV/bin/python"
    elif command -v python >/dev/null 2>&1; then
        PYTHON=python
    else
        PYTHON=python3
    fi
fi
if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
    echo "build.sh: PyInstaller is not installed for $PYTHON;" \
         "run: $PYTHON -m pip install -e '.[packaging]'" >&2
    exit 1
fi

version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' relnotebook/__init__.py)
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
app_id=io.github.relnotebook.RelationshipNotebook
started=$(date +%s)

echo "Building Relationship Notebook $version for $os-$arch with $("$PYTHON" -m PyInstaller --version)"
dist=${DIST:-dist}
work=${WORK:-build/pyinstaller}
rm -rf "$dist/relnotebook" "$work"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" packaging/relnotebook.spec

app=$dist/relnotebook
cp packaging/install-user.sh "$app/"
cp "packaging/$app_id.desktop" "packaging/$app_id.metainfo.xml" "$app/"
chmod +x "$app/install-user.sh" "$app/relnotebook"

if [ "${SKIP_SMOKE:-0}" != 1 ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    # A private HOME: the smoke run never touches the builder's notebooks or settings.
    HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
        XDG_STATE_HOME="$scratch/state" XDG_CACHE_HOME="$scratch/cache" \
        QT_QPA_PLATFORM=offscreen \
        "$app/relnotebook" --smoke --notebook "$scratch/smoke.sqlite"
    echo "smoke: $app/relnotebook --smoke passed"
fi

tarball="$dist/relnotebook-$version-$os-$arch.tar.gz"
tar_flags=()
if tar --version 2>/dev/null | grep -q "GNU tar"; then
    tar_flags=(--sort=name --owner=0 --group=0 --numeric-owner)
fi
tar ${tar_flags[@]+"${tar_flags[@]}"} -C "$dist" -czf "$tarball" relnotebook

elapsed=$(( $(date +%s) - started ))
echo "app folder: $app ($(du -sh "$app" | cut -f1))"
echo "tarball:    $tarball ($(du -h "$tarball" | cut -f1))"
echo "built in ${elapsed}s"

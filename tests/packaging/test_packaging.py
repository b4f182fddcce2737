"""Packaging: the desktop file, the AppStream metainfo, the icons, the per-user install and, when
asked for (slow), a real PyInstaller build whose binary passes ``--smoke`` offscreen.

The slow test runs with ``RELNOTEBOOK_SLOW=1`` or ``-m slow``; it needs PyInstaller
(``pip install -e '.[packaging]'``) and takes about two minutes. The validators are Debian's
``desktop-file-utils`` and ``appstream``: without them those two tests skip.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from relnotebook import __version__
from relnotebook.ui.icons import APP_ID, APP_SIZES

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons"
EXCLUDED_QT = re.compile(r"Qt6(Qml|Quick|Pdf|WebEngine)|libqpdf|/qml/", re.IGNORECASE)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: desktop-file-utils / appstream)")
    return path


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


# --- the desktop file and the metainfo ----------------------------------------------------------


def test_desktop_file_validates():
    result = subprocess.run([_tool("desktop-file-validate"), str(DESKTOP)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_file_opens_vcards_with_the_app():
    entry = _desktop_entry(DESKTOP)
    assert entry["Exec"] == "relnotebook %f"  # DESIGN.md §6: relnotebook FILE.vcf imports it
    assert set(entry["MimeType"].rstrip(";").split(";")) == {"text/vcard", "text/x-vcard"}
    assert entry["Icon"] == APP_ID
    assert entry["StartupWMClass"] == "relnotebook"  # Qt's WM_CLASS: the application name
    assert "Office" in entry["Categories"].split(";")


def test_metainfo_validates():
    result = subprocess.run([_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_names_this_release_the_desktop_file_and_the_vcard_type():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP.name
    releases = root.findall("releases/release")
    assert releases[0].get("version") == __version__
    assert releases[0].find("description/ul/li") is not None  # release notes
    assert {m.text for m in root.findall("provides/mediatype")} == {"text/vcard", "text/x-vcard"}
    assert root.findtext("provides/binary") == "relnotebook"


# --- icons --------------------------------------------------------------------------------------


def test_app_icon_svg_and_every_png_size():
    svg = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert ET.parse(svg).getroot().tag.endswith("svg")
    for size in APP_SIZES:
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png) == (size, size)


def test_windows_ico_and_macos_icns_hold_the_sizes_they_need():
    ico = (ICONS / "relnotebook.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    icns = (ICONS / "relnotebook.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, offset = set(), 8
    while offset < len(icns):
        kinds.add(icns[offset:offset + 4].decode())
        offset += struct.unpack(">I", icns[offset + 4:offset + 8])[0]
    assert {"icp4", "icp5", "ic07", "ic08", "ic09", "ic10"} <= kinds


def test_spec_excludes_qml_quick_pdf_and_webengine():
    spec = (PACKAGING / "relnotebook.spec").read_text()
    for module in ("QtQml", "QtQuick", "QtPdf", "QtWebEngineCore", "QtWebEngineWidgets"):
        assert f'"{module}"' in spec, module


# --- the per-user install -----------------------------------------------------------------------


def _fake_app(folder: Path) -> Path:
    """An app folder shaped like PyInstaller's, whose binary records its arguments."""
    app = folder / "relnotebook"
    (app / "_internal").mkdir(parents=True)
    binary = app / "relnotebook"
    binary.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$HOME/args.txt"\n')
    binary.chmod(0o755)
    shutil.copytree(ICONS / "hicolor", app / "_internal" / "resources" / "icons" / "hicolor")
    return app


def _install_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    return env


def _run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120,
                          **kwargs)


def test_scripts_are_valid_bash():
    for script in ("build.sh", "install-user.sh"):
        result = subprocess.run(["bash", "-n", str(PACKAGING / script)], capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stderr
        assert os.access(PACKAGING / script, os.X_OK), f"{script} is not executable"


def test_install_user_puts_everything_in_place_and_uninstall_removes_it(tmp_path):
    home = tmp_path / "home with space"
    home.mkdir()
    app = _fake_app(tmp_path / "dist")
    env = _install_env(home) | {"APP_DIR": str(app)}
    result = _run(["bash", str(PACKAGING / "install-user.sh")], env)
    assert result.returncode == 0, result.stderr
    local = home / ".local"
    assert (local / "opt/relnotebook/relnotebook").is_file()
    launcher = local / "bin/relnotebook"
    assert os.access(launcher, os.X_OK)
    assert _run([str(launcher), "/tmp/Zoë card.vcf"], env).returncode == 0
    assert (home / "args.txt").read_text(encoding="utf-8") == "/tmp/Zoë card.vcf\n"
    desktop = local / "share/applications" / DESKTOP.name
    entry = _desktop_entry(desktop)
    assert entry["Exec"] == f'"{launcher}" %f'
    assert entry["TryExec"] == str(launcher)
    assert entry["MimeType"] == _desktop_entry(DESKTOP)["MimeType"]
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                               text=True)
        assert check.returncode == 0, check.stdout
    assert (local / "share/metainfo" / METAINFO.name).is_file()
    for size in APP_SIZES:
        assert (local / f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (local / f"share/icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()

    again = _run(["bash", str(PACKAGING / "install-user.sh")], env)  # over an older install
    assert again.returncode == 0, again.stderr

    gone = _run(["bash", str(PACKAGING / "install-user.sh"), "--uninstall"], env)
    assert gone.returncode == 0, gone.stderr
    assert not (local / "opt/relnotebook").exists()
    assert not launcher.exists() and not desktop.exists()
    assert not list((local / "share/icons").rglob(f"{APP_ID}.*"))


def test_install_user_without_a_build_says_what_to_do(tmp_path):
    lonely = tmp_path / "packaging"
    lonely.mkdir()
    shutil.copy(PACKAGING / "install-user.sh", lonely)
    result = _run(["bash", str(lonely / "install-user.sh")], _install_env(tmp_path))
    assert result.returncode == 1
    assert "packaging/build.sh" in result.stderr


# --- the real build (slow) ----------------------------------------------------------------------


def _slow_wanted(config: pytest.Config) -> bool:
    markexpr = config.getoption("markexpr", "") or ""
    return os.environ.get("RELNOTEBOOK_SLOW") == "1" or (
        "slow" in markexpr and "not slow" not in markexpr)


@pytest.mark.slow
def test_build_the_app_folder_and_smoke_the_binary(request, tmp_path):
    if not _slow_wanted(request.config):
        pytest.skip("slow: set RELNOTEBOOK_SLOW=1 or run with -m slow")
    dist = tmp_path / "dist"
    env = dict(os.environ, PYTHON=sys.executable, DIST=str(dist), WORK=str(tmp_path / "work"))
    build = subprocess.run(["bash", str(PACKAGING / "build.sh")], env=env, capture_output=True,
                           text=True, timeout=1500)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    print(build.stdout[-400:])
    app = dist / "relnotebook"
    binary = app / "relnotebook"
    assert os.access(binary, os.X_OK)
    assert (dist / f"relnotebook-{__version__}-linux-{os.uname().machine}.tar.gz").is_file()
    assert not [p for p in app.rglob("*") if EXCLUDED_QT.search(f"/{p.relative_to(app)}")]

    run_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RELNOTEBOOK_SMOKE_REPORT="1")
    smoke = subprocess.run([str(binary), "--smoke", "--notebook", str(tmp_path / "n.sqlite")],
                           env=run_env, capture_output=True, text=True, timeout=120)
    assert smoke.returncode == 0, smoke.stderr
    report = json.loads(smoke.stdout.strip().splitlines()[-1])
    assert Path(report["resources"]).is_relative_to(app)
    assert report["app_icon_sizes"] == list(APP_SIZES)
    assert report["ui_icon"] is True
    assert {"PySide6 (Qt for Python)", "peewee", "platformdirs", "vobject"} <= set(
        report["libraries"])
    assert all(report["libraries"].values()), report["libraries"]

    card = tmp_path / "zoe.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nORG:Acme\r\n"
                    "END:VCARD\r\n", encoding="utf-8")
    verbs = subprocess.run([str(binary), "import", str(card), "--notebook",
                            str(tmp_path / "n.sqlite")], env=run_env, capture_output=True,
                           text=True, timeout=120)
    assert verbs.returncode == 0 and "added 1" in verbs.stdout, verbs.stderr

    home = tmp_path / "home"
    home.mkdir()
    install = _run(["bash", str(app / "install-user.sh")], _install_env(home))
    assert install.returncode == 0, install.stderr
    launched = _run([str(home / ".local/bin/relnotebook"), "--smoke", "--notebook",
                     str(tmp_path / "n.sqlite")], _install_env(home) | {
                         "QT_QPA_PLATFORM": "offscreen"})
    assert launched.returncode == 0, launched.stderr

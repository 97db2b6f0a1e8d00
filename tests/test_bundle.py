"""The offline bundle (`make bundle`, issue 21): built here, installed with the network cut, used as a user would.

The slow tests build dist/offline/ once (that step may fetch wheels from the package index, as `make bundle` does),
then install it into fresh folders under a throwaway HOME with no network at all: `unshare -n` where this machine
allows it, else PIP_NO_INDEX and a proxy that answers nothing. The quick tests run the installer's Python check and
the bundle's resolver on their own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nhfind.core.db.write import build
from tests.conftest import FIXTURE_DATA, ROOT

SH = shutil.which("sh") or "/bin/sh"
SPREADSHEET = ROOT / "tests" / "hsds" / "fixtures" / "spreadsheet.csv"


def _load_bundle_script() -> ModuleType:  # scripts/ is not a package
    spec = importlib.util.spec_from_file_location("nhfind_bundle_script", ROOT / "scripts" / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _network_can_be_cut() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


CUT = ["unshare", "-n"] if _network_can_be_cut() else []


def _user_env(home: Path, **extra: str) -> dict[str, str]:
    """A laptop user's environment: their own HOME, no nhfind or pip settings from this test run."""
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    if not CUT:  # no network namespace: make any attempt to reach an index fail at once
        unreachable = "http://127.0.0.1:9"
        env |= {"PIP_NO_INDEX": "1", "HTTP_PROXY": unreachable, "HTTPS_PROXY": unreachable, "ALL_PROXY": unreachable}
    return env | extra


def _offline(args: list[str | Path], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CUT, *map(str, args)], env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "offline"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bundle.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out


# -- slow: the real bundle, installed offline -----------------------------------------------------------------


@pytest.mark.slow
def test_the_bundle_holds_every_wheel_its_installers_and_plain_instructions(bundle: Path) -> None:
    assert {p.name for p in bundle.iterdir()} == {
        "README.txt", "install.sh", "install.ps1", "install.py", "SHA256SUMS", "wheels"
    }  # fmt: skip
    wheels = sorted(p.name for p in (bundle / "wheels").glob("*.whl"))
    names = {w.split("-")[0].lower() for w in wheels}
    assert {"nhfind", "typer", "textual", "rich", "sqlite_utils", "segno", "platformdirs", "tzdata"} <= names
    with __import__("zipfile").ZipFile(next((bundle / "wheels").glob("nhfind-*.whl"))) as own:
        assert "nhfind/_data/nhfind.db" in own.namelist()  # the database travels inside nhfind's wheel
        assert any(n.endswith(".data/data/share/man/man1/nhfind.1") for n in own.namelist())  # `man nhfind`
    readme = (bundle / "README.txt").read_text(encoding="utf-8")
    assert "Python 3.11, 3.12, 3.13 and 3.14" in readme and "Linux, macOS and Windows" in readme
    assert "pure Python" in readme and all(w in readme for w in wheels)
    for words in ("sh install.sh", "install.ps1", "nhfind db update", "Remove nhfind"):
        assert words in readme
    for script in ("install.sh", "install.ps1"):
        text = (bundle / script).read_text(encoding="utf-8")
        assert "@VERIFY@" not in text and "SHA256SUMS" in text
    # coreutils reads the same file, so a user can check a copy by hand
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=bundle).returncode == 0


@pytest.fixture(scope="module")
def installed(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`sh install.sh` as README.txt says, under a fresh HOME: (that HOME, what the installer said)."""
    home = tmp_path_factory.mktemp("laptop") / "home"
    home.mkdir()
    proc = _offline([SH, bundle / "install.sh"], _user_env(home))
    assert proc.returncode == 0, proc.stderr
    return home, proc


@pytest.mark.slow
def test_sh_install_sh_gives_a_working_nhfind_with_the_network_cut(
    installed: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    home, proc = installed
    env = _user_env(home)
    assert "next steps:" in proc.stdout and "search shelter" in proc.stdout
    launcher = home / ".local" / "bin" / "nhfind"
    assert f"launcher: {launcher}" in proc.stdout
    assert (home / "nhfind" / "pyvenv.cfg").is_file()

    result = _offline([launcher, "search", "shelter", "--format", "json"], env)
    assert result.returncode == 0, result.stderr
    assert "emergency-shelter" in {r["id"] for r in json.loads(result.stdout)}
    # the interactive finder's code and Textual came along too
    python = home / "nhfind" / "bin" / "python"
    tui = _offline([python, "-c", "import nhfind.tui.app, textual; print(textual.__version__)"], env)
    assert tui.returncode == 0, tui.stderr


@pytest.mark.slow
def test_an_upgrade_that_would_delete_the_data_folder_is_refused(
    bundle: Path, installed: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    home, _ = installed
    inside = home / "nhfind" / "my-data"  # NHFIND_DATA_DIR inside the install folder, which an upgrade makes anew
    proc = _offline([SH, bundle / "install.sh"], _user_env(home, NHFIND_DATA_DIR=str(inside)))
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert f"your data folder {inside} is inside {home / 'nhfind'}" in proc.stderr
    assert (home / "nhfind" / "bin" / "nhfind").exists()  # nothing was touched


@pytest.mark.slow
def test_upgrading_keeps_imported_records_and_installed_data_updates(
    bundle: Path, installed: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    home, _ = installed
    env = _user_env(home)
    nhfind = home / ".local" / "bin" / "nhfind"
    assert _offline([nhfind, "import", SPREADSHEET], env).returncode == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    build(FIXTURE_DATA, usb / "nhfind.db")
    digest = hashlib.sha256((usb / "nhfind.db").read_bytes()).hexdigest()
    (usb / "SHA256SUMS").write_text(f"{digest}  nhfind.db\n", encoding="utf-8")
    update = _offline([nhfind, "db", "update", usb], env)
    assert update.returncode == 0, update.stderr
    layers_before = _offline([nhfind, "db", "layers"], env).stdout

    again = _offline([SH, bundle / "install.sh"], env)
    assert again.returncode == 0, again.stderr
    data_dir = home / ".local" / "share" / "nhfind"
    assert "reinstalling nhfind" in again.stdout and f"in {data_dir} are kept" in again.stdout

    assert _offline([nhfind, "db", "layers"], env).stdout == layers_before
    result = _offline([nhfind, "search", "--limit", "100", "--format", "json"], env)
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert {"maple-safe-rooms", "local-maple-test-drop-in-centre"} <= ids  # the imported records
    assert "test-primary-care" in ids and "emergency-shelter" not in ids  # the coordinator's update, not the bundled


@pytest.mark.slow
def test_a_damaged_wheel_stops_the_install_with_one_line_before_anything_is_made(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "usb-copy"
    shutil.copytree(bundle, copy)
    wheel = next((copy / "wheels").glob("textual-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit, as a failing stick does
    wheel.write_bytes(bytes(data))
    home = tmp_path / "home"
    home.mkdir()
    proc = _offline([SH, copy / "install.sh"], _user_env(home))
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"install.sh: wheels/{wheel.name} is damaged (its checksum does not match SHA256SUMS): "
        "copy the whole bundle folder again from the original"
    ]
    assert list(home.iterdir()) == []  # no environment, no launcher


@pytest.mark.slow
def test_a_folder_holding_other_files_is_refused(bundle: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "clients.txt").write_text("keep me", encoding="utf-8")
    proc = _offline([SH, bundle / "install.sh", folder], _user_env(tmp_path))
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert "not an nhfind install" in proc.stderr
    assert [p.name for p in folder.iterdir()] == ["clients.txt"]


# -- quick: the installer's Python check, the resolver ---------------------------------------------------------


def _fake_python(folder: Path, version: str) -> None:
    folder.mkdir(exist_ok=True)
    fake = folder / "python3"
    fake.write_text(f"#!{SH}\necho {version}\n", encoding="utf-8")
    fake.chmod(0o755)


def test_an_old_python_gets_one_line_naming_its_version(tmp_path: Path) -> None:
    _fake_python(tmp_path / "bin", "3.9")
    env = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    proc = subprocess.run([SH, ROOT / "offline" / "install.sh"], env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "install.sh: nhfind needs Python 3.11 or newer, and python3 here is Python 3.9: install a newer Python "
        "(README.txt), or name one: PYTHON=/path/to/python3.11 sh install.sh"
    ]


def test_no_python_at_all_gets_one_line(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path / "empty"), "HOME": str(tmp_path)}
    proc = subprocess.run([SH, ROOT / "offline" / "install.sh"], env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert "needs Python 3.11 or newer, and no Python was found" in proc.stderr


def test_a_windows_only_dependency_is_fetched_for_windows_targets_alone(tmp_path: Path) -> None:
    bundle_script = _load_bundle_script()
    # a tiny world: "app" needs colorama on Windows only, and the wheels hold app alone
    app = tmp_path / "app-1.0-py3-none-any.whl"
    with __import__("zipfile").ZipFile(app, "w") as zf:
        zf.writestr(
            "app-1.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: app\nVersion: 1.0\nRequires-Python: >=3.11\n"
            "Requires-Dist: colorama; platform_system == 'Windows'\n",
        )
    wheels = [bundle_script.read_wheel(app)]
    gaps = {
        (t.os, t.python): [r.name for r in bundle_script.missing_for(wheels, "app==1.0", t)]
        for t in (bundle_script.Target(os, py) for os in ("Linux", "Windows") for py in ("3.11", "3.14"))
    }
    assert gaps == {("Linux", "3.11"): [], ("Linux", "3.14"): [], ("Windows", "3.11"): ["colorama"],
                    ("Windows", "3.14"): ["colorama"]}  # fmt: skip

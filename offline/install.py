"""Install nhfind from this offline bundle: a virtual environment from the wheels beside this file, never the network.

Run by install.sh (Linux, macOS) and install.ps1 (Windows) once they have found Python 3.11+ and checked every file
against SHA256SUMS. Standard library only. Every failure is one line on stderr and exit status 1.

    python install.py [FOLDER] [--bin DIR] [--no-launcher]

FOLDER (default ~/nhfind) becomes the virtual environment. Run again with a newer bundle to upgrade: the environment
is made anew, and the user's data folder (imported records, installed data updates) is never touched.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WINDOWS = os.name == "nt"
SCRIPT = "install.ps1" if WINDOWS else "install.sh"
LAUNCHER_MARK = "nhfind launcher, written by nhfind's offline installer"


class Stop(Exception):
    """One line for the user; the install stops."""


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)


def _last_error(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (proc.stderr + "\n" + proc.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or [f"exit status {proc.returncode}"])[-1]


def offline_pip_env() -> dict[str, str]:
    """The environment for pip: no index, no config files, no pip settings from the user's shell."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PIP_")}
    env.update(
        PIP_NO_INDEX="1",
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PIP_NO_CACHE_DIR="1",
    )
    return env


def nhfind_version(wheels: Path) -> str:
    found = sorted(wheels.glob("nhfind-*.whl"))
    if len(found) != 1:
        raise Stop(f"expected one nhfind wheel in {wheels}, found {len(found)}: copy the whole bundle folder again")
    return found[0].name.split("-")[1]


def venv_paths(folder: Path) -> tuple[Path, Path]:
    """(the environment's python, its nhfind command)."""
    if WINDOWS:
        return folder / "Scripts" / "python.exe", folder / "Scripts" / "nhfind.exe"
    return folder / "bin" / "python", folder / "bin" / "nhfind"


def is_nhfind_venv(folder: Path) -> bool:
    """A folder this installer (or a by-hand `pip install nhfind`) made: a virtual environment with nhfind in it."""
    return (folder / "pyvenv.cfg").is_file() and any(p.exists() for p in venv_paths(folder)[1:])


def check_folder(folder: Path) -> bool:
    """True when the folder holds an earlier nhfind (an upgrade); Stop when it holds something else."""
    if not folder.exists():
        return False
    if not folder.is_dir():
        raise Stop(f"{folder} is a file, not a folder: name another folder, e.g. {SCRIPT} ~/nhfind-app")
    if is_nhfind_venv(folder):
        return True
    if any(folder.iterdir()):
        raise Stop(f"{folder} already holds other files and is not an nhfind install: name a new or empty folder")
    return False


def make_venv(folder: Path, upgrade: bool) -> None:
    # --without-pip: pip comes from the bundle's own wheel, so Debian's and Ubuntu's Python needs no python3-venv
    args = [sys.executable, "-m", "venv", "--without-pip", *(["--clear"] if upgrade else []), str(folder)]
    proc = _run(args)
    if proc.returncode != 0:
        raise Stop(f"could not make a Python environment in {folder}: {_last_error(proc)}")


def install_wheels(folder: Path, version: str) -> None:
    """nhfind and pip into the environment, by the pip in the bundle (pip runs from its wheel)."""
    python, _ = venv_paths(folder)
    wheels = HERE / "wheels"
    pips = sorted(
        wheels.glob("pip-*.whl"), key=lambda p: [int(n) for n in p.name.split("-")[1].split(".") if n.isdigit()]
    )
    if not pips:
        raise Stop(f"no pip wheel in {wheels}: copy the whole bundle folder again")
    args = [str(python), str(pips[-1] / "pip"), "install", "--quiet", "--no-index", "--find-links", str(wheels)]
    args += ["--only-binary", ":all:", f"nhfind=={version}", "pip"]
    proc = _run(args, env=offline_pip_env())
    if proc.returncode != 0:
        raise Stop(f"pip could not install from the bundle: {_last_error(proc)}")


def installed_query(folder: Path, code: str) -> str | None:
    python, _ = venv_paths(folder)
    if not python.exists():
        return None
    proc = _run([str(python), "-I", "-c", code])
    return proc.stdout.strip() if proc.returncode == 0 else None


def on_path(directory: Path) -> bool:
    def same(p: str) -> bool:
        try:
            return Path(p).expanduser().resolve() == directory.resolve()
        except OSError:
            return False

    return any(same(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p)


def write_launcher(bindir: Path, command: Path) -> tuple[Path | None, str]:
    """Put an `nhfind` launcher in bindir. Returns (the launcher or None, a line saying what happened)."""
    launcher = bindir / ("nhfind.cmd" if WINDOWS else "nhfind")
    if WINDOWS:
        text = f'@rem {LAUNCHER_MARK}\r\n@"{command}" %*\r\n'
    else:
        text = f'#!/bin/sh\n# {LAUNCHER_MARK}\nexec {shlex.quote(str(command))} "$@"\n'
    if launcher.exists() or launcher.is_symlink():
        try:
            ours = LAUNCHER_MARK in launcher.read_text(encoding="utf-8", errors="replace")
        except OSError:
            ours = False
        if not ours:
            return None, f"left {launcher} alone (it is not an nhfind launcher); run {command} instead"
    try:
        bindir.mkdir(parents=True, exist_ok=True)
        tmp = launcher.with_name(launcher.name + ".tmp")
        tmp.write_text(text, encoding="utf-8", newline="")
        if not WINDOWS:
            tmp.chmod(0o755)
        os.replace(tmp, launcher)
    except OSError as exc:
        return None, f"could not write the launcher {launcher} ({exc.strerror}); run {command} instead"
    return launcher, f"launcher: {launcher}"


def add_to_user_path(directory: Path) -> str:
    """Windows: put the launcher folder on the user's PATH (new terminals see it). Returns a line for the user."""
    try:
        import ctypes
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment", 0, winreg.KEY_ALL_ACCESS) as key:
            try:
                current, kind = winreg.QueryValueEx(key, "Path")
            except FileNotFoundError:
                current, kind = "", winreg.REG_EXPAND_SZ
            parts = [p for p in str(current).split(";") if p]
            if any(os.path.normcase(p.rstrip("\\")) == os.path.normcase(str(directory)) for p in parts):
                return f"{directory} is on your PATH: open a new terminal to use `nhfind`"
            winreg.SetValueEx(key, "Path", 0, kind, ";".join([*parts, str(directory)]))
        result = ctypes.c_ulong()
        ctypes.windll.user32.SendMessageTimeoutW(0xFFFF, 0x1A, 0, "Environment", 2, 5000, ctypes.byref(result))
        return f"added {directory} to your PATH: open a new terminal to use `nhfind`"
    except Exception:  # noqa: BLE001 - any failure leaves the full path, which always works
        return f"could not add {directory} to your PATH: run the full path shown above"


DATA_DIR_CODE = """
try:
    from nhfind.core.db.locate import user_data_dir
except ImportError:  # an older nhfind, before its core/db split
    from nhfind.core.paths import user_data_dir
print(user_data_dir())
"""


def guard_data_dir(folder: Path) -> None:
    """An upgrade makes the folder anew: refuse when the user's data folder (NHFIND_DATA_DIR) lies inside it."""
    places = [installed_query(folder, DATA_DIR_CODE), os.environ.get("NHFIND_DATA_DIR")]
    for place in filter(None, places):
        data = Path(place).expanduser().absolute()
        if data == folder or folder in data.parents:
            raise Stop(
                f"your data folder {data} is inside {folder}, which the upgrade makes anew: "
                "move it elsewhere and point NHFIND_DATA_DIR at it, or install into another folder"
            )


def parse(argv: list[str]) -> argparse.Namespace:
    home = Path.home()
    parser = argparse.ArgumentParser(
        prog=SCRIPT,
        description="Install nhfind from this folder's wheels only (no network).",
        epilog="Run it again with a newer bundle to upgrade; your imported records and data updates are kept.",
    )
    parser.add_argument("folder", nargs="?", default=str(home / "nhfind"), help="where to install (default ~/nhfind)")
    parser.add_argument(
        "--bin",
        default=str(home / ".local" / "bin"),
        help="where to put the `nhfind` launcher (default ~/.local/bin)",
    )
    parser.add_argument("--no-launcher", action="store_true", help="put no launcher anywhere (and leave PATH alone)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse(argv)
    folder = Path(options.folder).expanduser().absolute()
    wheels = HERE / "wheels"
    version = nhfind_version(wheels)
    upgrade = check_folder(folder)
    before = installed_query(folder, "import nhfind; print(nhfind.__version__)") if upgrade else None
    python_version = ".".join(map(str, sys.version_info[:3]))
    if not upgrade:
        doing = f"installing nhfind {version}"
    elif before == version:
        doing = f"reinstalling nhfind {version}"
    else:
        doing = f"upgrading nhfind {before or '(version unknown)'} to {version}"
    if upgrade:
        guard_data_dir(folder)
    print(f"{SCRIPT}: {doing} in {folder} (Python {python_version}, from this folder's wheels only)", flush=True)
    make_venv(folder, upgrade)
    install_wheels(folder, version)
    _, command = venv_paths(folder)
    check = _run([str(command), "--version"])
    if check.returncode != 0:
        raise Stop(f"nhfind was installed but does not start: {_last_error(check)}")
    data_dir = installed_query(folder, DATA_DIR_CODE)

    run = str(command)
    if not options.no_launcher:
        launcher, said = write_launcher(Path(options.bin).expanduser().absolute(), command)
        print(said)
        if launcher is not None:
            found = shutil.which("nhfind")
            if found and Path(found).resolve() == launcher.resolve():
                run = "nhfind"
            elif found and on_path(launcher.parent):
                run = str(launcher)
                print(f"another nhfind comes first on your PATH ({found}): use {run}")
            elif WINDOWS:
                print(add_to_user_path(launcher.parent))
                run = str(launcher)
            else:
                run = str(launcher)
                print(
                    f"{launcher.parent} is not on your PATH yet: until it is (often after logging in again), use {run}"
                )
    if upgrade and data_dir:
        print(f"your imported records and data updates in {data_dir} are kept")
    print(f"done: nhfind {version} is installed in {folder}")
    quoted = f'& "{run}"' if WINDOWS and " " in run else (shlex.quote(run) if not WINDOWS else run)
    print("next steps:")
    print(f"  1. look something up:          {quoted} search shelter")
    print(f"  2. open the interactive finder: {quoted}")
    stick = "E:\\" if WINDOWS else "/media/usb/"
    print(f"later, a data update from a USB stick: {quoted} db update {stick}   (README.txt says more)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Stop as stop:
        print(f"{SCRIPT}: {stop}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print(f"{SCRIPT}: stopped; run it again to finish the install", file=sys.stderr)
        sys.exit(130)

"""Build the offline bundle (`make bundle`): dist/offline/ installs nhfind on a laptop that never goes online.

    python scripts/bundle.py [--out dist/offline]

What it writes (see docs/install.md):
    wheels/      nhfind's wheel (built here, with its database) and every wheel it needs at run time
    install.sh   Linux/macOS installer; install.ps1 Windows installer; install.py the part both run
    README.txt   plain-words instructions, with the Pythons and platforms the bundle was built for
    SHA256SUMS   a checksum for every other file, verified by the installers before they install anything

Building needs the package index (pip wheel, pip download); installing never does. The wheels are resolved for this
machine first, then checked against every target (CPython 3.11 to 3.14 on Linux, macOS and Windows, with each
wheel's tags, Requires-Python and environment markers); whatever a target lacks is downloaded for it. A wheel that
is not pure Python is named in README.txt with the platforms it serves.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import shutil
import string
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name, parse_wheel_filename
    from packaging.version import Version
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.specifiers import SpecifierSet  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename  # type: ignore[no-redef]
    from pip._vendor.packaging.version import Version  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "offline"  # the installers and README.txt as written; the bundle fills them in
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
OSES = {
    # name: (sys_platform, platform_system, os_name, platform_machine, pip --platform tags for a missing wheel)
    "Linux": ("linux", "Linux", "posix", "x86_64", ("manylinux2014_x86_64", "manylinux_2_17_x86_64")),
    "macOS": ("darwin", "Darwin", "posix", "arm64", ("macosx_11_0_arm64", "macosx_11_0_universal2")),
    "Windows": ("win32", "Windows", "nt", "AMD64", ("win_amd64",)),
}
PLATFORM_PREFIXES = {"Linux": ("manylinux", "musllinux", "linux"), "macOS": ("macosx",), "Windows": ("win",)}


class BundleError(Exception):
    """One line for the person building the bundle."""


@dataclass(frozen=True)
class Target:
    os: str
    python: str

    def environment(self, extra: str = "") -> dict[str, str]:
        sys_platform, system, os_name, machine, _ = OSES[self.os]
        return {
            "python_version": self.python,
            "python_full_version": self.python + ".0",
            "sys_platform": sys_platform,
            "platform_system": system,
            "os_name": os_name,
            "platform_machine": machine,
            "platform_release": "",
            "platform_version": "",
            "implementation_name": "cpython",
            "implementation_version": self.python + ".0",
            "platform_python_implementation": "CPython",
            "extra": extra,
        }


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: str
    version: Version
    requires_python: SpecifierSet
    requires: tuple[Requirement, ...]

    @property
    def tags(self) -> frozenset:  # type: ignore[type-arg]
        return parse_wheel_filename(self.path.name)[3]

    @property
    def pure(self) -> bool:
        return all(t.platform == "any" and t.abi == "none" and t.interpreter.startswith("py") for t in self.tags)

    def serves(self, target: Target) -> bool:
        if not self.requires_python.contains(target.python + ".0", prereleases=True):
            return False
        if self.pure:
            return True
        cp = "cp" + target.python.replace(".", "")
        for tag in self.tags:
            interpreter_ok = tag.interpreter in (cp, "py3") or (
                tag.abi == "abi3" and tag.interpreter.startswith("cp3") and int(tag.interpreter[3:]) <= int(cp[3:])
            )
            if (
                interpreter_ok
                and tag.abi in (cp, "abi3", "none")
                and tag.platform.startswith(PLATFORM_PREFIXES[target.os])
            ):
                return True
        return False

    def platforms(self) -> str:
        if self.pure:
            return "pure Python"
        return ", ".join(sorted({t.platform for t in self.tags}))


def read_wheel(path: Path) -> Wheel:
    with zipfile.ZipFile(path) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        meta = HeaderParser().parsestr(zf.read(meta_name).decode("utf-8"))
    name, version, _, _ = parse_wheel_filename(path.name)
    return Wheel(
        path=path,
        name=canonicalize_name(name),
        version=version,
        requires_python=SpecifierSet(meta.get("Requires-Python") or ""),
        requires=tuple(Requirement(r) for r in meta.get_all("Requires-Dist") or []),
    )


def pip(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("ERROR")] or lines or ["no output"]
        raise BundleError(f"pip {args[0]} failed: {errors[-1].strip()}")


def missing_for(wheels: list[Wheel], root: str, target: Target) -> list[Requirement]:
    """The requirements of `root` (and of what it needs) that no wheel in the list serves on the target."""
    by_name: dict[str, list[Wheel]] = {}
    for wheel in wheels:
        by_name.setdefault(wheel.name, []).append(wheel)
    missing: list[Requirement] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo: list[Requirement] = [Requirement(root)]
    while todo:
        req = todo.pop()
        key = (canonicalize_name(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        candidates = [
            w
            for w in by_name.get(key[0], [])
            if w.serves(target) and req.specifier.contains(w.version, prereleases=True)
        ]
        if not candidates:
            missing.append(req)
            continue
        best = max(candidates, key=lambda w: w.version)  # what pip will choose
        for dep in best.requires:
            if dep.marker is None or any(dep.marker.evaluate(target.environment(e)) for e in ("", *req.extras)):
                todo.append(dep)
    return missing


def resolve(wheels_dir: Path, roots: list[str], targets: list[Target]) -> list[Wheel]:
    """Download what any target lacks until every target has all it needs."""
    for _ in range(20):
        wheels = [read_wheel(p) for p in sorted(wheels_dir.glob("*.whl"))]
        gaps = [(t, r) for t in targets for root in roots for r in missing_for(wheels, root, t)]
        if not gaps:
            return wheels
        for target, req in gaps:
            tags = [arg for tag in OSES[target.os][4] for arg in ("--platform", tag)]
            req_text = str(Requirement(f"{req.name}{req.specifier}"))
            pip("download", "--quiet", "--no-deps", "--only-binary=:all:", "--python-version", target.python,
                *tags, "--dest", str(wheels_dir), req_text)  # fmt: skip
    raise BundleError("the wheels kept changing while resolving; is the package index consistent?")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_bundle(out: Path) -> Path:
    """Write the bundle to `out` (replaced whole, never half-written). Returns `out`."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    try:
        stage.chmod(0o755)  # mkdtemp makes it private; the bundle is meant to be copied and read
        wheels_dir = stage / "wheels"
        wheels_dir.mkdir()
        print(f"bundle: building nhfind's wheel (with its database) from {ROOT}", file=sys.stderr)
        pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels_dir), str(ROOT))
        own = next(wheels_dir.glob("nhfind-*.whl"))
        print("bundle: fetching the wheels it needs", file=sys.stderr)
        pip("download", "--quiet", "--only-binary=:all:", "--dest", str(wheels_dir), str(own))
        version = str(read_wheel(own).version)
        targets = [Target(os_name, py) for os_name in OSES for py in PYTHONS]
        # pip too: the installers run pip from its wheel (no ensurepip, so no python3-venv on Debian and Ubuntu)
        pip("download", "--quiet", "--only-binary=:all:", "--no-deps", "--dest", str(wheels_dir), "pip")
        wheels = resolve(wheels_dir, [f"nhfind=={version}", "pip"], targets)
        if not all(w.pure for w in wheels if w.name == "pip"):
            raise BundleError("pip's wheel is not pure Python: the installers run it on every platform")
        if not any(w.name == "tzdata" for w in wheels):
            raise BundleError("tzdata is not among the wheels (Windows needs it for opening hours)")

        verify = (SOURCES / "verify.py").read_text(encoding="utf-8")
        if not verify.isascii():
            raise BundleError("offline/verify.py must be plain ASCII (PowerShell pipes it to Python)")
        for name in ("install.sh", "install.ps1"):
            text = (SOURCES / name).read_text(encoding="utf-8").replace("@VERIFY@", verify.rstrip("\n"))
            newline = "\r\n" if name.endswith(".ps1") else "\n"
            (stage / name).write_text(text, encoding="utf-8", newline=newline)
        (stage / "install.sh").chmod(0o755)
        shutil.copyfile(SOURCES / "install.py", stage / "install.py")

        platform_specific = [w for w in wheels if not w.pure]
        kinds = (
            "Every wheel is pure Python, so the same folder serves all of them."
            if not platform_specific
            else "Wheels for one platform only: "
            + "; ".join(f"{w.path.name} ({w.platforms()})" for w in platform_specific)
            + "."
        )
        width = max(len(w.path.name) for w in wheels)
        fields = {
            "version": version,
            "built_on": datetime.date.today().isoformat(),
            "pythons": "Python " + ", ".join(PYTHONS[:-1]) + " and " + PYTHONS[-1],
            "platforms": ", ".join(list(OSES)[:-1]) + " and " + list(OSES)[-1],
            "wheel_kinds": kinds,
            "wheel_list": "\n".join(f"        {w.path.name:<{width}}  {w.platforms()}" for w in wheels),
        }
        readme = string.Template((SOURCES / "README.txt").read_text(encoding="utf-8")).substitute(fields)
        (stage / "README.txt").write_text(readme, encoding="utf-8", newline="\r\n")  # Notepad-friendly

        files = sorted(p for p in stage.rglob("*") if p.is_file())
        sums = "".join(f"{sha256(p)}  {p.relative_to(stage).as_posix()}\n" for p in files)
        (stage / "SHA256SUMS").write_text(sums, encoding="utf-8", newline="\n")

        if out.exists():
            old = out.with_name(out.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            stage.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            stage.rename(out)
        for line in (f"bundle: {out} ({len(wheels)} wheels, nhfind {version})", kinds):
            print(line, file=sys.stderr)
        return out
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "offline", help="default: dist/offline")
    args = parser.parse_args(argv)
    try:
        build_bundle(args.out)
    except BundleError as exc:
        print(f"bundle: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    sys.exit(main())

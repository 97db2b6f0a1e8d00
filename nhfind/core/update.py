"""`nhfind db update` / `db rollback`: take a coordinator's database, check it, swap it in, keep the previous one.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

What a coordinator hands out (USB stick, shared folder) is either a database file or a folder (a "data package")
holding one database file and a SHA256SUMS manifest in `sha256sum` format. A manifest is also looked for beside a
database file (SHA256SUMS, or FILE.sha256). When there is one, the file's digest must match; in every case the copy
must pass SQLite's integrity check and carry the schema version this nhfind reads. The checked copy replaces
the user's base database in one os.replace; the one it replaced is kept for `nhfind db rollback`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from nhfind.core import paths
from nhfind.core.errors import NhfindError
from nhfind.core.store import Store


class UpdateError(NhfindError):
    """The offered database cannot be used; the current one is untouched."""


@dataclass(frozen=True)
class UpdateReport:
    """What an update did."""

    path: Path
    services: int
    manifest: str
    """"checked against <manifest>" or "no sha256 manifest"."""
    previous: str
    """What rollback would return to."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_entries(manifest: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.strip().partition(" ")
        name = name.strip().lstrip("*")
        if len(digest) != 64 or not name:
            raise UpdateError(f"{manifest} line {number} is not '<sha256>  <file>': fix or remove the manifest")
        entries[Path(name).name] = digest.lower()
    return entries


def locate(offered: Path) -> tuple[Path, Path | None]:
    """The database file and its manifest (None when there is none) in what the coordinator handed out.

    Raises:
        UpdateError: nothing usable there.
    """
    offered = Path(offered).expanduser()
    if offered.is_dir():
        databases = sorted(offered.glob("*.db"))
        if len(databases) != 1:
            raise UpdateError(
                f"{offered} should hold exactly one .db file and SHA256SUMS; it holds {len(databases)} .db files"
            )
        database = databases[0]
    elif offered.is_file():
        database = offered
    else:
        raise UpdateError(f"{offered} does not exist: give the database file or the folder it came in")
    for manifest in (database.with_name(database.name + ".sha256"), database.parent / "SHA256SUMS"):
        if manifest.is_file():
            return database, manifest
    if offered.is_dir():
        raise UpdateError(f"{offered} has no SHA256SUMS manifest: ask for the complete package")
    return database, None


def update(offered: Path) -> UpdateReport:
    """Check the offered database and make it the user's base database.

    Raises:
        UpdateError: the digest does not match, the file is damaged or of another schema version; nothing changed.
        NhfindError: the user data folder cannot be written.
    """
    database, manifest = locate(offered)
    target, previous = paths.updated_database(), paths.previous_database()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.incoming")
    try:
        shutil.copyfile(database, tmp)
        checked = "no sha256 manifest (checked SQLite integrity and schema version only)"
        if manifest is not None:
            expected = _manifest_entries(manifest).get(database.name)
            if expected is None:
                raise UpdateError(f"{manifest} does not list {database.name}: ask for the complete package")
            if sha256(tmp) != expected:
                raise UpdateError(
                    f"{database} does not match its sha256 in {manifest.name}: the copy is damaged or altered; "
                    "copy it again"
                )
            checked = f"sha256 checked against {manifest.name}"
        store = Store(tmp)
        try:
            result = store.integrity()
            services = int(store.meta().get("services", "0"))
        except NhfindError as exc:
            reason = str(exc).split(": rebuild it")[0].replace(str(tmp), "").strip()
            raise UpdateError(f"{database} cannot be used ({reason}): ask for a fresh copy of the package") from None
        if result != ["ok"]:
            raise UpdateError(f"{database} fails SQLite's integrity check ({result[0]}): copy it again")
        if target.is_file():
            # keep the current file for rollback without ever leaving `target` missing: readers between two steps
            # must find the old or the new database, so take a second name for it first, then swap in one step
            kept = previous.with_name(f".{previous.name}.incoming")
            kept.unlink(missing_ok=True)
            try:
                os.link(target, kept)
            except OSError:
                shutil.copyfile(target, kept)
            os.replace(kept, previous)
            back_to = f"the previous update ({previous})"
        else:
            previous.unlink(missing_ok=True)
            back_to = "the bundled database"
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise NhfindError(f"cannot update ({exc.strerror}: {exc.filename}): check the file and free space") from None
    finally:
        tmp.unlink(missing_ok=True)
    return UpdateReport(target, services, checked, back_to)


def rollback() -> str:
    """Go back to the database in use before the last update; returns what is in use now.

    Raises:
        NhfindError: there is nothing to roll back.
    """
    target, previous = paths.updated_database(), paths.previous_database()
    if previous.is_file():
        os.replace(previous, target)
        return f"the previous update ({target})"
    if target.is_file():
        target.unlink()
        return f"the bundled database ({paths.PACKAGED_DB})"
    raise NhfindError("nothing to roll back: no `nhfind db update` has been applied")

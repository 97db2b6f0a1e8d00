"""The layers under a search: the user's imported records over a base database, and `db update` / `db rollback`.

Core module: pure Python (+ sqlite-utils through nhfind.core.db.write when compiling). Never imports typer, rich,
textual, nhfind.cli or nhfind.tui. Which file a search reads is nhfind.core.db.locate's answer; this module makes
that file exist and be fresh (`fresh`), and changes the layers.

The overlay is a JSON file (overlay.json: the records as Resource.to_dict, sorted, no clock) that survives upgrades
of the package. Readers never parse it: it is compiled with the base database (bundled or `db update`d) into
merged.db by the same writer as `nhfind db build` (overlay records win by id), and merged.json records which base
and which overlay bytes merged.db was made from. When either changed (a package upgrade, a `db update`, a crash
between two writes) the next read compiles merged.db again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhfind.core.dataset import Dataset, SearchVocabulary
from nhfind.core.db import locate
from nhfind.core.db.store import Store
from nhfind.core.db.write import can_layer, layer_database, record_json, write_database
from nhfind.core.errors import DatabaseError, NhfindError, warn
from nhfind.core.files import PRIVATE, folder_lock, fsync_file, replace_atomically
from nhfind.core.importing import paused_gc
from nhfind.core.models import SCHEMA_VERSION, Resource

FORMAT = "nhfind-overlay"
VERSION = 1


@dataclass(frozen=True)
class ImportEntry:
    """One import the overlay remembers (re-importing the same file replaces its entry)."""

    path: str
    format: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Overlay:
    """The overlay's content."""

    records: dict[str, Resource]
    imports: tuple[ImportEntry, ...] = ()
    organizations: dict[str, str] = field(default_factory=dict)
    """organization id -> description from imported packages (HSDS requires one; Resource has no place for it)."""
    texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """id -> the record's stored JSON (write.record_json), made once per compile: overlay.json and merged.db both
    hold it, and serializing is a large part of an import."""

    def text(self, rid: str) -> str:
        """The stored JSON of record `rid` (computed on first use)."""
        text = self.texts.get(rid)
        if text is None:
            text = self.texts[rid] = record_json(self.records[rid])
        return text

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "imports": [{"path": e.path, "format": e.format, "ids": list(e.ids)} for e in self.imports],
            "organizations": dict(sorted(self.organizations.items())),
            "records": [],
        }
        # One record per line, each by json's C encoder: indent= falls back to the pure-Python encoder, which took
        # most of an import of 5,000 services. "records" sorts between "organizations" and "version".
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        lines = ",\n".join(self.text(k) for k in sorted(self.records))
        return (text.replace('"records": []', f'"records": [\n{lines}\n]', 1) + "\n").encode()


@dataclass(frozen=True)
class Layer:
    """One layer for `nhfind db layers`."""

    name: str
    path: Path
    services: int | None
    """None when the file is missing or unreadable."""
    detail: str
    active: bool = False


def load() -> Overlay:
    """The overlay in the user's data folder (empty when there is none).

    Raises:
        DatabaseError: the file exists but is not an nhfind overlay.
    """
    path = locate.overlay_file()
    if not path.is_file():
        return Overlay({})
    return _parse(path, path.read_bytes())


def _parse(path: Path, raw: bytes) -> Overlay:
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError("not an nhfind overlay")
        records = {r["id"]: Resource.from_dict(r) for r in data["records"]}
        imports = tuple(ImportEntry(e["path"], e["format"], tuple(e["ids"])) for e in data.get("imports", []))
        organizations = {str(k): str(v) for k, v in data.get("organizations", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DatabaseError(
            f"{path} is damaged ({exc}): move it away to start a fresh overlay, or run `nhfind db reset-overlay`"
        ) from None
    return Overlay(records, imports, organizations)


def _stamp(base: Path, overlay: Path) -> dict[str, Any]:
    """What merged.db was made from, quickly: file identities by path, size and modification time (no reading)."""
    stat, ostat = base.stat(), overlay.stat()
    return {
        "base": str(base.resolve()),
        "base_size": stat.st_size,
        "base_mtime_ns": stat.st_mtime_ns,
        "overlay_size": ostat.st_size,
        "overlay_mtime_ns": ostat.st_mtime_ns,
        "schema_version": SCHEMA_VERSION,
    }


def _content(
    base: Path, overlay_bytes: bytes, base_sha256: str | None = None, overlay_sha256: str | None = None
) -> dict[str, str]:
    """What merged.db was made from, by content: the sha256 of the base file and of the overlay's bytes.

    Read only when the quick stamp differs: a file put back with the same bytes (an import that failed and
    restored overlay.json, a reinstall that rewrote the bundled file) gets a new mtime but the same content, and
    must not make every read compile merged.db again.
    """
    digest = base_sha256 or _base_sha256(base)
    return {"base_sha256": digest, "overlay_sha256": overlay_sha256 or hashlib.sha256(overlay_bytes).hexdigest()}


def _base_sha256(base: Path) -> str:
    """The base's sha256, taken from the stamp when the base is still the file it describes (same path, size and
    modification time, the test the quick stamp trusts too): hashing a base of 100,000 services reads 600 MB."""
    stamp, stat = _read_stamp(), base.stat()
    same = (stamp.get("base"), stamp.get("base_size"), stamp.get("base_mtime_ns"))
    if same == (str(base.resolve()), stat.st_size, stat.st_mtime_ns) and isinstance(stamp.get("base_sha256"), str):
        return str(stamp["base_sha256"])
    return sha256(base)


def _stamp_file() -> Path:
    return locate.user_data_dir() / "merged.json"


class BaseCopy:
    """A copy of the base database made on another thread while an import reads its package: the kernel copies
    the base (600 MB at 100,000 services, ~0.5-1 s) while Python reads, and the compile takes the copy instead of
    making one (see copying_base). Used only when the base is still the file that was copied."""

    def __init__(self, base: Path, folder: Path) -> None:
        self.base = base
        self.identity = _identity(base)
        # replace_atomically's temp name for merged.db: a killed nhfind's copy is removed by the next compile
        self.path = folder / f".{locate.merged_database().name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
        self.failed = False
        self._thread = threading.Thread(target=self._copy, name="nhfind-base-copy", daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        try:
            shutil.copyfile(self.base, self.path)
        except OSError:  # a full disk, say: the compile copies the base itself and says why it cannot
            self.failed = True

    def take(self, base: Path) -> Path | None:
        """The finished copy when it is a copy of `base` as it is now (path, inode, size, modification time);
        None (and the copy removed) otherwise."""
        self._thread.join()
        if not self.failed and base == self.base and _identity(base) == self.identity and self.path.is_file():
            return self.path
        self.discard()
        return None

    def discard(self) -> None:
        self._thread.join()
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


@contextlib.contextmanager
def copying_base() -> Iterator[BaseCopy | None]:
    """Begin copying the base database into the user's data folder for the next `add`, and remove the copy when
    it was not used (the import failed, the base changed meanwhile). None when the copy cannot begin (no base, a
    folder that cannot be made): `add` then copies the base as it always did."""
    base = locate.base_database()
    folder = locate.user_data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staged: BaseCopy | None = BaseCopy(base, folder) if base.is_file() else None
    except (OSError, RuntimeError):
        staged = None
    try:
        yield staged
    finally:
        if staged is not None:
            staged.discard()


def _compile(overlay: Overlay, overlay_bytes: bytes, staged: BaseCopy | None = None) -> None:
    """Write merged.db (base + overlay) and then its stamp, each atomically; overlay.json must be in place.
    `staged`: a copy of the base begun earlier (copying_base), used when it is a copy of this base."""
    base = locate.base_database()
    store = Store(base)
    if not base.is_file():
        raise DatabaseError(
            f"no base database at {base} to layer your imported records over: run `nhfind db build` "
            "(source checkout) or reinstall nhfind"
        )
    # A copy of the base with the overlay's services written into it (layer_database), instead of every service
    # decoded and written again (an import of 5,000 services over 100,000 rebuilt 105,000); a base without facet
    # codes (built by an older nhfind) is rebuilt whole.
    layered = can_layer(base)
    records = dict(overlay.records)
    if not layered:
        records = {rid: Resource.from_dict(json.loads(raw)) for rid, raw in store.records(store.all_ids()).items()}
        records.update(overlay.records)
    orgs = {oid: (oid, name, desc) for oid, name, desc in store.organizations()}
    for resource in overlay.records.values():
        oid = resource.organization_id
        known = orgs.get(oid, (oid, resource.organization, ""))
        orgs[oid] = (oid, known[1], overlay.organizations.get(oid) or known[2])
    if layered:
        orgs = {resource.organization_id: orgs[resource.organization_id] for resource in overlay.records.values()}
    base_hash = store.meta().get("sources_hash", "")
    overlay_sha256 = hashlib.sha256(overlay_bytes).hexdigest()
    vocab = store.vocabulary()
    # the database stores a category's meaning as "label: meaning" (Vocabulary.meanings); take the label off again
    # so that the merged database says exactly what the base says
    categories = {
        k: (label, meaning.removeprefix(f"{label}: "), oe) for k, (label, meaning, oe) in vocab.categories.items()
    }
    synonyms, stop_words, _terms = store.lexicon_rows()  # the base's search vocabulary carries over
    dataset = Dataset(
        search_vocabulary=SearchVocabulary(tuple(stop_words), tuple((a, b) for a, b in synonyms)),
        vocabulary=vocab._replace(categories=categories),
        organizations=tuple(sorted(orgs.values())),
        resources=tuple(records[k] for k in sorted(records)),
        sources_hash=hashlib.sha256(f"{base_hash}:{overlay_sha256}".encode()).hexdigest(),
    )
    merged = locate.merged_database()
    # the base's digest for the stamp is taken beside the compile, on another core (hashing releases the GIL): a
    # base of 100,000 services is 600 MB to read
    hashed: list[str | BaseException] = []

    def hash_base() -> None:
        try:
            hashed.append(_base_sha256(base))
        except BaseException as exc:  # handed to the compiling thread below
            hashed.append(exc)

    hashing = threading.Thread(target=hash_base, name="nhfind-base-hash", daemon=True)
    hashing.start()
    try:
        copied = staged.take(base) if staged is not None and layered else None
        if layered:
            replace_atomically(
                merged, lambda tmp: layer_database(base, dataset, tmp, texts=overlay.text, copied=copied), mode=PRIVATE
            )
        else:
            replace_atomically(merged, lambda tmp: write_database(dataset, tmp), mode=PRIVATE)
    finally:
        hashing.join()
    if isinstance(hashed[0], BaseException):
        raise hashed[0]
    _write_stamp(base, overlay_bytes, hashed[0], overlay_sha256)


def _write_stamp(
    base: Path, overlay_bytes: bytes, base_sha256: str | None = None, overlay_sha256: str | None = None
) -> None:
    content = _content(base, overlay_bytes, base_sha256, overlay_sha256)
    stamp = json.dumps(_stamp(base, locate.overlay_file()) | content, sort_keys=True)
    replace_atomically(_stamp_file(), lambda tmp: tmp.write_text(stamp, encoding="utf-8"), mode=PRIVATE)


def _read_stamp() -> dict[str, Any]:
    try:
        stamp = json.loads(_stamp_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


def _is_fresh(stamp: dict[str, Any], base: Path, overlay_path: Path) -> bool:
    """merged.db was made from this base and this overlay: by stat first, by content when the stat differs (and
    then the stamp is brought up to date, so the next read is quick again)."""
    quick = _stamp(base, overlay_path)
    if {k: stamp.get(k) for k in quick} == quick:
        return True
    if stamp.get("schema_version") != SCHEMA_VERSION or "base_sha256" not in stamp:
        return False
    overlay_bytes = overlay_path.read_bytes()
    if {k: stamp.get(k) for k in ("base_sha256", "overlay_sha256")} != _content(base, overlay_bytes):
        return False
    with contextlib.suppress(OSError, NhfindError):
        _write_stamp(base, overlay_bytes)
    return True


def fresh_merged() -> Path:
    """merged.db, compiled again first when the base or the overlay changed since it was made.

    Raises:
        NhfindError: the overlay is damaged, the base is missing, or the folder cannot be written.
    """
    merged = locate.merged_database()
    overlay_path = locate.overlay_file()
    try:
        base = locate.base_database()
        if merged.is_file() and base.is_file() and _is_fresh(_read_stamp(), base, overlay_path):
            return merged
        # compile under the folder's lock, and look again once it is held: another nhfind may have just done it
        with folder_lock(locate.user_data_dir()):
            if merged.is_file() and base.is_file() and _is_fresh(_read_stamp(), base, overlay_path):
                return merged
            overlay_bytes = overlay_path.read_bytes()
            _compile(_parse(overlay_path, overlay_bytes), overlay_bytes)
    except FileNotFoundError:
        if not overlay_path.exists():  # removed meanwhile (`db reset-overlay`): read the base alone
            return locate.base_database()
        return _last_good(merged, "a file vanished while reading; try again")
    except (OSError, ValueError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return _last_good(merged, f"{reason}; free some space or check the folder")
    except NhfindError as exc:
        return _last_good(merged, str(exc))
    return merged


def _last_good(merged: Path, reason: str) -> Path:
    """After a failed compile: the merged.db made last time, with a warning, or (when there is none) the error.

    Raises:
        NhfindError: no merged.db to fall back on.
    """
    folder = locate.user_data_dir()
    if merged.is_file():
        warn(
            f"cannot bring your imported records in {folder} up to date ({reason.rstrip('.')}); "
            "showing them as they were at the last successful import"
        )
        return merged
    raise NhfindError(
        f"cannot prepare your imported records in {folder} ({reason.rstrip('.')}): "
        "use --no-overlay to read the bundled data alone"
    )


def fresh(choice: locate.Choice) -> Path:
    """The file to read for `choice`: merged.db compiled again first when it is the layered one and is stale.

    Raises:
        NhfindError: as fresh_merged.
    """
    return fresh_merged() if choice.layered else choice.path


def add(
    resources: Iterable[Resource],
    source_path: str,
    fmt: str,
    organizations: dict[str, str] | None = None,
    staged: BaseCopy | None = None,
) -> tuple[int, int]:
    """Put imported records into the overlay (replacing any with the same id) and compile merged.db.

    overlay.json (the truth) is replaced first, then merged.db and its stamp are compiled from it, each atomically.
    Should compiling fail, the previous overlay.json is put back; a crash in between leaves a stamp that no longer
    matches, so the next read compiles merged.db again. Either way an import lands whole or not at all.
    `staged`: a copy of the base begun while the package was read (copying_base).

    Returns:
        (records added or replaced, records now in the overlay).

    Raises:
        NhfindError: the base database is missing or the user data folder cannot be written.
    """
    new = {r.id: r for r in resources}
    # read, change and write the overlay as one step among writers
    with folder_lock(locate.user_data_dir()), paused_gc():
        overlay = load()
        records = dict(overlay.records) | new
        entry = ImportEntry(source_path, fmt, tuple(sorted(new)))
        imports = tuple(e for e in overlay.imports if e.path != source_path) + (entry,)
        updated = Overlay(records, imports, overlay.organizations | (organizations or {}))
        raw = updated.to_bytes()
        overlay_path = locate.overlay_file()
        old = overlay_path.read_bytes() if overlay_path.is_file() else None
        try:
            replace_atomically(overlay_path, lambda tmp: tmp.write_bytes(raw), mode=PRIVATE)
            try:
                _compile(updated, raw, staged)
            except BaseException:
                if old is None:
                    overlay_path.unlink(missing_ok=True)
                else:
                    replace_atomically(overlay_path, lambda tmp: tmp.write_bytes(old), mode=PRIVATE)
                raise
        except (OSError, sqlite3.Error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise NhfindError(
                f"cannot write to {locate.user_data_dir()} ({reason}): free some space or set NHFIND_DATA_DIR; "
                "nothing was imported"
            ) from None
    return len(new), len(records)


@dataclass(frozen=True)
class ResetReport:
    """What `db reset-overlay` did."""

    records: int | None
    """Records dropped; None when the overlay was damaged (they could not be counted)."""
    kept: Path | None = None
    """Where a damaged overlay.json was moved (kept for inspection), else None."""


def reset() -> ResetReport:
    """Remove the overlay and the compiled database. A damaged overlay.json is moved aside, not deleted.

    Raises:
        NhfindError: the data folder cannot be written.
    """
    folder = locate.user_data_dir()
    overlay_path = locate.overlay_file()
    with folder_lock(folder):
        try:
            count: int | None = len(load().records)
        except DatabaseError:
            count = None
        try:
            # Readers may hold the path of merged.db at this moment: it must never vanish under them. So it becomes
            # a copy of the base first (no imported record left in it), then overlay.json goes and new readers
            # read the base.
            merged, base = locate.merged_database(), locate.base_database()
            if merged.is_file() and base.is_file():
                replace_atomically(merged, lambda tmp: shutil.copyfile(base, tmp), mode=PRIVATE)
            kept = None
            if count is None and overlay_path.is_file():
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                kept = overlay_path.with_name(f"overlay.damaged-{stamp}.json")
                os.replace(overlay_path, kept)
            for path in (overlay_path, _stamp_file()):
                path.unlink(missing_ok=True)
        except OSError as exc:
            raise NhfindError(
                f"cannot change {folder} ({exc.strerror}): make it writable, or set NHFIND_DATA_DIR"
            ) from None
    return ResetReport(count, kept)


def _count(path: Path) -> int | None:
    try:
        return int(Store(path).meta().get("services", "0"))
    except (NhfindError, ValueError):
        return None


def layers(no_overlay: bool = False) -> list[Layer]:
    """Every layer, bottom first, with counts; `active` marks the file searches read."""
    active = fresh(locate.choose(no_overlay=no_overlay)) if not os.environ.get(locate.ENV_VAR) else None
    out = [
        Layer("bundled", locate.PACKAGED_DB, _count(locate.PACKAGED_DB), "built from data/, shipped with nhfind"),
    ]
    updated = locate.updated_database()
    if updated.is_file():
        previous = locate.previous_database()
        kept = f"; previous kept at {previous.name} for `db rollback`" if previous.is_file() else ""
        out.append(Layer("update", updated, _count(updated), f"from `nhfind db update`{kept}"))
    overlay = load()
    if overlay.records or locate.overlay_file().is_file():
        files = ", ".join(f"{Path(e.path).name} ({e.format}, {len(e.ids)})" for e in overlay.imports)
        out.append(Layer("overlay", locate.overlay_file(), len(overlay.records), f"imported: {files or 'nothing'}"))
        out.append(Layer("merged", locate.merged_database(), _count(locate.merged_database()), "base + overlay"))
    return [
        Layer(layer.name, layer.path, layer.services, layer.detail, active is not None and layer.path == active)
        for layer in out
    ]


# -- `db update` and `db rollback` -------------------------------------------------------------------------------
# What a coordinator hands out (USB stick, shared folder) is either a database file or a folder (a "data package")
# holding one database file and a SHA256SUMS manifest in `sha256sum` format. A manifest is also looked for beside a
# database file (SHA256SUMS, or FILE.sha256). When there is one, the file's digest must match; in every case the copy
# must pass SQLite's integrity check and carry the schema version this nhfind reads. The checked copy replaces the
# user's base database in one os.replace; the one it replaced is kept for `nhfind db rollback`.


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


def _offered(offered: Path) -> tuple[Path, Path | None]:
    """The database file and its manifest (None when there is none) in what the coordinator handed out.

    Raises:
        UpdateError: nothing usable there.
    """
    offered = locate.expand(offered, "the update")
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
    database, manifest = _offered(offered)
    target, previous = locate.updated_database(), locate.previous_database()
    with folder_lock(target.parent):
        return _update(database, manifest, target, previous)


def _update(database: Path, manifest: Path | None, target: Path, previous: Path) -> UpdateReport:
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
        fsync_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise NhfindError(f"cannot update ({exc.strerror}: {exc.filename}): check the file and free space") from None
    finally:
        with contextlib.suppress(OSError):  # a read-only folder refuses even the unlink of a missing file
            tmp.unlink(missing_ok=True)
    return UpdateReport(target, services, checked, back_to)


def rollback() -> str:
    """Go back to the database in use before the last update; returns what is in use now.

    Raises:
        NhfindError: there is nothing to roll back.
    """
    target, previous = locate.updated_database(), locate.previous_database()
    if not previous.is_file() and not target.is_file():
        raise NhfindError("nothing to roll back: no `nhfind db update` has been applied")
    with folder_lock(target.parent):
        try:
            if previous.is_file():
                os.replace(previous, target)
                return f"the previous update ({target})"
            target.unlink()
        except OSError as exc:
            raise NhfindError(
                f"cannot change {target.parent} ({exc.strerror}): make it writable, or set NHFIND_DATA_DIR"
            ) from None
        return f"the bundled database ({locate.PACKAGED_DB})"

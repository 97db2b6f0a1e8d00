"""The user overlay: imported and local records kept in the user's data folder, layered over the base database.

Core module: pure Python (+ sqlite-utils through core/build when compiling). Never imports typer, rich, textual,
nhfind.cli or nhfind.tui.

The overlay is a JSON file (overlay.json: the records as Resource.to_dict, sorted, no clock) that survives upgrades
of the package. Readers never parse it: it is compiled with the base database (bundled or `db update`d) into
merged.db by the same writer as `nhfind db build` (overlay records win by id), and merged.json records which base
and which overlay bytes merged.db was made from. When either changed (a package upgrade, a `db update`, a crash
between two writes) the next read compiles merged.db again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nhfind.core import paths
from nhfind.core.errors import DatabaseError, NhfindError
from nhfind.core.models import SCHEMA_VERSION, Resource
from nhfind.core.store import Store

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

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "imports": [{"path": e.path, "format": e.format, "ids": list(e.ids)} for e in self.imports],
            "organizations": dict(sorted(self.organizations.items())),
            "records": [self.records[k].to_dict() for k in sorted(self.records)],
        }
        return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


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
    path = paths.overlay_file()
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
    """What merged.db was made from: file identities by path, size and modification time (no reading: fast)."""
    stat, ostat = base.stat(), overlay.stat()
    return {
        "base": str(base.resolve()),
        "base_size": stat.st_size,
        "base_mtime_ns": stat.st_mtime_ns,
        "overlay_size": ostat.st_size,
        "overlay_mtime_ns": ostat.st_mtime_ns,
        "schema_version": SCHEMA_VERSION,
    }


def _stamp_file() -> Path:
    return paths.user_data_dir() / "merged.json"


def _compile(overlay: Overlay, overlay_bytes: bytes) -> None:
    """Write merged.db (base + overlay) and then its stamp, each atomically; overlay.json must be in place."""
    from nhfind.core.build import Dataset, SearchVocabulary, replace_atomically, write_database  # deferred
    from nhfind.core.search import vocabulary

    base = paths.base_database()
    store = Store(base)
    if not base.is_file():
        raise DatabaseError(
            f"no base database at {base} to layer your imported records over: run `nhfind db build` "
            "(source checkout) or reinstall nhfind"
        )
    records = {rid: Resource.from_dict(json.loads(raw)) for rid, raw in store.records(store.all_ids()).items()}
    records.update(overlay.records)
    orgs = {oid: (oid, name, desc) for oid, name, desc in store.organizations()}
    for resource in overlay.records.values():
        oid = resource.organization_id
        known = orgs.get(oid, (oid, resource.organization, ""))
        orgs[oid] = (oid, known[1], overlay.organizations.get(oid) or known[2])
    base_hash = store.meta().get("sources_hash", "")
    vocab = vocabulary(store)
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
        sources_hash=hashlib.sha256(f"{base_hash}:{hashlib.sha256(overlay_bytes).hexdigest()}".encode()).hexdigest(),
    )
    replace_atomically(paths.merged_database(), lambda tmp: write_database(dataset, tmp))
    stamp = json.dumps(_stamp(base, paths.overlay_file()), sort_keys=True)
    replace_atomically(_stamp_file(), lambda tmp: tmp.write_text(stamp, encoding="utf-8"))


def fresh_merged() -> Path:
    """merged.db, compiled again first when the base or the overlay changed since it was made.

    Raises:
        NhfindError: the overlay is damaged, the base is missing, or the folder cannot be written.
    """
    merged = paths.merged_database()
    overlay_path = paths.overlay_file()
    try:
        stamp = json.loads(_stamp_file().read_text(encoding="utf-8")) if _stamp_file().is_file() else {}
        base = paths.base_database()
        if merged.is_file() and base.is_file() and stamp == _stamp(base, overlay_path):
            return merged
        overlay_bytes = overlay_path.read_bytes()
        _compile(_parse(overlay_path, overlay_bytes), overlay_bytes)
    except FileNotFoundError:
        if not overlay_path.exists():  # removed meanwhile (`db reset-overlay`): read the base alone
            return paths.base_database()
        raise NhfindError(
            f"cannot prepare your imported records in {paths.user_data_dir()}: a file vanished while reading; "
            "try again, or use --no-overlay to read the bundled data alone"
        ) from None
    except (OSError, ValueError) as exc:
        raise NhfindError(
            f"cannot prepare your imported records in {paths.user_data_dir()} ({exc}): "
            "use --no-overlay to read the bundled data alone"
        ) from None
    return merged


def add(
    resources: Iterable[Resource], source_path: str, fmt: str, organizations: dict[str, str] | None = None
) -> tuple[int, int]:
    """Put imported records into the overlay (replacing any with the same id) and compile merged.db.

    overlay.json (the truth) is replaced first, then merged.db and its stamp are compiled from it, each atomically.
    Should compiling fail, the previous overlay.json is put back; a crash in between leaves a stamp that no longer
    matches, so the next read compiles merged.db again. Either way an import lands whole or not at all.

    Returns:
        (records added or replaced, records now in the overlay).

    Raises:
        NhfindError: the base database is missing or the user data folder cannot be written.
    """
    overlay = load()
    new = {r.id: r for r in resources}
    records = dict(overlay.records) | new
    entry = ImportEntry(source_path, fmt, tuple(sorted(new)))
    imports = tuple(e for e in overlay.imports if e.path != source_path) + (entry,)
    updated = Overlay(records, imports, overlay.organizations | (organizations or {}))
    raw = updated.to_bytes()
    from nhfind.core.build import replace_atomically

    overlay_path = paths.overlay_file()
    old = overlay_path.read_bytes() if overlay_path.is_file() else None
    try:
        replace_atomically(overlay_path, lambda tmp: tmp.write_bytes(raw))
        try:
            _compile(updated, raw)
        except BaseException:
            if old is None:
                overlay_path.unlink(missing_ok=True)
            else:
                replace_atomically(overlay_path, lambda tmp: tmp.write_bytes(old))
            raise
    except OSError as exc:
        raise NhfindError(
            f"cannot write to {paths.user_data_dir()} ({exc.strerror}): free some space or set NHFIND_DATA_DIR"
        ) from None
    return len(new), len(records)


def reset() -> int:
    """Remove the overlay and the compiled database; returns how many records were dropped."""
    count = len(load().records)
    # Readers may hold the path of merged.db at this moment: it must never vanish under them. So it becomes a copy
    # of the base first (no imported record left in it), then overlay.json goes and new readers read the base.
    merged, base = paths.merged_database(), paths.base_database()
    if merged.is_file() and base.is_file():
        from nhfind.core.build import replace_atomically

        replace_atomically(merged, lambda tmp: shutil.copyfile(base, tmp))
    for path in (paths.overlay_file(), _stamp_file()):
        path.unlink(missing_ok=True)
    return count


def _count(path: Path) -> int | None:
    try:
        return int(Store(path).meta().get("services", "0"))
    except (NhfindError, ValueError):
        return None


def layers(no_overlay: bool = False) -> list[Layer]:
    """Every layer, bottom first, with counts; `active` marks the file searches read."""
    active = paths.database_path(no_overlay=no_overlay) if not os.environ.get(paths.ENV_VAR) else None
    out = [
        Layer("bundled", paths.PACKAGED_DB, _count(paths.PACKAGED_DB), "built from data/, shipped with nhfind"),
    ]
    updated = paths.updated_database()
    if updated.is_file():
        previous = paths.previous_database()
        kept = f"; previous kept at {previous.name} for `db rollback`" if previous.is_file() else ""
        out.append(Layer("update", updated, _count(updated), f"from `nhfind db update`{kept}"))
    overlay = load()
    if overlay.records or paths.overlay_file().is_file():
        files = ", ".join(f"{Path(e.path).name} ({e.format}, {len(e.ids)})" for e in overlay.imports)
        out.append(Layer("overlay", paths.overlay_file(), len(overlay.records), f"imported: {files or 'nothing'}"))
        out.append(Layer("merged", paths.merged_database(), _count(paths.merged_database()), "base + overlay"))
    return [
        Layer(layer.name, layer.path, layer.services, layer.detail, active is not None and layer.path == active)
        for layer in out
    ]

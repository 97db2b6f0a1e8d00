"""The user overlay over the bundled database, --no-overlay, and `db update` / `db rollback`."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from nhfind.core import hsds_import
from nhfind.core.db import layers, locate
from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.core.search import vocabulary
from tests.conftest import FIXTURE_DATA
from tests.hsds.conftest import FIXTURES, Env


def _ids(env: Env, *args: str) -> set[str]:
    code, out, _ = env.run(*args, "search", "--limit", "100", "--format", "json")
    return {r["id"] for r in json.loads(out)} if code == 0 else set()


def test_no_overlay_reads_the_bundled_data_alone(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "spreadsheet.csv"))[0] == 0
    layered, bundled = _ids(env), _ids(env, "--no-overlay")
    assert layered - bundled == {"local-maple-test-drop-in-centre", "maple-safe-rooms"}
    assert bundled == set(Store(env.bundled).all_ids())


def test_db_layers_lists_each_layer_with_counts(env: Env) -> None:
    code, out, _ = env.run("db", "layers")
    assert code == 0 and "bundled" in out and "6 services" in out and "overlay" not in out
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    code, out, _ = env.run("db", "layers")
    lines = out.splitlines()
    assert any(line.startswith("overlay") and "2 services" in line for line in lines)
    assert any(line.startswith("merged") and "8 services" in line and "<- searches read this" in line for line in lines)
    assert "hsds3.json (HSDS 3.0 JSON, 2)" in out
    code, out, _ = env.run("--no-overlay", "db", "layers")
    assert any(line.startswith("bundled") and "<- searches read this" in line for line in out.splitlines())


def test_the_merged_database_keeps_the_bundled_vocabulary(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    assert vocabulary(Store(env.data_dir / "merged.db")) == vocabulary(Store(env.bundled))


def test_the_merged_database_keeps_the_bundled_search_words(env: Env, tmp_path: Path) -> None:
    # a bundled database with a search vocabulary: "narcan" also finds naloxone
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "search-vocabulary.toml").write_text(
        'stop_words = ["where"]\nequivalents = [["std", "sexually transmitted"]]\n'
    )
    build(data, env.bundled)
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    merged, bundled = Store(env.data_dir / "merged.db").lexicon_rows(), Store(env.bundled).lexicon_rows()
    assert merged[:2] == bundled[:2] and bundled[0]
    code, out, _ = env.run("search", "where sexually transmitted", "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "test-sti-testing"


def test_imports_survive_an_upgrade_of_the_bundled_database(env: Env, tmp_path: Path) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    # a new nhfind version ships a database with one more record
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    food = data / "organizations" / "test-shelter.toml"
    food.write_text(food.read_text(encoding="utf-8").replace('id = "test-food-hall"', 'id = "test-food-hall-2"'),
                    encoding="utf-8")  # fmt: skip
    build(data, env.bundled)
    os.utime(env.bundled, ns=(10**18, 10**18))
    ids = _ids(env)
    assert "test-food-hall-2" in ids and "test-food-hall" not in ids  # the new base
    assert "harbor-light-test-warmline-f22159" in ids  # and the overlay, merged again


def test_a_damaged_overlay_file_is_one_line_with_a_way_out(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    (env.data_dir / "overlay.json").write_text("{not json", encoding="utf-8")
    # the merged database of the last good import stays in use, with one warning that says how to start afresh
    code, _, err = env.run("search", "shelter")
    assert code == 0 and len(err.strip().splitlines()) == 1 and "reset-overlay" in err
    (env.data_dir / "merged.db").unlink()  # nothing to fall back on: one line, exit 2
    code, _, err = env.run("search", "shelter")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "reset-overlay" in err
    assert _ids(env, "--no-overlay")  # still usable


def test_reset_overlay_needs_yes_then_removes_imports(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    code, _, err = env.run("db", "reset-overlay")
    assert code == 2 and "--yes" in err
    code, out, _ = env.run("db", "reset-overlay", "--yes")
    assert code == 0 and "removed 2" in out
    assert _ids(env) == set(Store(env.bundled).all_ids())


def _merged_rows(env: Env) -> list[str]:
    conn = sqlite3.connect(env.data_dir / "merged.db")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_the_base_copied_while_the_package_is_read_gives_the_same_merged_database(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import` copies the base for merged.db on another thread while it reads the package (layers.copying_base):
    the copy is used, the merged database is the one a copy made at compile time gives, and no copy is left."""
    taken: list[Path | None] = []
    real_take = layers.BaseCopy.take

    def take(self: layers.BaseCopy, base: Path) -> Path | None:
        taken.append(real_take(self, base))
        return taken[-1]

    monkeypatch.setattr(layers.BaseCopy, "take", take)
    assert env.run("import", str(FIXTURES / "hsds3-tabular"))[0] == 0
    assert len(taken) == 1 and taken[0] is not None
    staged = _merged_rows(env)
    assert env.run("db", "reset-overlay", "--yes")[0] == 0
    monkeypatch.setattr(layers, "copying_base", contextlib.nullcontext)  # the base copied by the compile
    assert env.run("import", str(FIXTURES / "hsds3-tabular"))[0] == 0
    assert _merged_rows(env) == staged
    assert not list(env.data_dir.glob(".*")), "a copy of the base left behind"


def test_a_base_replaced_while_the_package_is_read_is_copied_again(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new base (an upgrade, `db update`) that lands while the package is read: the copy made of the old one is
    dropped and merged.db is the new base plus the import."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    clinic = data / "organizations" / "test-clinic.toml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace('"test-primary-care"', '"test-primary-care-2"'),
                      encoding="utf-8")  # fmt: skip
    newer = tmp_path / "newer.db"
    build(data, newer)
    real_read = hsds_import.read

    def read_then_upgrade(*args: Any, **kwargs: Any) -> hsds_import.ImportResult:
        result = real_read(*args, **kwargs)
        os.replace(newer, env.bundled)
        return result

    monkeypatch.setattr(hsds_import, "read", read_then_upgrade)
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    ids = set(Store(env.data_dir / "merged.db").all_ids())
    assert "test-primary-care-2" in ids and "test-primary-care" not in ids
    assert "harbor-light-test-warmline-f22159" in ids
    assert not list(env.data_dir.glob(".*")), "a copy of the base left behind"


def test_a_failed_import_leaves_no_copy_of_the_base(env: Env, tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(FIXTURES / "hsds3-tabular", package)
    (package / "services.csv").write_text("id,name\nx,\n", encoding="utf-8")
    code, _, err = env.run("import", str(package))
    assert code == 2 and "services.csv row 2" in err
    assert not list(env.data_dir.glob(".*")) and not (env.data_dir / "merged.db").exists()


def test_import_refuses_an_explicit_db(env: Env) -> None:
    code, _, err = env.run("--db", str(env.bundled), "import", str(FIXTURES / "hsds3.json"))
    assert code == 2 and "without --db" in err


# -- db update / rollback -------------------------------------------------------------------------------------


def _package(tmp_path: Path, env: Env, rename: str = "") -> Path:
    """A coordinator's package: a database built from the fixtures (one id renamed) and SHA256SUMS."""
    data = tmp_path / "coordinator-data"
    shutil.copytree(FIXTURE_DATA, data)
    if rename:
        clinic = data / "organizations" / "test-clinic.toml"
        clinic.write_text(clinic.read_text(encoding="utf-8").replace('"test-primary-care"', f'"{rename}"'),
                          encoding="utf-8")  # fmt: skip
    package = tmp_path / "usb"
    package.mkdir()
    build(data, package / "nhfind.db")
    digest = hashlib.sha256((package / "nhfind.db").read_bytes()).hexdigest()
    (package / "SHA256SUMS").write_text(f"{digest}  nhfind.db\n", encoding="utf-8")
    return package


def test_update_installs_a_checked_package_and_rollback_undoes_it(env: Env, tmp_path: Path) -> None:
    package = _package(tmp_path, env, rename="test-primary-care-v2")
    code, out, err = env.run("db", "update", str(package))
    assert code == 0, err
    assert "sha256 checked against SHA256SUMS" in out and "6 services" in out
    assert "test-primary-care-v2" in _ids(env)
    # a second update keeps the first one for rollback
    second = _package(tmp_path / "again", env, rename="test-primary-care-v3")
    assert env.run("db", "update", str(second))[0] == 0
    assert "test-primary-care-v3" in _ids(env)
    code, out, _ = env.run("db", "rollback")
    assert code == 0 and "previous update" in out
    assert "test-primary-care-v2" in _ids(env)
    code, out, _ = env.run("db", "rollback")
    assert code == 0 and "bundled" in out
    assert "test-primary-care" in _ids(env)
    code, _, err = env.run("db", "rollback")
    assert code == 2 and "nothing to roll back" in err


def test_update_keeps_the_overlay_on_top(env: Env, tmp_path: Path) -> None:
    assert env.run("import", str(FIXTURES / "spreadsheet.csv"))[0] == 0
    assert env.run("db", "update", str(_package(tmp_path, env, rename="test-primary-care-v2")))[0] == 0
    ids = _ids(env)
    assert {"test-primary-care-v2", "maple-safe-rooms"} <= ids


def test_update_refuses_a_file_that_does_not_match_its_manifest(env: Env, tmp_path: Path) -> None:
    package = _package(tmp_path, env, rename="tampered")
    with (package / "nhfind.db").open("ab") as handle:
        handle.write(b"\0")
    code, _, err = env.run("db", "update", str(package))
    assert code == 2 and "does not match its sha256" in err
    assert not locate.updated_database().exists()
    assert "tampered" not in _ids(env)


def test_update_refuses_another_schema_version(env: Env, tmp_path: Path) -> None:
    package = _package(tmp_path, env)
    conn = sqlite3.connect(package / "nhfind.db")
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    (package / "SHA256SUMS").unlink()
    code, _, err = env.run("db", "update", str(package / "nhfind.db"))
    assert code == 2 and "schema version 99" in err and len(err.strip().splitlines()) == 1
    assert not locate.updated_database().exists()
    assert not list(env.data_dir.glob(".*")), "temp file left behind"


def test_update_refuses_a_file_that_is_not_a_database(env: Env, tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("hello", encoding="utf-8")
    code, _, err = env.run("db", "update", str(tmp_path / "notes.db"))
    assert code == 2 and "notes.db" in err
    assert not locate.updated_database().exists()

"""Hardening, second round (issue 16): what a probe broke, each held by a test that failed before the fix.

Every case ends in results or one clear line on stderr (exit 2 for errors, 1 only for "no results"), loses
nothing, and lets nothing from a file reach the terminal raw. docs/guarantees.md names these tests.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nhfind.core import files
from nhfind.core.db import layers, locate
from nhfind.core.db.store import Store
from nhfind.core.errors import NhfindError, NhfindWarning
from tests.conftest import FIXTURE_DATA
from tests.hsds.conftest import FIXTURES, Env

ESC, CSI8, RLO, RLI = "\x1b", "\x9b", "\u202e", "\u2067"
INVISIBLE = (ESC, CSI8, "\x07", RLO, RLI, "\u200f", "\x85")


def _ids(env: Env, *args: str) -> set[str]:
    code, out, _ = env.run(*args, "search", "--limit", "100", "--format", "json")
    return {r["id"] for r in json.loads(out)} if code == 0 else set()


def _raw_free(text: str) -> None:
    for char in INVISIBLE:
        assert char not in text, (char, text[:300])


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("nhfind: ") and "Traceback" not in err
    return lines[0]


def _nhfind(*args: str, env: dict[str, str] | None = None, **kw: Any) -> subprocess.CompletedProcess[bytes]:
    """The real program, for what only a process shows (argv bytes, closed or full stdout, signals)."""
    return subprocess.run(
        [sys.executable, "-m", "nhfind", *args], capture_output=True, timeout=60, env=env or os.environ.copy(), **kw
    )


# -- 1. a failed import on a full disk must not brick search ---------------------------------------------------


def _disk_full(*_args: object, **_kw: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def _fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways merged.db is written (a layered copy of the base, or a whole rebuild) meet a full disk."""
    monkeypatch.setattr(layers, "write_database", _disk_full)
    monkeypatch.setattr(layers, "layer_database", _disk_full)


def test_an_overlay_put_back_with_the_same_bytes_is_not_compiled_again(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    merged = env.data_dir / "merged.db"
    before = merged.stat().st_ino
    overlay = env.data_dir / "overlay.json"
    overlay.write_bytes(overlay.read_bytes())  # same content, new mtime: what a failed import leaves
    os.utime(overlay, ns=(10**18, 10**18))
    code, _, err = env.run("search", "shelter")
    assert code == 0 and err == ""
    assert merged.stat().st_ino == before  # not compiled again (compiling replaces the file)


def test_a_failed_import_on_a_full_disk_is_one_line_and_search_still_works(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    before = _ids(env)
    _fill_the_disk(monkeypatch)
    code, _, err = env.run("import", str(FIXTURES / "spreadsheet.csv"))
    assert code == 2 and "disk is full" in _one_line(err) and "nothing was imported" in err
    monkeypatch.undo()
    monkeypatch.setenv("NHFIND_DATA_DIR", str(env.data_dir))
    monkeypatch.setattr(locate, "PACKAGED_DB", env.bundled)
    code, _, err = env.run("search", "shelter")
    assert code == 0 and err == ""
    assert _ids(env) == before  # the first import kept, the failed one left no trace
    assert env.run("db", "layers")[0] == 0


def test_a_failed_rebuild_keeps_the_last_good_merged_database_with_one_warning(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    before = _ids(env)
    os.utime(env.bundled, ns=(10**18, 10**18))
    env.bundled.write_bytes(env.bundled.read_bytes() + b"\0" * 512)  # the base changed: merged.db is stale
    _fill_the_disk(monkeypatch)
    code, out, err = env.run("search", "--limit", "100", "--format", "json")
    assert code == 0 and {r["id"] for r in json.loads(out)} == before
    line = _one_line(err)
    assert "warning" in line and "disk is full" in line and "last successful import" in line


def test_a_damaged_overlay_with_a_merged_database_warns_and_keeps_searching(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    (env.data_dir / "overlay.json").write_text("{not json", encoding="utf-8")
    code, _, err = env.run("search", "shelter")
    assert code == 0 and "reset-overlay" in _one_line(err)


# -- 2 and 13. nothing from a file reaches the terminal raw ------------------------------------------------------


def test_an_escape_in_an_imported_column_name_never_reaches_the_terminal(env: Env, tmp_path: Path) -> None:
    sheet = (FIXTURES / "spreadsheet.csv").read_text(encoding="utf-8").splitlines()
    sheet[0] += ",\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[41mred\u202e"
    bad = tmp_path / "sheet.csv"
    bad.write_text("\n".join(sheet) + "\n", encoding="utf-8")
    code, out, err = env.run("import", str(bad), "--dry-run")
    assert code == 0 and "columns we do not use" in err
    _raw_free(out + err)


def test_an_escape_in_a_json_schedule_never_reaches_the_terminal(env: Env, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "hsds3.json").read_text(encoding="utf-8"))
    data["contents"][0]["schedules"] = [{"id": "s1", "freq": "\x1b[41mmonthly\u202e", "byday": "MO"}]
    bad = tmp_path / "evil.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = env.run("import", str(bad), "--dry-run")
    assert code in (0, 2) and err
    _raw_free(out + err)


def _poisoned_db(tmp_path: Path, fixture_db: Path) -> Path:
    """A coordinator's database whose meta and one record carry escapes, C1 and bidi controls."""
    db = tmp_path / "poisoned.db"
    shutil.copyfile(fixture_db, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'build_date'", ["\x1bc2026\x9b31m"])
    conn.execute("UPDATE meta SET value = ? WHERE key = 'sources_hash'", [RLO + "\x1b]0;owned\x07abc"])
    rid, raw = conn.execute("SELECT id, record FROM services WHERE id = 'test-sti-testing'").fetchone()
    record = json.loads(raw)
    record["name"] = f"Clinic {RLO}evil{RLI} \x9b2J\x85"
    for phone in record["phones"]:
        phone["number"] = RLO + "0010-555-619"
    conn.execute("UPDATE services SET record = ? WHERE id = ?", [json.dumps(record, ensure_ascii=False), rid])
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["db", "info"],
        ["db", "info", "--format", "json"],
        ["search", "sti", "--format", "table"],
        ["search", "sti", "--format", "csv"],
        ["search", "sti", "--format", "json"],
        ["search", "sti", "--format", "jsonl"],
        ["search", "sti", "--format", "md"],
        ["show", "test-sti-testing"],
        ["show", "test-sti-testing", "--format", "json"],
        ["card", "test-sti-testing"],
        ["export", "--format", "tsv"],
    ],
    ids=" ".join,
)
def test_controls_from_a_database_are_stripped_or_escaped(
    tmp_path: Path, fixture_db: Path, args: list[str], env: Env
) -> None:
    db = _poisoned_db(tmp_path, fixture_db)
    code, out, err = env.run("--db", str(db), *args)
    assert code == 0, err
    _raw_free(out + err)
    if "json" in args or "jsonl" in args:
        assert "\\u202e" in out  # escaped, not lost: the data is kept whole
    if args[0] in ("show", "card") and "json" not in args:
        assert "0010-555-619" in out and "916-555-0100" not in out


def test_a_bidi_override_cannot_disguise_a_phone_in_the_tui_text(tmp_path: Path, fixture_db: Path) -> None:
    from nhfind.core.search import get
    from nhfind.tui.resource_text import main_phone_text, qr_payload

    resource = get(Store(_poisoned_db(tmp_path, fixture_db)), "test-sti-testing")
    assert resource is not None
    assert main_phone_text(resource) == "0010-555-619"
    # the QR never holds the number the override pretended to show (0010-555-619 is no number a phone can call,
    # so the card falls back to the website)
    assert "9165550100" not in qr_payload(resource) and RLO not in qr_payload(resource)


# -- 3. writers of the data folder take a lock ------------------------------------------------------------------


def test_a_second_writer_waits_for_the_lock_then_says_so_clearly(env: Env) -> None:
    env.data_dir.mkdir(parents=True)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with files.folder_lock(env.data_dir):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(NhfindError, match="another nhfind is changing"), files.folder_lock(env.data_dir, wait=0.3):
            pass
    finally:
        release.set()
        thread.join()
    with files.folder_lock(env.data_dir, wait=0.3):  # free again
        pass


@pytest.mark.slow
def test_two_imports_at_once_keep_every_record(env: Env, tmp_path: Path) -> None:
    # the subprocesses layer over the bundled database of this checkout: the overlay is what is under test
    run_env = os.environ | {"NHFIND_DATA_DIR": str(env.data_dir)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "nhfind", "import", str(FIXTURES / name)],
            env=run_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for name in ("hsds3.json", "spreadsheet.csv", "hsds3-tabular")
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    overlay = json.loads((env.data_dir / "overlay.json").read_text(encoding="utf-8"))
    assert len(overlay["imports"]) == 3
    imported = {rid for entry in overlay["imports"] for rid in entry["ids"]}
    assert imported == {r["id"] for r in overlay["records"]} and len(imported) >= 6


# -- 4. symlinks stay inside the package -------------------------------------------------------------------------


def test_a_package_file_linking_outside_the_package_is_refused(env: Env, tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(FIXTURES / "hsds3-tabular", package)
    secret = tmp_path / "secret.csv"
    shutil.copyfile(package / "phones.csv", secret)
    (package / "phones.csv").unlink()
    (package / "phones.csv").symlink_to(secret)
    code, _, err = env.run("import", str(package))
    assert code == 2 and "outside the package" in _one_line(err)
    (package / "phones.csv").unlink()
    (package / "phones.csv").symlink_to("/etc/passwd")
    code, _, err = env.run("import", str(package))
    assert code == 2 and "outside the package" in _one_line(err) and "root" not in err
    assert not (env.data_dir / "overlay.json").exists()


# -- 5 (and issue 19 item 5). hostile arguments, closed and full streams --------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "--limit", "4611686018427387904"],
        ["search", "x", "--open-at", "9999-12-31 23:59"],
        ["--db", "a" * 5000, "search", "x"],
        ["--db", "~nosuchuser/x.db", "search", "x"],
    ],
    ids=["huge-limit", "far-open-at", "long-db", "no-such-user"],
)
def test_a_hostile_argument_is_one_line(args: list[str], env: Env) -> None:
    code, _, err = env.run(*args)
    assert code == 2
    _one_line(err)


@pytest.mark.parametrize("variable", ["NHFIND_DB", "NHFIND_DATA_DIR"])
def test_a_variable_naming_no_such_user_is_one_line(variable: str, env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, "~nosuchuser/x")
    code, _, err = env.run("search", "x")
    assert code == 2 and "~user" in _one_line(err)


@pytest.mark.parametrize("command", ["search", "show", "card", "facets", "export"])
def test_an_argument_that_is_not_utf8_is_one_line(command: str) -> None:
    args = [os.fsdecode(b"\xff\xfe")] if command != "facets" else ["-c", os.fsdecode(b"\xff\xfe")]
    proc = _nhfind(command, *args)
    assert proc.returncode == 2 and b"not valid UTF-8" in proc.stderr
    _one_line(proc.stderr.decode())


def test_a_closed_stdout_is_one_line() -> None:
    proc = _nhfind("search", "shelter", stdout=None, pass_fds=(), preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2 and "closed" in _one_line(proc.stderr.decode())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_stdout_on_a_full_disk_is_one_line() -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "nhfind", "export", "--format", "json"], stdout=full,
                              stderr=subprocess.PIPE, timeout=60)  # fmt: skip
    assert proc.returncode == 2 and "disk is full" in _one_line(proc.stderr.decode())


@pytest.mark.parametrize(
    "args",
    [["export", "--format", "csv"], ["search", "", "--format", "jsonl", "-n", "500"], ["show", "calfresh"]],
    ids=" ".join,
)
def test_a_reader_that_closes_early_is_not_an_error(args: list[str]) -> None:
    """`nhfind ... | head -c 10` where head is already gone: every write meets a closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away before nhfind wrote anything
    proc = subprocess.run([sys.executable, "-m", "nhfind", *args], stdout=write_end, stderr=subprocess.PIPE,
                          timeout=60)  # fmt: skip
    os.close(write_end)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""


# -- 6. a damaged record is skipped with one warning ------------------------------------------------------------


def _damaged_db(tmp_path: Path, fixture_db: Path, how: str) -> Path:
    db = tmp_path / f"damaged-{how}.db"
    shutil.copyfile(fixture_db, db)
    conn = sqlite3.connect(db)
    raw = conn.execute("SELECT record FROM services WHERE id = 'test-sti-testing'").fetchone()[0]
    record = json.loads(raw)
    if how == "cut":
        damaged = raw[: len(raw) // 2]
    elif how == "key":
        del record["name"]
        damaged = json.dumps(record)
    else:  # a flipped bit turns a list into a number
        record["phones"] = 7
        damaged = json.dumps(record)
    conn.execute("UPDATE services SET record = ? WHERE id = 'test-sti-testing'", [damaged])
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("how", ["cut", "key", "flip"])
def test_a_damaged_record_is_skipped_with_one_warning_naming_it(tmp_path: Path, fixture_db: Path, how: str) -> None:
    from typer.testing import CliRunner

    from nhfind.cli import app

    db = str(_damaged_db(tmp_path, fixture_db, how))
    runner = CliRunner()
    for args in (["search", "", "--format", "json"], ["export", "--format", "csv"], ["search", "testing"]):
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if "damaged" in line]
        assert len(warnings) == 1 and "test-sti-testing" in warnings[0] and "Traceback" not in result.stderr
        assert "test-sti-testing" not in result.stdout
    result = runner.invoke(app, ["--db", db, "show", "test-sti-testing"])
    assert result.exit_code == 2 and "damaged" in _one_line(result.stderr)
    result = runner.invoke(app, ["--db", db, "db", "info", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["damaged_records"] == ["test-sti-testing"]
    result = runner.invoke(app, ["--db", db, "crisis"])  # the fixture data has no crisis line: exit 1 is its answer
    assert isinstance(result.exception, SystemExit) and result.exit_code in (0, 1) and "Traceback" not in result.stderr


def test_the_tui_keeps_searching_over_a_damaged_record(tmp_path: Path, fixture_db: Path) -> None:
    import asyncio

    from nhfind.tui.app import FinderApp
    from nhfind.tui.widgets.results import ResultsList
    from tests.tui.conftest import settle, type_text

    db = _damaged_db(tmp_path, fixture_db, "cut")

    async def run() -> tuple[list[str], list[str]]:
        app = FinderApp(Store(db))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            first = [r.id for r in app.search_screen.query_one(ResultsList).resources]
            await type_text(pilot, "testing")
            return first, [r.id for r in app.search_screen.query_one(ResultsList).resources]

    # the damaged record is left out with a warning (the CLI prints it as one line), never a traceback
    with pytest.warns(NhfindWarning, match="test-sti-testing .* is damaged and was left out"):
        everything, found = asyncio.run(run())
    assert everything and "test-sti-testing" not in everything
    assert found and "test-sti-testing" not in found


# -- 7. read-only and odd data folders ------------------------------------------------------------------------


def test_a_data_folder_that_is_a_file_is_one_line(env: Env) -> None:
    env.data_dir.write_text("not a folder")
    code, _, err = env.run("import", str(FIXTURES / "hsds3.json"))
    assert code == 2 and "not a folder" in _one_line(err)
    assert env.run("search", "shelter")[0] == 0  # reading does not need the folder


def test_update_on_a_read_only_folder_is_one_line(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(*_a: object, **_k: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(env.data_dir / ".base.db.incoming"))

    monkeypatch.setattr(shutil, "copyfile", read_only)  # as layers calls it
    monkeypatch.setattr(Path, "unlink", read_only)
    code, _, err = env.run("db", "update", str(env.bundled))
    assert code == 2 and "Read-only" in _one_line(err)


def test_reset_on_a_read_only_folder_is_one_line(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0

    def read_only(*_a: object, **_k: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(layers, "replace_atomically", read_only)
    code, _, err = env.run("db", "reset-overlay", "--yes")
    assert code == 2 and "Read-only" in _one_line(err)


# -- 8. a damaged overlay can be reset ----------------------------------------------------------------------------


def test_a_damaged_overlay_can_be_reset_and_is_kept_aside(env: Env) -> None:
    env.data_dir.mkdir(parents=True)
    (env.data_dir / "overlay.json").write_text("{not json", encoding="utf-8")
    code, _, err = env.run("search", "shelter")
    assert code == 2 and "reset-overlay" in _one_line(err)
    code, out, err = env.run("db", "reset-overlay", "--yes")
    assert code == 0 and "damaged" in out, err
    kept = list(env.data_dir.glob("overlay.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{not json"
    code, _, err = env.run("search", "shelter")
    assert code == 0 and err == ""


# -- 9. the TUI export dialog -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["~nosuchuser/x.csv", "[/]x[b].csv", "x" * 300 + ".csv", "no/such/dir/x.csv"])
def test_the_tui_export_dialog_answers_every_name_with_a_line(
    name: str, tmp_path: Path, fixture_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from textual.widgets import Input, Static

    from nhfind.tui.app import FinderApp
    from nhfind.tui.screens.export import ExportScreen
    from tests.tui.conftest import settle

    monkeypatch.chdir(tmp_path)
    (tmp_path / "[").mkdir()  # "[/]x[b].csv" is the file "]x[b].csv" in the folder "["

    async def run() -> tuple[str, list[str], bool]:
        app = FinderApp(Store(fixture_db))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.search_screen.action_export()
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("#export-path", Input).value = name
            await pilot.press("enter")
            await pilot.pause()  # the dialog answers on submit, in the same turn
            line = str(app.screen.query_one("#export-message", Static).render()) if app.screen.is_modal else ""
            notices = [str(n.message) for n in app._notifications]  # noqa: SLF001
            return line, notices, app.is_running

    line, notices, running = asyncio.run(run())
    assert running
    if name.startswith("["):
        assert (tmp_path / name).read_text(encoding="utf-8").startswith("id,")
        assert f"Saved to {name}" in notices, notices
    else:
        assert line.strip() and "Saved" not in " ".join(notices)


# -- 10. import limits --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "levels deep"),
        ('{"a":' * 900 + "1" + "}" * 900, "levels deep"),
        ("[" + ",".join(["{}"] * 2_100_000) + "]", "objects and arrays"),
        ('[{"id": NaN, "name": "x"}]', "NaN"),
        ('[{"id": "a", "name": Infinity}]', "Infinity"),
        ('[{"id": "a", "id": "b", "name": "x"}]', "twice"),
    ],
    ids=["deep-arrays", "deep-objects", "many-objects", "nan", "infinity", "duplicate-key"],
)
def test_an_import_past_a_limit_fails_early_with_one_line(env: Env, tmp_path: Path, text: str, words: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    started = time.monotonic()
    code, _, err = env.run("import", str(bad))
    assert code == 2 and words in _one_line(err)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(attributes=[{"taxonomy_term": "notdict"}]),
        lambda s: s.update(service_at_locations=[{"location": "x"}]),
        lambda s: s.update(phones="x"),
    ],
    ids=["attribute", "location", "phones"],
)
def test_a_value_of_the_wrong_shape_is_one_line(
    env: Env, tmp_path: Path, change: Callable[[dict[str, Any]], object]
) -> None:
    data = json.loads((FIXTURES / "hsds3.json").read_text(encoding="utf-8"))
    change(data["contents"][0])
    bad = tmp_path / "shape.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = env.run("import", str(bad))
    assert code in (0, 2)
    if code == 2:
        _one_line(err)
    assert "Traceback" not in err


def test_an_import_file_over_the_size_limit_is_refused_before_reading(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nhfind.core import import_limits

    monkeypatch.setattr(import_limits, "MAX_FILE_BYTES", 100)
    code, _, err = env.run("import", str(FIXTURES / "hsds3.json"))
    assert code == 2 and "files up to" in _one_line(err)


# -- 11. a killed build leaves no temp file -------------------------------------------------------------------------


def test_a_stale_temp_file_of_a_dead_process_is_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.db.{dead.stdout.strip()}.abc123.tmp"
    stale.write_bytes(b"x" * 1000)
    mine = tmp_path / f".out.db.{os.getpid()}.live.tmp"  # a writer at work keeps its file
    mine.write_bytes(b"y")
    files.replace_atomically(tmp_path / "out.db", lambda tmp: tmp.write_bytes(b"new"))
    assert not stale.exists() and mine.exists()
    assert (tmp_path / "out.db").read_bytes() == b"new"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_build_killed_by_a_signal_leaves_no_temp_file(tmp_path: Path, sig: int) -> None:
    out = tmp_path / "out" / "nhfind.db"
    out.parent.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nhfind", "db", "build", "--data", str(FIXTURE_DATA), "--output", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(".nhfind.db.*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert not list(out.parent.glob(".*.tmp"))


def test_a_signal_inside_the_import_machinery_is_handled_again_just_after() -> None:
    """Python prints and ignores an exception raised in the module-lock callback: the exit waits until it is out."""
    from types import SimpleNamespace

    from nhfind.cli import _terminate

    inside = SimpleNamespace(
        f_code=SimpleNamespace(co_filename="<frozen importlib._bootstrap>", co_name="cb"), f_back=None
    )
    old = signal.getsignal(signal.SIGALRM)
    try:
        _terminate(signal.SIGTERM, inside)  # returns instead of raising where the exception would be lost
        with pytest.raises(SystemExit) as leaving:
            time.sleep(2)
        assert leaving.value.code == 128 + signal.SIGTERM
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    outside = SimpleNamespace(f_code=SimpleNamespace(co_filename=__file__, co_name="build"), f_back=None)
    with pytest.raises(SystemExit):
        _terminate(signal.SIGTERM, outside)


# -- 12. output paths ---------------------------------------------------------------------------------------------


def test_output_dash_is_standard_output(env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = env.run("export", "--format", "csv", "--output", "-")
    assert code == 0 and out.startswith("id,") and not (tmp_path / "-").exists()


def test_output_into_a_missing_folder_needs_mkdir(env: Env, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "x.csv"
    code, _, err = env.run("export", "--output", str(target))
    assert code == 2 and "--mkdir" in _one_line(err) and not (tmp_path / "no").exists()
    code, _, err = env.run("export", "--output", str(target), "--mkdir")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("id,")


def test_output_ending_in_a_slash_is_not_a_file_name(env: Env, tmp_path: Path) -> None:
    code, _, err = env.run("export", "--output", str(tmp_path / "newdir") + "/")
    assert code == 2 and "names a folder" in _one_line(err) and not (tmp_path / "newdir").exists()


def test_a_dangling_link_is_not_replaced_without_force(env: Env, tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    code, _, err = env.run("export", "--output", str(link))
    assert code == 2 and "--force" in _one_line(err) and link.is_symlink()


def test_force_never_replaces_a_device_or_a_pipe(env: Env, tmp_path: Path) -> None:
    # a named pipe stands in for a device: a regression must never replace a real /dev node of the test machine
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = env.run("export", "--output", str(fifo), "--force")
    assert code == 2 and "not a plain file" in _one_line(err)
    assert fifo.is_fifo()


def test_force_replaces_only_a_folder_holding_an_nhfind_export(env: Env, tmp_path: Path) -> None:
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.docx").write_text("years of work")
    code, _, err = env.run("export", "--format", "hsds", "--output", str(mine), "--force")
    assert code == 2 and "not an nhfind export" in _one_line(err)
    assert (mine / "thesis.docx").read_text() == "years of work"
    package = tmp_path / "pkg"
    assert env.run("export", "--format", "hsds", "--output", str(package))[0] == 0
    assert env.run("export", "--format", "hsds", "--output", str(package), "--force")[0] == 0
    assert (package / "datapackage.json").is_file()


def test_the_current_folder_is_never_wiped_by_an_hsds_export(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "keep.txt").write_text("keep")
    monkeypatch.chdir(tmp_path)
    code, _, err = env.run("export", "--format", "hsds", "--output", ".", "--force")
    assert code == 2 and (tmp_path / "keep.txt").read_text() == "keep"
    _one_line(err)


def test_files_respect_the_umask_and_the_overlay_is_private(env: Env, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        code, _, _ = env.run("export", "--output", str(tmp_path / "x.csv"))
        assert code == 0 and (tmp_path / "x.csv").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    old = os.umask(0o002)
    try:
        assert env.run("export", "--output", str(tmp_path / "y.csv"))[0] == 0
        assert (tmp_path / "y.csv").stat().st_mode & 0o777 == 0o664
        assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    finally:
        os.umask(old)
    for name in ("overlay.json", "merged.db"):
        assert (env.data_dir / name).stat().st_mode & 0o777 == 0o600, name


# -- 14. WAL-mode databases ---------------------------------------------------------------------------------------


def test_a_wal_database_is_read_without_creating_files_beside_it(tmp_path: Path, fixture_db: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "wal.db"
    shutil.copyfile(fixture_db, db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    conn.close()
    assert sorted(p.name for p in folder.iterdir()) == ["wal.db"]
    from typer.testing import CliRunner

    from nhfind.cli import app

    result = CliRunner().invoke(app, ["--db", str(db), "search", "testing", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)
    assert sorted(p.name for p in folder.iterdir()) == ["wal.db"]


def test_a_damaged_crisis_line_is_left_out_and_the_others_still_show(tmp_path: Path, real_db: Path) -> None:
    from typer.testing import CliRunner

    from nhfind.cli import app

    db = tmp_path / "crisis.db"
    shutil.copyfile(real_db, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE services SET record = substr(record, 1, 40) WHERE id = 'lifeline-988'")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(app, ["--db", str(db), "crisis", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "lifeline-988" not in result.stdout and "emergency-911" in result.stdout
    assert "lifeline-988" in _one_line(result.stderr)

"""The command line through Typer's runner and through the installed entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app
from nhfind.core.models import SCHEMA_VERSION

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_search_json_has_the_stable_fields(fixture_db: Path) -> None:
    code, out, _ = run(fixture_db, "search", "std", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert records[0]["id"] == "test-sti-testing"
    for key in ("id", "name", "organization", "description", "categories", "cost", "confidentiality",
                "populations", "phones", "website", "address", "hours", "languages", "sources", "last_verified"):  # fmt: skip
        assert key in records[0]


def test_no_results_exit_1(fixture_db: Path) -> None:
    code, out, err = run(fixture_db, "search", "zzzzqqq", "--format", "json")
    assert code == 1 and json.loads(out) == [] and "no results" in err


def test_unknown_category_exit_2_one_line(fixture_db: Path) -> None:
    code, _, err = run(fixture_db, "search", "x", "--category", "shelters")
    assert code == 2
    assert "did you mean shelter" in err and "Traceback" not in err


def test_show_unknown_id_suggests(fixture_db: Path) -> None:
    code, _, err = run(fixture_db, "show", "test-shelter-bed")
    assert code == 2 and "did you mean test-shelter-beds" in err
    assert err.count("\n") == 1


def test_show_lists_sources_and_flags_weak_ones(fixture_db: Path) -> None:
    code, out, _ = run(fixture_db, "show", "test-sti-testing")
    assert code == 0
    assert "https://clinic.example.org/about" in out
    assert "CHECK BEFORE RELYING" in out  # the text line comes from a low-grade source
    assert "Eligibility: unknown" in out


def test_show_law_enforcement_warning(fixture_db: Path) -> None:
    _, out, _ = run(fixture_db, "show", "test-police-tips")
    assert "LAW ENFORCEMENT" in out


def test_export_csv_lists_all_and_neutralises_formulas(fixture_db: Path) -> None:
    code, out, _ = run(fixture_db, "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6
    formula = next(r for r in rows if r["id"] == "test-formula")
    assert formula["name"].startswith("'=")
    assert "\x1b" not in out and "\x07" not in out
    phone = formula["phone"]
    assert phone.startswith("'+")


def test_export_output_refuses_to_overwrite(fixture_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me")
    code, _, err = run(fixture_db, "export", "--format", "json", "--output", str(target))
    assert code == 2 and "--force" in err and target.read_text() == "keep me"
    code, _, _ = run(fixture_db, "export", "--format", "json", "--output", str(target), "--force")
    assert code == 0 and len(json.loads(target.read_text())) == 6


def test_missing_database_is_one_line_exit_2(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nope.db", "search", "x")
    assert code == 2 and "no database at" in err and "Traceback" not in err


def test_db_build_and_info(tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_DATA

    target = tmp_path / "built.db"
    result = runner.invoke(app, ["--db", str(target), "db", "build", "--data", str(FIXTURE_DATA)])
    assert result.exit_code == 0, result.stderr
    code, out, _ = run(target, "db", "info")
    assert code == 0 and "services: 6" in out and f"schema version: {SCHEMA_VERSION}" in out


def test_import_cli_does_not_import_textual() -> None:
    code = "import sys, nhfind.cli; sys.exit(1 if 'textual' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


ENTRY_POINT = Path(sys.executable).with_name("nhfind")


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="nhfind entry point not installed beside this Python")
def test_installed_entry_point_searches_the_bundled_database() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NHFIND_DB"}
    result = subprocess.run(
        [str(ENTRY_POINT), "search", "shelter", "--format", "json"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)

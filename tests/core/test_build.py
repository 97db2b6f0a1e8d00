"""Building the database from data files: validation, determinism, atomicity."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nhfind.core.dataset import load_dataset
from nhfind.core.db.store import Store
from nhfind.core.db.write import build
from nhfind.core.errors import DataError
from tests.conftest import FIXTURE_DATA


def test_build_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build(FIXTURE_DATA, first)
    build(FIXTURE_DATA, second)
    assert first.read_bytes() == second.read_bytes()


def test_build_records_metadata(fixture_store: Store) -> None:
    meta = fixture_store.meta()
    assert meta["services"] == "6"
    assert meta["build_date"] == "2026-11-29"  # the newest last_verified, not the clock
    assert meta["oldest_verified"] == "2025-01-15"


@pytest.fixture
def broken_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return data


def _break(data: Path, old: str, new: str) -> None:
    path = data / "organizations" / "test-clinic.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "field", "record"),
    [
        ('categories = ["sexual-health", "medical-care"]', 'categories = ["sexual-health", "spa"]', "categories",
         "test-sti-testing"),
        ('id = "test-primary-care"', 'id = "test-sti-testing"', "id", "test-sti-testing"),
        ('kind = "voice"\nlabel = "Front desk"\nsource = "site"', 'kind = "voice"', "phones[0].source",
         "test-sti-testing"),
        ("last_verified = 2026-11-29", 'last_verified = "last week"', "last_verified", "test-sti-testing"),
        ('grade = "low"', 'grade = "none"', "sources.old.grade", ""),
        ('hours = { weekly = ["mon-fri 08:00-16:00"', 'hours = { weekly = ["weekdays 8-4"', "hours",
         "test-sti-testing"),
        ('cost = { value = ["free"], source = "site" }', 'cost = { value = ["free"], source = "nowhere" }', "cost",
         "test-sti-testing"),
    ],
)  # fmt: skip
def test_invalid_data_names_file_record_and_field(
    broken_data: Path, old: str, new: str, field: str, record: str
) -> None:
    _break(broken_data, old, new)
    with pytest.raises(DataError) as info:
        load_dataset(broken_data)
    assert info.value.path.endswith("test-clinic.toml")
    assert info.value.field == field
    assert info.value.record == record
    assert "\n" not in str(info.value)


def test_failed_build_leaves_previous_database_byte_identical(broken_data: Path, tmp_path: Path) -> None:
    target = tmp_path / "nhfind.db"
    build(broken_data, target)
    before = target.read_bytes()
    _break(broken_data, '"sexual-health", "medical-care"', '"sexual-health", "spa"')
    with pytest.raises(DataError):
        build(broken_data, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_invalid_toml_is_reported_as_data_error(broken_data: Path) -> None:
    (broken_data / "organizations" / "test-clinic.toml").write_text("[organization\nid=")
    with pytest.raises(DataError, match="not valid TOML"):
        load_dataset(broken_data)


def test_sqlite_utils_search_works_on_the_built_file(fixture_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(fixture_db), "services", "shelter", "-c", "id"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "test-shelter-beds" in result.stdout

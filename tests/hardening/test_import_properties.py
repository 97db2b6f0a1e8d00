"""Property tests over the importers: any malformed JSON, CSV or tabular package gives records or one clear
ImportProblem naming the file, never another exception."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhfind.core import hsds_import
from nhfind.core.db.store import Store
from nhfind.core.errors import NhfindError
from nhfind.core.search import vocabulary
from tests.hsds.conftest import FIXTURES

# 2,000 generated import cases: out of `make test-quick`
pytestmark = pytest.mark.slow
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)
SERVICE_KEYS = st.sampled_from(["id", "name", "description", "organization", "phones", "schedules", "attributes",
                                "service_at_locations", "cost_options", "languages", "assured_date", "status",
                                "url", "email"])  # fmt: skip


def _read(path: Path, store: Store) -> None:
    try:
        result = hsds_import.read(path, vocabulary(store))
    except NhfindError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    for resource in result.resources:
        assert resource.id and resource.name


@SETTINGS
@given(value=JSON_VALUES)
def test_any_json_document(tmp_path_factory: Any, fixture_store: Store, value: object) -> None:
    path = tmp_path_factory.mktemp("j") / "in.json"
    path.write_text(json.dumps(value))
    _read(path, fixture_store)


@SETTINGS
@given(key=SERVICE_KEYS, value=JSON_VALUES, index=st.integers(0, 1))
def test_a_service_field_of_any_shape(tmp_path_factory: Any, fixture_store: Store, key: str, value: object,
                                      index: int) -> None:  # fmt: skip
    document = json.loads((FIXTURES / "hsds3.json").read_text())
    services = document if isinstance(document, list) else document.get("contents", [document])
    services[index % len(services)][key] = value
    path = tmp_path_factory.mktemp("j") / "in.json"
    path.write_text(json.dumps(document))
    _read(path, fixture_store)


@SETTINGS
@given(cut=st.integers(0, 4000), junk=st.text(max_size=20))
def test_damaged_json_text(tmp_path_factory: Any, fixture_store: Store, cut: int, junk: str) -> None:
    text = (FIXTURES / "hsds3.json").read_text()
    path = tmp_path_factory.mktemp("j") / "in.json"
    path.write_text(text[:cut] + junk + text[cut:])
    _read(path, fixture_store)


CSV_CELLS = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=15)


@SETTINGS
@given(row=st.integers(1, 3), column=st.integers(0, 30), cell=CSV_CELLS)
def test_any_cell_of_the_spreadsheet(tmp_path_factory: Any, fixture_store: Store, row: int, column: int,
                                     cell: str) -> None:  # fmt: skip
    import csv
    import io

    rows = list(csv.reader(io.StringIO((FIXTURES / "spreadsheet.csv").read_text(encoding="utf-8"))))
    target = rows[row % len(rows)]
    if target:
        target[column % len(target)] = cell
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path_factory.mktemp("c") / "in.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _read(path, fixture_store)


@SETTINGS
@given(table=st.sampled_from(["services.csv", "schedules.csv", "phones.csv", "organizations.csv", "locations.csv"]),
       cut=st.integers(0, 3000), junk=st.text(max_size=20), legacy=st.booleans())  # fmt: skip
def test_damaged_tabular_package(tmp_path_factory: Any, fixture_store: Store, table: str, cut: int, junk: str,
                                 legacy: bool) -> None:  # fmt: skip
    source = FIXTURES / ("hsds11-tabular" if legacy else "hsds3-tabular")
    folder = tmp_path_factory.mktemp("t") / "pkg"
    shutil.copytree(source, folder)
    path = folder / table
    if path.exists():
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:cut] + junk + text[cut:], encoding="utf-8")
    _read(folder, fixture_store)

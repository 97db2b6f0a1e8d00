"""Property tests: any text, any filters, any malformed data file gives results or a clear error, never a crash.

Together these generate well over 10,000 cases in a normal run; the `ci` profile (tests/conftest.py) derandomizes
them so CI is repeatable.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nhfind.cli import app
from nhfind.core import fts
from nhfind.core.dataset import load_dataset
from nhfind.core.db.store import Store
from nhfind.core.errors import DataError, UsageError
from nhfind.core.models import CONFIDENTIALITY, COSTS, Filters
from nhfind.core.search import check_filters, search
from nhfind.core.writers import inert, spreadsheet_safe
from tests.conftest import FIXTURE_DATA

QUERY_PIECES = st.sampled_from(['"', "'", "*", "AND", "OR", "NOT", "NEAR(", "(", ")", ":", "-", "^", "+", "shelter",
                                "std", "food", "\x1b[31m", "[bold]", "🏠", "%", "_", ";", "DROP TABLE", "\\",
                                "\x00"])  # fmt: skip
QUERIES = st.one_of(st.text(max_size=200), st.lists(QUERY_PIECES, max_size=12).map(" ".join))
VALUES = st.sampled_from(["free", "shelter", "food", "confidential", "law-enforcement", "adults", "en", "nope", ""])
FILTERS = st.builds(
    Filters,
    categories=st.lists(VALUES, max_size=3).map(tuple),
    costs=st.lists(st.sampled_from([*COSTS, "x"]), max_size=3).map(tuple),
    confidentiality=st.lists(st.sampled_from([*CONFIDENTIALITY, "x"]), max_size=2).map(tuple),
    populations=st.lists(VALUES, max_size=2).map(tuple),
    languages=st.lists(VALUES, max_size=2).map(tuple),
    access=st.lists(VALUES, max_size=2).map(tuple),
    exclude_law_enforcement=st.booleans(),
    open_at=st.none(),  # times and ZIP codes have their own tests (tests/core/test_hours.py, test_geo.py)
    near=st.none(),
)


@settings(max_examples=5000, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=QUERIES, filters=FILTERS, limit=st.one_of(st.none(), st.integers(1, 50)))
def test_search_answers_any_text_and_filters(fixture_store: Store, text: str, filters: Filters, limit: int) -> None:
    try:
        check_filters(fixture_store, filters)
    except UsageError as exc:
        assert "\n" not in str(exc)
        return
    page = search(fixture_store, text, filters, limit=limit)
    assert page.total >= len(page.results)
    assert all(r.id for r in page.results)


@settings(max_examples=2000, deadline=None)
@given(text=st.text(max_size=300))
def test_fts_expression_is_always_quoted(text: str) -> None:
    expr = fts.expression(fts.tokens(text))
    # every token is a quoted string: no bare operator can survive
    for part in expr.replace(" *", "").split():
        assert part.startswith('"') and part.endswith('"')


runner = CliRunner()
ARGS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "--category",
                "-c",
                "--cost",
                "--confidential",
                "--no-law-enforcement",
                "--population",
                "--limit",
                "-n",
                "--format",
                "--fields",
                "json",
                "csv",
                "md",
                "yaml",
                "0",
                "-5",
                "3",
                "free",
                "shelter",
                "name,phone",
                "nope",
                "--",
                "--help",
            ]
        ),  # fmt: skip
        QUERIES,
    ),
    max_size=6,
)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(command=st.sampled_from(["search", "export"]), args=ARGS)
def test_cli_any_flags_give_results_or_a_clear_error(fixture_db: Path, command: str, args: list[str]) -> None:
    result = runner.invoke(app, ["--db", str(fixture_db), command, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:
        assert result.stderr.strip().startswith("nhfind:")
        assert len(result.stderr.strip().splitlines()) == 1


ORG_FILE = (FIXTURE_DATA / "organizations" / "test-clinic.toml").read_text()


@settings(max_examples=1000, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(cut=st.integers(0, len(ORG_FILE)), junk=st.text(max_size=40))
def test_damaged_data_file_gives_a_data_error(tmp_path_factory, cut: int, junk: str) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("data")
    (data / "organizations").mkdir()
    (data / "vocabulary.toml").write_text((FIXTURE_DATA / "vocabulary.toml").read_text())
    (data / "organizations" / "test-clinic.toml").write_text(ORG_FILE[:cut] + junk + ORG_FILE[cut:])
    try:
        load_dataset(data)
    except DataError as exc:
        assert "test-clinic.toml" in str(exc) and "\n" not in str(exc)


TOML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)
FIELDS = st.sampled_from(["id", "name", "categories", "cost", "confidentiality", "hours", "phones", "address",
                          "languages", "last_verified", "sources", "conflicts", "website", "keywords"])  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(field=FIELDS, value=TOML_VALUES)
def test_wrong_field_types_give_a_data_error(tmp_path_factory, field: str, value: object) -> None:  # type: ignore[no-untyped-def]
    import json

    data = tmp_path_factory.mktemp("data")
    (data / "organizations").mkdir()
    (data / "vocabulary.toml").write_text((FIXTURE_DATA / "vocabulary.toml").read_text())
    raw = tomllib.loads(ORG_FILE)
    raw["services"][0][field] = value
    # write back as TOML through a tiny emitter: JSON-compatible values are valid TOML inline values
    lines = ['[organization]', 'id = "test-clinic"', 'name = "Test"', "[sources.site]",
             'url = "https://clinic.example.org/about"', 'grade = "high"', "[[services]]"]  # fmt: skip
    for key, val in raw["services"][0].items():
        if key in ("phones", "conflicts") and val == raw["services"][0].get(key) and key != field:
            continue
        lines.append(f"{json.dumps(key)} = {_toml(val)}")
    (data / "organizations" / "test-clinic.toml").write_text("\n".join(lines))
    try:
        load_dataset(data)
    except DataError as exc:
        assert "\n" not in str(exc)


def _toml(value: object) -> str:
    import datetime as dt
    import json

    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, str)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


@settings(max_examples=1000, deadline=None)
@given(text=st.text(max_size=100))
def test_outputs_are_inert(text: str) -> None:
    cleaned = inert(text)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cleaned)
    assert not spreadsheet_safe(cleaned).startswith(("=", "+", "-", "@"))

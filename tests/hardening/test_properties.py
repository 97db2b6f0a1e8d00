"""Property tests: any text, any filters, any malformed data file gives results or a clear error, never a crash.

Together these generate well over 10,000 cases in a normal run; the `ci` profile (tests/conftest.py) derandomizes
them so CI is repeatable.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
@settings(max_examples=1000, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(cut=st.integers(0, len(ORG_FILE)), junk=st.text(max_size=40))
def test_damaged_data_file_gives_a_data_error(tmp_path_factory: pytest.TempPathFactory, cut: int, junk: str) -> None:
    data = tmp_path_factory.mktemp("data")
    (data / "organizations").mkdir()
    (data / "vocabulary.toml").write_text((FIXTURE_DATA / "vocabulary.toml").read_text())
    (data / "organizations" / "test-clinic.toml").write_text(ORG_FILE[:cut] + junk + ORG_FILE[cut:])
    try:
        load_dataset(data)
    except DataError as exc:
        assert "test-clinic.toml" in str(exc) and "\n" not in str(exc)


TOML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=20), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)
FIELDS = st.sampled_from(["id", "name", "categories", "cost", "confidentiality", "hours", "phones", "address",
                          "languages", "last_verified", "sources", "conflicts", "website", "keywords"])  # fmt: skip


FIELD_KINDS = {"id": "text", "name": "text", "categories": "list", "phones": "list", "sources": "list",
               "conflicts": "list", "keywords": "list", "cost": "table", "confidentiality": "table", "hours": "table",
               "address": "table", "languages": "table", "website": "table", "last_verified": "date"}  # fmt: skip
"""The TOML type each service field takes (data/README.md); any other type is an error the build must report."""


def _kind(value: object) -> str:
    import datetime as dt

    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__  # None (written as ""), bool, int: never a field's type


def _write_clinic_with(data: Path, field: str | None, value: object) -> None:
    """A copy of test-clinic.toml whose first service has `field` set to `value` (field None: unchanged)."""
    (data / "organizations").mkdir()
    (data / "vocabulary.toml").write_text((FIXTURE_DATA / "vocabulary.toml").read_text())
    raw = tomllib.loads(ORG_FILE)
    if field is not None:
        raw["services"][0][field] = value
    # write back as TOML through a tiny emitter: JSON-compatible values are valid TOML inline values
    lines = ['[organization]', 'id = "test-clinic"', 'name = "Test"', "[sources.site]",
             'url = "https://clinic.example.org/about"', 'grade = "high"', "[[services]]"]  # fmt: skip
    for key, val in raw["services"][0].items():
        if key in ("phones", "conflicts") and key != field:
            continue
        lines.append(f"{_toml_text(key)} = {_toml(val)}")
    (data / "organizations" / "test-clinic.toml").write_text("\n".join(lines))


def _names_the_field(exc: DataError, field: str) -> bool:
    return exc.path.endswith("test-clinic.toml") and exc.field.split("[")[0].split(".")[0] == field


def test_the_emitter_writes_a_valid_file(tmp_path: Path) -> None:
    """Without a change the written file loads: every error below comes from the value, not from the emitter."""
    _write_clinic_with(tmp_path, None, None)
    assert [r.id for r in load_dataset(tmp_path).resources] == ["test-sti-testing"]


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(field=FIELDS, value=TOML_VALUES)
def test_wrong_field_types_give_a_data_error(
    tmp_path_factory: pytest.TempPathFactory, field: str, value: object
) -> None:
    data = tmp_path_factory.mktemp("data")
    _write_clinic_with(data, field, value)
    if _kind(value) != FIELD_KINDS[field]:
        with pytest.raises(DataError) as info:
            load_dataset(data)
        assert _names_the_field(info.value, field), str(info.value)
        assert "\n" not in str(info.value)
        return
    # the right type with any contents: it loads, or the error names the field on one line
    try:
        load_dataset(data)
    except DataError as exc:
        assert _names_the_field(exc, field), str(exc)
        assert "\n" not in str(exc)


def _toml_text(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, everything else as it is."""
    escaped = "".join(f"\\u{ord(c):04x}" if c in '"\\' or ord(c) < 32 or ord(c) == 127 else c for c in text)
    return f'"{escaped}"'


def _toml(value: object) -> str:
    import datetime as dt

    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_text(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


@settings(max_examples=1000, deadline=None)
@given(text=st.text(max_size=100))
def test_outputs_are_inert(text: str) -> None:
    cleaned = inert(text)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in cleaned)
    assert not spreadsheet_safe(cleaned).startswith(("=", "+", "-", "@"))


def test_a_character_that_decomposes_into_words_stays_one_quoted_token() -> None:
    # Hypothesis found this: NFKD turns "ﷺ" into a four-word phrase, which became one token with spaces in it.
    assert all(" " not in token for token in fts.tokens("ﷺ"))
    assert fts.expression(fts.tokens("ﷺ")).count('"') == 2
